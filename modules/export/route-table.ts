import { HTTP_METHODS, LITERAL_SEGMENT, PARAM_SEGMENT, type Route, type RouteTarget } from "../routes.js";
import { expr } from "./hcl.js";
import type { ModuleDraft } from "./module-draft.js";
import type { ModuleVariable } from "./module-files.js";

/**
 * How a construct's route table becomes a `routes` variable. The construct is synthesized with
 * one prototype route; its method, integration and permission become `for_each` resources over
 * `local.routes`, and its path resource becomes one `for_each` resource per path depth (API
 * Gateway needs a parent resource before its child, and Terraform cannot recurse).
 */

/** The prototype route's path segment; its ARN path ends every route ARN the construct builds. */
export const PROTOTYPE_SEGMENT = "siaexportroute";
/** The method and ARN path of the prototype route as they appear in execute-api ARNs. */
export const PROTOTYPE_ARN_SUFFIX = `GET/${PROTOTYPE_SEGMENT}`;
/** Deepest resource path a module route may have. */
export const MAX_PATH_DEPTH = 6;

/** The prototype route: the function is whatever `local.routes` holds for the route being created. */
export function prototypeRoute(): Route {
  const target: RouteTarget = {
    invokeArn: "${each.value.function_invoke_arn}",
    functionName: "${each.value.function_name}",
    node: { path: "routes" },
  };
  return { method: "GET", path: `/${PROTOTYPE_SEGMENT}`, function: target };
}

const inner = (pattern: RegExp) => pattern.source.replace(/^\^/, "").replace(/\$$/, "");
/** A route key, `METHOD /path`, as RE2 for a variable validation: the same rules as `resolveRoutes`. */
export const ROUTE_KEY_PATTERN = `^(${HTTP_METHODS.join("|")}) (/|(/(${inner(LITERAL_SEGMENT)}|${inner(PARAM_SEGMENT)}))+)$`;

/** The `routes` variable. */
export function routesVariable(what: string): ModuleVariable {
  return {
    name: "routes",
    description: `The route table, keyed by \`METHOD /path\` (e.g. \`GET /users/{id}\`): the Lambda function that serves each route through a proxy integration. ${what}`,
    type: "map(object({\n  function_name       = string\n  function_invoke_arn = string\n}))",
    validations: [
      { condition: "length(var.routes) > 0", errorMessage: "Declare at least one route." },
      {
        condition: `alltrue([for key in keys(var.routes) : can(regex(${JSON.stringify(ROUTE_KEY_PATTERN)}, key))])`,
        errorMessage: `Each route key must be 'METHOD /path' with METHOD one of ${HTTP_METHODS.join(", ")} and path segments of letters, digits, '.', '_', '~', '-' or a {param}.`,
      },
      {
        condition: `alltrue([for key in keys(var.routes) : length(split("/", key)) - 1 <= ${MAX_PATH_DEPTH}])`,
        errorMessage: `A route path may have at most ${MAX_PATH_DEPTH} segments.`,
      },
    ],
  };
}

/** Turns the prototype route's resources (under `routesPath`) into per-route resources. */
export function expandRoutes(draft: ModuleDraft, routesPath: string, apiName: string): void {
  const at = (kind: string) => `${routesPath}/${kind} ${kind === "resource" ? "" : "GET "}${PROTOTYPE_SEGMENT}`;
  draft.addLocals({
    routes: expr(`{
  for key, route in var.routes : key => merge(route, {
    method        = split(" ", key)[0]
    resource_path = trimprefix(split(" ", key)[1], "/")
    # A {param} segment is * in an execute-api ARN.
    arn_path = join("/", [for segment in split("/", trimprefix(split(" ", key)[1], "/")) : can(regex("^\\\\{.+\\\\}$", segment)) ? "*" : segment])
  })
}`),
    resource_paths: expr(`distinct(flatten([
  for route in values(local.routes) : [
    for depth in range(1, length(split("/", route.resource_path)) + 1) : join("/", slice(split("/", route.resource_path), 0, depth))
  ] if route.resource_path != ""
]))`),
    resources_by_depth: expr(`[
  for depth in range(1, ${MAX_PATH_DEPTH + 1}) : {
    for path in local.resource_paths : path => {
      parent_path = join("/", slice(split("/", path), 0, depth - 1))
      path_part   = element(split("/", path), depth - 1)
    } if length(split("/", path)) == depth
  }
]`),
    resource_ids: expr(`merge(
  { "" = aws_api_gateway_rest_api.${apiName}.root_resource_id },
${Array.from({ length: MAX_PATH_DEPTH }, (_, i) => `  { for path, resource in aws_api_gateway_resource.depth_${i + 1} : path => resource.id },`).join("\n")}
)`),
  });

  for (let depth = 1; depth <= MAX_PATH_DEPTH; depth++) {
    draft.copy(at("resource"), `depth_${depth}`, {
      for_each: expr(`local.resources_by_depth[${depth - 1}]`),
      path_part: expr("each.value.path_part"),
      ...(depth > 1 ? { parent_id: expr(`aws_api_gateway_resource.depth_${depth - 1}[each.value.parent_path].id`) } : {}),
    });
  }
  draft.remove(at("resource"));

  draft.name(at("method"), "route").set(at("method"), {
    for_each: expr("local.routes"),
    http_method: expr("each.value.method"),
    resource_id: expr("local.resource_ids[each.value.resource_path]"),
  });
  draft.name(at("integration"), "route").set(at("integration"), {
    for_each: expr("local.routes"),
    http_method: expr("aws_api_gateway_method.route[each.key].http_method"),
    resource_id: expr("aws_api_gateway_method.route[each.key].resource_id"),
  });
  draft
    .name(at("permission"), "route")
    .set(at("permission"), { for_each: expr("local.routes") })
    .replaceStringIn(at("permission"), PROTOTYPE_ARN_SUFFIX, "${each.value.method}/${each.value.arn_path}");
}
