import type {
  FunctionModel,
  GatewayResponseModel,
  MethodAuthorization,
  MethodModel,
  ResourceModel,
  RestApiModel,
  StageModel,
  ThrottleModel,
} from "../model.js";
import type { NamedPolicy } from "../auth/iam-policy.js";
import type { StackAttributes } from "./attributes.js";
import { functionArnFromInvokeArn } from "./identities.js";
import type { LoadedAuthorizer } from "./load-user-pools.js";
import { parsePolicy } from "./policy-json.js";
import { at, isObject, StackLoadError, type TerraformResource } from "./terraform-json.js";

type MutableApi = RestApiModel & { resourcePolicy?: NamedPolicy };

const AUTHORIZATIONS: readonly MethodAuthorization[] = ["NONE", "AWS_IAM", "COGNITO_USER_POOLS"];

/** REST APIs by id: resource tree, methods with their Lambda proxy integration, stages, policy, gateway responses. */
export function loadApis(
  resources: readonly TerraformResource[],
  attrs: StackAttributes,
  functions: ReadonlyMap<string, FunctionModel>,
  authorizers: ReadonlyMap<string, LoadedAuthorizer> = new Map(),
): Map<string, RestApiModel> {
  const of = (type: string) => resources.filter((r) => r.type === type);
  const apis = new Map<string, MutableApi>();
  const apiOf = (resource: TerraformResource): MutableApi => {
    const id = attrs.string(resource, "rest_api_id");
    const api = apis.get(id);
    if (!api) throw new StackLoadError(resource.address, `rest_api_id '${id}' is not a REST API of this stack`);
    return api;
  };

  for (const api of of("aws_api_gateway_rest_api")) {
    if (at(api.config, "body") !== undefined) {
      throw new StackLoadError(api.address, "OpenAPI bodies are not supported by the offline mode; declare resources and methods");
    }
    const binaryTypes = at(api.config, "binary_media_types");
    if (Array.isArray(binaryTypes) && binaryTypes.length > 0) {
      throw new StackLoadError(api.address, "binary_media_types are not supported by the offline mode");
    }
    const id = attrs.resolver(["aws_api_gateway_rest_api", api.name, "id"])!;
    const inlinePolicy = attrs.optionalString(api, "policy");
    apis.set(id, {
      address: api.address,
      id,
      name: attrs.string(api, "name"),
      executionArn: attrs.resolver(["aws_api_gateway_rest_api", api.name, "execution_arn"])!,
      root: { id: attrs.resolver(["aws_api_gateway_rest_api", api.name, "root_resource_id"])!, path: "/", pathPart: "", children: [], methods: new Map() },
      stages: new Map(),
      gatewayResponses: new Map(),
      resourcePolicy: inlinePolicy ? { source: api.address, document: parsePolicy(api.address, "policy", inlinePolicy, "resource") } : undefined,
    });
  }

  for (const policy of of("aws_api_gateway_rest_api_policy")) {
    const api = apiOf(policy);
    if (api.resourcePolicy) throw new StackLoadError(policy.address, `${api.address} already has a resource policy (${api.resourcePolicy.source})`);
    api.resourcePolicy = { source: policy.address, document: parsePolicy(policy.address, "policy", attrs.string(policy, "policy"), "resource") };
  }

  // Resources may be declared before their parent: index first, link after.
  const nodes = new Map<string, { api: MutableApi; node: ResourceModel & { path: string }; parentId: string; address: string }>();
  const byId = new Map<string, ResourceModel>();
  for (const api of apis.values()) byId.set(api.root.id, api.root);
  for (const resource of of("aws_api_gateway_resource")) {
    const pathPart = attrs.string(resource, "path_part");
    if (!/^([A-Za-z0-9._~-]+|\{[A-Za-z_][A-Za-z0-9_]*\})$/.test(pathPart)) {
      throw new StackLoadError(resource.address, `path_part '${pathPart}' is not supported by the offline mode (greedy {param+} included)`);
    }
    const id = attrs.resolver(["aws_api_gateway_resource", resource.name, "id"])!;
    const node = { id, path: "", pathPart, children: [], methods: new Map() };
    nodes.set(id, { api: apiOf(resource), node, parentId: attrs.string(resource, "parent_id"), address: resource.address });
    byId.set(id, node);
  }
  for (const { node, parentId, address, api } of nodes.values()) {
    const parent = byId.get(parentId);
    if (!parent) throw new StackLoadError(address, `parent_id '${parentId}' is not a resource of ${api.address}`);
    parent.children.push(node);
  }
  const setPaths = (node: ResourceModel, parentPath: string) => {
    for (const child of node.children) {
      (child as { path: string }).path = parentPath === "/" ? `/${child.pathPart}` : `${parentPath}/${child.pathPart}`;
      setPaths(child, child.path);
    }
  };
  for (const api of apis.values()) setPaths(api.root, "/");
  for (const { node, address } of nodes.values()) {
    if (node.path === "") throw new StackLoadError(address, "is not connected to its API's root resource");
  }

  const integrations = new Map<string, TerraformResource>();
  for (const integration of of("aws_api_gateway_integration")) {
    const key = `${attrs.string(integration, "rest_api_id")} ${attrs.string(integration, "resource_id")} ${attrs.string(integration, "http_method")}`;
    integrations.set(key, integration);
  }
  const functionByArn = new Map([...functions.values()].map((f) => [f.arn, f]));
  for (const method of of("aws_api_gateway_method")) {
    const api = apiOf(method);
    const resourceId = attrs.string(method, "resource_id");
    const resource = byId.get(resourceId);
    if (!resource) throw new StackLoadError(method.address, `resource_id '${resourceId}' is not a resource of ${api.address}`);
    const httpMethod = attrs.string(method, "http_method").toUpperCase();
    const authorization = attrs.string(method, "authorization") as MethodAuthorization;
    if (!AUTHORIZATIONS.includes(authorization)) {
      throw new StackLoadError(method.address, `authorization '${authorization}' is not supported by the offline mode (NONE, AWS_IAM or COGNITO_USER_POOLS)`);
    }
    const { authorizer, scopes } = methodAuthorizer(method, attrs, authorization, api.id, authorizers);
    if (attrs.optionalString(method, "api_key_required") === "true") {
      throw new StackLoadError(method.address, "api_key_required is not supported by the offline mode");
    }
    const integration = integrations.get(`${api.id} ${resourceId} ${httpMethod}`);
    if (!integration) throw new StackLoadError(method.address, "has no aws_api_gateway_integration");
    const type = attrs.string(integration, "type");
    if (type !== "AWS_PROXY") throw new StackLoadError(integration.address, `integration type '${type}' is not supported by the offline mode (AWS_PROXY only)`);
    const uri = attrs.string(integration, "uri");
    const fn = functionByArn.get(functionArnFromInvokeArn(uri) ?? "");
    if (!fn) throw new StackLoadError(integration.address, `uri '${uri}' is not the invoke ARN of a function of this stack`);
    if (resource.methods.has(httpMethod)) throw new StackLoadError(method.address, `${httpMethod} ${resource.path} is declared twice`);
    const model: MethodModel = { address: method.address, httpMethod, authorization, authorizer, scopes, functionName: fn.name };
    resource.methods.set(httpMethod, model);
  }

  const throttles = new Map<string, ThrottleModel>();
  for (const settings of of("aws_api_gateway_method_settings")) {
    if (attrs.string(settings, "method_path") !== "*/*") continue; // per-method settings only tune metrics/throttling of one method
    const rate = Number(attrs.optionalString(settings, "settings", "throttling_rate_limit") ?? -1);
    const burst = Number(attrs.optionalString(settings, "settings", "throttling_burst_limit") ?? -1);
    if (rate > 0 && burst > 0) throttles.set(`${apiOf(settings).id} ${attrs.string(settings, "stage_name")}`, { rateLimit: rate, burstLimit: burst });
  }
  for (const stage of of("aws_api_gateway_stage")) {
    const api = apiOf(stage);
    const name = attrs.string(stage, "stage_name");
    const rawVariables = at(stage.config, "variables");
    let variables: Record<string, string> | null = null;
    if (isObject(rawVariables) && Object.keys(rawVariables).length > 0) {
      variables = {};
      for (const key of Object.keys(rawVariables)) variables[key] = attrs.string(stage, "variables", key);
    }
    const model: StageModel = {
      address: stage.address,
      name,
      invokeUrl: attrs.resolver(["aws_api_gateway_stage", stage.name, "invoke_url"])!,
      variables,
      throttle: throttles.get(`${api.id} ${name}`),
    };
    api.stages.set(name, model);
  }

  for (const response of of("aws_api_gateway_gateway_response")) {
    const api = apiOf(response);
    const responseType = attrs.string(response, "response_type");
    const status = attrs.optionalString(response, "status_code");
    const headers: Record<string, string> = {};
    const parameters = at(response.config, "response_parameters");
    if (isObject(parameters)) {
      for (const key of Object.keys(parameters)) {
        const value = attrs.string(response, "response_parameters", key);
        const header = /^gatewayresponse\.header\.(.+)$/.exec(key)?.[1];
        const literal = /^'(.*)'$/.exec(value)?.[1];
        if (!header || literal === undefined) {
          throw new StackLoadError(response.address, `response parameter ${key}=${value} is not supported (static 'value' headers only)`);
        }
        headers[header] = literal;
      }
    }
    const model: GatewayResponseModel = {
      address: response.address,
      responseType,
      statusCode: status === undefined ? undefined : Number(status),
      template: attrs.optionalString(response, "response_templates", "application/json"),
      headers,
    };
    api.gatewayResponses.set(responseType, model);
  }
  return apis;
}

/** The authorizer and scopes of a `COGNITO_USER_POOLS` method; nothing for other methods. */
function methodAuthorizer(
  method: TerraformResource,
  attrs: StackAttributes,
  authorization: MethodAuthorization,
  apiId: string,
  authorizers: ReadonlyMap<string, LoadedAuthorizer>,
): Pick<MethodModel, "authorizer" | "scopes"> {
  if (authorization !== "COGNITO_USER_POOLS") return {};
  const authorizerId = attrs.optionalString(method, "authorizer_id");
  const loaded = authorizerId === undefined ? undefined : authorizers.get(authorizerId);
  if (!loaded || loaded.restApiId !== apiId) {
    throw new StackLoadError(method.address, `authorizer_id '${authorizerId ?? ""}' is not an authorizer of this method's REST API`);
  }
  const rawScopes = at(method.config, "authorization_scopes");
  let scopes: string[] | undefined;
  if (rawScopes !== undefined) {
    const list = Array.isArray(rawScopes) ? rawScopes : [rawScopes];
    scopes = list.map((s, i) => {
      if (typeof s !== "string") throw new StackLoadError(method.address, `authorization_scopes[${i}] must be a string`);
      return attrs.template(method.address, `authorization_scopes[${i}]`, s);
    });
    if (scopes.length === 0) scopes = undefined;
  }
  // AWS documents the validation expression as matched against `aud`, which access tokens lack.
  if (scopes && loaded.model.audiencePattern) {
    throw new StackLoadError(method.address, `authorization_scopes with ${loaded.model.address}'s identity_validation_expression: AWS does not document how an access token (no 'aud') is matched, so the offline mode will not guess`);
  }
  return { authorizer: loaded.model, scopes };
}
