import { PublicApi, type PublicApiProps } from "../public-api.js";
import { expr } from "./hcl.js";
import { ModuleDraft } from "./module-draft.js";
import type { TerraformModule } from "./module-files.js";
import { expandRoutes, prototypeRoute, routesVariable } from "./route-table.js";
import { apiOutputs, nameStageResources, replaceStageSentinels, STAGE_SENTINEL_PROPS, stageVariables } from "./api-stage-parts.js";

function draftPublicApi(props: Partial<PublicApiProps>): ModuleDraft {
  return ModuleDraft.synthesize(
    (scope) => new PublicApi(scope, "api", { name: "${var.name}", description: "${var.description}", routes: [{ ...prototypeRoute(), authorization: "NONE" }], ...props }),
  );
}

/** Module names of the gateway responses: the response type, lower-cased. */
const responseName = (path: string) => path.replace(/^response /, "").toLowerCase();

/** The public API module: an open REST API whose gateway responses reveal nothing behind it. */
export function publicApiModule(): TerraformModule {
  const defaults = draftPublicApi({});
  const draft = draftPublicApi(STAGE_SENTINEL_PROPS);
  draft.name("api", "this");
  nameStageResources(draft, "stage");
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
  replaceStageSentinels(draft);

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
      ...stageVariables(defaults, "stage"),
    ],
    outputs: [
      ...apiOutputs("The stage's base URL."),
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
