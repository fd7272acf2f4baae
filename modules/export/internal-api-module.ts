import { Construct } from "constructs";
import { GrantsPolicy } from "../grants.js";
import { InternalApi, type InternalApiProps } from "../internal-api.js";
import { expr, renderString } from "./hcl.js";
import { ModuleDraft } from "./module-draft.js";
import type { TerraformModule } from "./module-files.js";
import { policyExpression } from "./policy-expression.js";
import { expandRoutes, PROTOTYPE_ARN_SUFFIX, prototypeRoute, routesVariable } from "./route-table.js";
import { SENTINEL } from "./sentinels.js";
import { apiOutputs, nameStageResources, replaceStageSentinels, STAGE_SENTINEL_PROPS, stageVariables } from "./api-stage-parts.js";

/** Synthesizes an InternalApi (and a grants policy it grants to) with sentinel inputs. */
function draftInternalApi(props: Partial<InternalApiProps>): { draft: ModuleDraft; api: InternalApi } {
  let api!: InternalApi;
  const draft = ModuleDraft.synthesize((scope) => {
    const root = new Construct(scope, "module");
    api = new InternalApi(root, "api", { name: "${var.name}", description: "${var.description}", routes: [prototypeRoute()], ...props });
    // A grants policy of the same kind a NodeFunction gets, on whichever role a grant names.
    const grants = new GrantsPolicy(root, "grants", { roleName: "${each.value.role_name}", policyName: "invoke-${var.name}" });
    api.grantInvoke({ roleName: "", roleArn: "", setGrantStatements: (grantor, s) => grants.setStatements(grantor, s) }, "GET", prototypeRoute().path);
    return root;
  });
  return { draft, api };
}

const sids = (policy: unknown) => (JSON.parse(String(policy)) as { Statement: { Sid?: string }[] }).Statement.map((s) => s.Sid);

/** The internal API module: an IAM-only REST API, its routes, resource policy, stage, and the grants. */
export function internalApiModule(): TerraformModule {
  // The construct's own defaults, read from an instance built without the optional inputs.
  const defaults = draftInternalApi({});
  const baseSids = new Set(sids(defaults.draft.body("api/resource-policy").policy));

  const { draft, api } = draftInternalApi({
    ...STAGE_SENTINEL_PROPS,
    allowedAccountIds: [SENTINEL.accountId],
    organizationId: SENTINEL.organizationId,
  });
  draft
    .name("api/api", "this")
    .nameLocal("api/owning_account", "owning_account")
    .name("api/resource-policy", "this")
    .name("grants/policy", "grants");
  nameStageResources(draft, "api/stage");
  expandRoutes(draft, "api/routes", "this");

  // Statements that only exist with an input set become conditional on it.
  const policy = String(draft.body("api/resource-policy").policy).split(SENTINEL.organizationId).join("${var.organization_id}");
  const conditionalStatements: Record<string, string> = {};
  for (const statement of (JSON.parse(policy) as { Statement: { Sid: string }[] }).Statement) {
    if (baseSids.has(statement.Sid)) continue;
    conditionalStatements[statement.Sid] = JSON.stringify(statement).includes("var.organization_id")
      ? "var.organization_id != null"
      : "length(var.allowed_account_ids) > 0";
  }
  draft.set("api/resource-policy", {
    policy: policyExpression(policy, {
      listExpansions: [{ sentinel: SENTINEL.accountId, collection: "var.allowed_account_ids", iterator: "account" }],
      conditionalStatements,
    }),
  });

  draft.set("grants/policy", {
    for_each: expr("var.grants"),
    policy: policyExpression(String(draft.body("grants/policy").policy), {
      statementExpansion: {
        sentinel: PROTOTYPE_ARN_SUFFIX,
        collection: "each.value.routes",
        iterator: "route",
        replacement: "${local.routes[route].method}/${local.routes[route].arn_path}",
      },
    }),
  });
  // The construct hashes its route table at synth time; here the table is a variable, so hash that.
  draft.set("api/stage/deployment", {
    "triggers.redeployment": expr("sha1(jsonencode({\n  routes          = local.routes\n  resource_policy = aws_api_gateway_rest_api_policy.this.policy\n}))"),
  });
  // The ARN grants and permissions use, from the construct's own arnFor (the one place it is built).
  const routeArn = String(draft.resolve(api.arnFor(api.routes[0]!))).split(PROTOTYPE_ARN_SUFFIX).join("${route.method}/${route.arn_path}");
  draft.addLocals({ route_arns: expr(`{ for key, route in local.routes : key => ${renderString(routeArn)} }`) });
  replaceStageSentinels(draft);

  return {
    name: "internal-api",
    summary:
      "A regional API Gateway REST API for service-to-service calls: every method is `AWS_IAM`, each route is a Lambda proxy integration, a resource policy denies principals of other accounts, and callers get `execute-api:Invoke` on exact route ARNs through `grants`.",
    guarantees: [
      "Every method's authorization is `AWS_IAM`; there is no input that changes it.",
      "A grant is an inline role policy allowing `execute-api:Invoke` on `arn:aws:execute-api:REGION:ACCOUNT:API_ID/STAGE/METHOD/PATH` of each route it names (`{param}` is `*`, which IAM also matches across `/`: unlike the CDKTF construct, this module adds no exactness Deny yet); naming an undeclared route fails at plan time.",
      "Each Lambda permission lets API Gateway invoke the function only for its own route's ARN.",
      "The resource policy denies principals outside the owning account (plus `allowed_account_ids`, and outside `organization_id` when set).",
    ],
    variables: [
      { name: "name", description: "The REST API's name.", type: "string" },
      { name: "description", description: "A description shown in the console.", type: "string", default: "null" },
      routesVariable("Every method is `AWS_IAM`."),
      {
        name: "grants",
        description: "Roles allowed to call routes, keyed by a name of your choice: the role's name and the route keys (as in `routes`) it may invoke.",
        type: "map(object({\n  role_name = string\n  routes    = list(string)\n}))",
        default: "{}",
        validations: [
          {
            condition: "alltrue(flatten([for grant in values(var.grants) : [for route in grant.routes : contains(keys(var.routes), route)]]))",
            errorMessage: "Every route a grant names must be a key of var.routes.",
          },
        ],
      },
      ...stageVariables(defaults.draft, "api/stage"),
      {
        name: "allowed_account_ids",
        description: "Other AWS accounts exempt from the Deny of other accounts' principals (each route still needs an Allow naming the caller).",
        type: "list(string)",
        default: "[]",
        validations: [{ condition: 'alltrue([for account in var.allowed_account_ids : can(regex("^[0-9]{12}$", account))])', errorMessage: "Each allowed account must be a 12-digit account id." }],
      },
      {
        name: "organization_id",
        description: "When set, principals outside this AWS Organization are denied as well.",
        type: "string",
        default: "null",
        validations: [{ condition: 'var.organization_id == null || can(regex("^o-[a-z0-9]{10,32}$", var.organization_id))', errorMessage: "The organization id must look like o-xxxxxxxxxx." }],
      },
    ],
    outputs: [
      ...apiOutputs("The stage's base URL (callers sign requests to it with SigV4)."),
      { name: "route_arns", description: "The execute-api ARN of each route, by route key: what a grant allows.", value: "local.route_arns" },
      { name: "grant_policy_names", description: "The inline policy each grant attached, by grant key.", value: "{ for key, policy in aws_iam_role_policy.grants : key => policy.name }" },
    ],
    main: draft.renderMain(),
    usage: `
module "users_api" {
  source = "./terraform-modules/internal-api"

  name = "users-internal"
  routes = {
    "GET /users/{id}" = { function_name = module.users.function_name, function_invoke_arn = module.users.invoke_arn }
  }
  grants = {
    profile = { role_name = module.profile.role_name, routes = ["GET /users/{id}"] }
  }
}`,
  };
}
