import { Construct } from "constructs";
import { ApiGatewayGatewayResponse } from "@cdktf/provider-aws/lib/api-gateway-gateway-response";
import { ApiGatewayRestApi } from "@cdktf/provider-aws/lib/api-gateway-rest-api";
import { ApiStage, type ThrottleSettings } from "./api-stage.js";
import { LambdaRoutes } from "./lambda-routes.js";
import { resolveRoutes, type ResolvedRoute, type Route } from "./routes.js";

/** Props of {@link PublicApi}. */
export interface PublicApiProps {
  /** The REST API's name. */
  readonly name: string;
  /** The route table; methods are open to the internet (authorization `NONE`). */
  readonly routes: readonly Route[];
  /** The stage name. @default "v1" */
  readonly stageName?: string;
  /** A description shown in the console. @default no description */
  readonly description?: string;
  /** Throttling of every method. @default { rateLimit: 100, burstLimit: 200 } */
  readonly throttle?: ThrottleSettings;
  /** Days to keep access logs. @default 30 */
  readonly logRetentionDays?: number;
}

/**
 * API Gateway's own error responses, rewritten so that they say nothing about what is behind
 * the API: an unknown route is a plain 404 (not "Missing Authentication Token"), a gateway
 * failure a plain 500.
 */
const GATEWAY_RESPONSES = [
  { responseType: "MISSING_AUTHENTICATION_TOKEN", statusCode: "404", body: { message: "Not Found" } },
  { responseType: "DEFAULT_5XX", statusCode: undefined, body: { message: "Internal server error" } },
  { responseType: "DEFAULT_4XX", statusCode: undefined, body: undefined },
] as const;

/** A public REST API from a route table, throttled, with gateway responses that leak nothing. */
export class PublicApi extends Construct {
  /** The REST API's id. */
  readonly restApiId: string;
  /** The stage's base URL. */
  readonly url: string;
  /** The validated route table. */
  readonly routes: readonly ResolvedRoute[];
  readonly api: ApiGatewayRestApi;
  readonly stage: ApiStage;

  constructor(scope: Construct, id: string, props: PublicApiProps) {
    super(scope, id);
    this.routes = resolveRoutes(props.routes, `PublicApi '${id}'`);
    const stageName = props.stageName ?? "v1";
    this.api = new ApiGatewayRestApi(this, "api", {
      name: props.name,
      description: props.description,
      endpointConfiguration: { types: ["REGIONAL"] },
    });
    this.restApiId = this.api.id;

    const routes = new LambdaRoutes(this, "routes", { api: this.api, stageName, routes: this.routes, authorization: "NONE" });
    const responses = GATEWAY_RESPONSES.map(
      (r) =>
        new ApiGatewayGatewayResponse(this, `response ${r.responseType}`, {
          restApiId: this.api.id,
          responseType: r.responseType,
          statusCode: r.statusCode,
          responseTemplates: {
            // API Gateway's own message for 4xx (e.g. "Too Many Requests") is safe to show.
            "application/json": r.body ? JSON.stringify(r.body) : '{"message":$context.error.messageString}',
          },
        }),
    );

    this.stage = new ApiStage(this, "stage", {
      api: this.api,
      stageName,
      dependsOn: [...routes.dependables, ...responses],
      fingerprint: { routes: routes.fingerprint, gatewayResponses: GATEWAY_RESPONSES },
      throttle: props.throttle ?? { rateLimit: 100, burstLimit: 200 },
      logRetentionDays: props.logRetentionDays,
    });
    this.url = this.stage.invokeUrl;
  }
}
