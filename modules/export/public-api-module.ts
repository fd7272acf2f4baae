import { PublicApi, type PublicApiProps } from "../public-api.js";
import { expr } from "./hcl.js";
import { ModuleDraft } from "./module-draft.js";
import type { TerraformModule } from "./module-files.js";
import { expandRoutes, prototypeRoute, routesVariable } from "./route-table.js";
import { RETENTION_VALIDATION, SENTINEL } from "./sentinels.js";

function draftPublicApi(props: Partial<PublicApiProps>): ModuleDraft {
  return ModuleDraft.synthesize(
    (scope) => new PublicApi(scope, "api", { name: "${var.name}", description: "${var.description}", routes: [prototypeRoute()], ...props }),
  );
}

/** Module names of the gateway responses: the response type, lower-cased. */
const responseName = (path: string) => path.replace(/^response /, "").toLowerCase();

/** The public API module: an open REST API whose gateway responses reveal nothing behind it. */
export function publicApiModule(): TerraformModule {
  const defaults = draftPublicApi({});
  const defaultSettings = defaults.body("stage/method-settings").settings as Record<string, number>;
  const defaultRetention = defaults.body("stage/access-logs").retention_in_days as number;
  const defaultStage = defaults.body("stage/stage").stage_name as string;

  const draft = draftPublicApi({
    stageName: SENTINEL.stage,
    throttle: { rateLimit: SENTINEL.rateLimit, burstLimit: SENTINEL.burstLimit },
    logRetentionDays: SENTINEL.logRetentionDays,
  });
  draft
    .name("api", "this")
    .name("stage/deployment", "this")
    .name("stage/access-logs", "access_logs")
    .name("stage/stage", "this")
    .name("stage/method-settings", "this");
  for (const path of draft.paths().filter((p) => p.startsWith("response "))) draft.name(path, responseName(path));
  expandRoutes(draft, "routes", "this");
  draft.set("stage/deployment", {
    "triggers.redeployment": expr(
      `sha1(jsonencode({\n  routes            = local.routes\n  gateway_responses = [${draft
        .paths()
        .filter((p) => p.startsWith("response "))
        .map((p) => `aws_api_gateway_gateway_response.${responseName(p)}.response_templates`)
        .join(", ")}]\n}))`,
    ),
  });
  draft
    .replaceString(SENTINEL.stage, "${var.stage_name}")
    .replaceNumber(SENTINEL.rateLimit, expr("var.throttle_rate_limit"))
    .replaceNumber(SENTINEL.burstLimit, expr("var.throttle_burst_limit"))
    .replaceNumber(SENTINEL.logRetentionDays, expr("var.log_retention_days"));

  return {
    name: "public-api",
    summary:
      "A regional API Gateway REST API open to the internet (authorization `NONE`), throttled, with JSON access logs, whose gateway responses say nothing about what is behind it.",
    guarantees: [
      "An unknown route is a plain 404 `Not Found` (not API Gateway's \"Missing Authentication Token\"), a gateway failure a plain 500.",
      "Each Lambda permission lets API Gateway invoke the function only for its own route's ARN.",
      "Every method is throttled; execution logging (which can carry request data) is off.",
    ],
    variables: [
      { name: "name", description: "The REST API's name.", type: "string" },
      { name: "description", description: "A description shown in the console.", type: "string", default: "null" },
      routesVariable("Methods are open to the internet (authorization `NONE`)."),
      {
        name: "stage_name",
        description: "The stage name.",
        type: "string",
        default: JSON.stringify(defaultStage),
        validations: [{ condition: 'can(regex("^[A-Za-z0-9_-]{1,128}$", var.stage_name))', errorMessage: "The stage name must be 1-128 letters, digits, '-' or '_'." }],
      },
      { name: "throttle_rate_limit", description: "Steady-state requests per second of every method.", type: "number", default: String(defaultSettings.throttling_rate_limit) },
      { name: "throttle_burst_limit", description: "Burst size of every method.", type: "number", default: String(defaultSettings.throttling_burst_limit) },
      { name: "log_retention_days", description: "Days to keep access logs.", type: "number", default: String(defaultRetention), validations: [RETENTION_VALIDATION] },
    ],
    outputs: [
      { name: "rest_api_id", description: "The REST API's id.", value: "aws_api_gateway_rest_api.this.id" },
      { name: "execution_arn", description: "arn:aws:execute-api:REGION:ACCOUNT:API_ID", value: "aws_api_gateway_rest_api.this.execution_arn" },
      { name: "invoke_url", description: "The stage's base URL.", value: "aws_api_gateway_stage.this.invoke_url" },
      { name: "stage_name", description: "The stage name.", value: "aws_api_gateway_stage.this.stage_name" },
    ],
    main: draft.renderMain(),
    usage: `
module "public_api" {
  source = "./terraform-modules/public-api"

  name = "public"
  routes = {
    "GET /users/{id}/profile" = { function_name = module.profile.function_name, function_invoke_arn = module.profile.invoke_arn }
  }
}`,
  };
}
