import { Construct } from "constructs";
import { ApiGatewayAuthorizer, ApiGatewayGatewayResponse, ApiGatewayRestApi } from "./aws-provider-classes.js";
import { ApiStage, type ThrottleSettings } from "./api-stage.js";
import { LambdaRoutes, type MethodAuthorization } from "./lambda-routes.js";
import { resolveRoutes, RouteTableError, type ResolvedRoute, type Route } from "./routes.js";
import type { UserPool } from "./user-pool.js";

/** Who may call a public route. There is no default: `"NONE"` is written out where it is meant. */
export type PublicRouteAuthorization = "NONE" | "COGNITO_USER_POOLS";

/** A row of a public route table: a route that states its authorization. */
export interface PublicRoute extends Route {
  /** `"NONE"`: anyone on the internet; `"COGNITO_USER_POOLS"`: a signed-in user of the API's `userPool`. */
  readonly authorization: PublicRouteAuthorization;
  /**
   * OAuth scopes of which the caller's access token must hold one; without scopes the route takes
   * ID tokens (API Gateway's rule). Only with `COGNITO_USER_POOLS`.
   * @default none: the route takes ID tokens
   */
  readonly scopes?: readonly string[];
}

/** The user pool a public API's `COGNITO_USER_POOLS` routes accept tokens of. */
export type AuthorizerUserPool = Pick<UserPool, "userPoolArn"> & {
  /** Accept ID tokens of these app clients only (matched against `aud`); leave out to accept every client of the pool. */
  readonly clientIds?: readonly string[];
};

/** The header a signed-in caller sends its token in (the authorizer's identity source). */
export const TOKEN_HEADER = "Authorization";

/** Props of {@link PublicApi}. */
export interface PublicApiProps {
  /** The REST API's name. */
  readonly name: string;
  /** The route table; each route states its authorization (`NONE` or `COGNITO_USER_POOLS`). */
  readonly routes: readonly PublicRoute[];
  /** The user pool behind `COGNITO_USER_POOLS` routes. @default none: every route must be `NONE` */
  readonly userPool?: AuthorizerUserPool;
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

/** Checks that each route states an authorization the API can give it, naming the construct and route otherwise. */
function checkAuthorizations(routes: readonly ResolvedRoute[], owner: string, userPool: AuthorizerUserPool | undefined): void {
  for (const route of routes as ReadonlyArray<ResolvedRoute & Partial<PublicRoute>>) {
    const { authorization, scopes } = route;
    if (authorization === undefined) {
      throw new RouteTableError(`route ${route.key} in ${owner} states no authorization: write authorization: "NONE" (anyone) or "COGNITO_USER_POOLS" (signed-in users).`);
    }
    if (authorization !== "NONE" && authorization !== "COGNITO_USER_POOLS") {
      throw new RouteTableError(`route ${route.key} in ${owner} has authorization '${String(authorization)}': a public route is "NONE" or "COGNITO_USER_POOLS".`);
    }
    if (authorization === "COGNITO_USER_POOLS" && !userPool) {
      throw new RouteTableError(`route ${route.key} in ${owner} is COGNITO_USER_POOLS but the API has no userPool: pass userPool.`);
    }
    if (scopes !== undefined) {
      if (authorization !== "COGNITO_USER_POOLS") throw new RouteTableError(`route ${route.key} in ${owner} has scopes but is not COGNITO_USER_POOLS.`);
      if (scopes.length === 0 || scopes.some((s) => typeof s !== "string" || !/^[\x21\x23-\x5B\x5D-\x7E]{1,256}$/.test(s))) {
        throw new RouteTableError(`route ${route.key} in ${owner} has scopes that are not OAuth scope names: leave scopes out or name at least one.`);
      }
      // API Gateway matches the validation expression against `aud`, which access tokens lack.
      if (userPool?.clientIds?.length) {
        throw new RouteTableError(`route ${route.key} in ${owner} has scopes (access tokens, no 'aud') but the userPool restricts clientIds (matched against 'aud'): drop one of them.`);
      }
    }
  }
}

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
  /** The `COGNITO_USER_POOLS` authorizer, when a route needs one. */
  readonly authorizer?: ApiGatewayAuthorizer;

  constructor(scope: Construct, id: string, props: PublicApiProps) {
    super(scope, id);
    const owner = `PublicApi '${id}'`;
    this.routes = resolveRoutes(props.routes, owner);
    checkAuthorizations(this.routes, owner, props.userPool);
    const stageName = props.stageName ?? "v1";
    this.api = new ApiGatewayRestApi(this, "api", {
      name: props.name,
      description: props.description,
      endpointConfiguration: { types: ["REGIONAL"] },
    });
    this.restApiId = this.api.id;

    // Only an API with signed-in routes gets an authorizer (API Gateway refuses unused ones at deploy).
    const needsAuthorizer = this.routes.some((r) => (r as ResolvedRoute & PublicRoute).authorization === "COGNITO_USER_POOLS");
    if (needsAuthorizer && props.userPool) {
      const clientIds = props.userPool.clientIds ?? [];
      this.authorizer = new ApiGatewayAuthorizer(this, "authorizer", {
        name: `${props.name}-users`,
        restApiId: this.api.id,
        type: "COGNITO_USER_POOLS",
        providerArns: [props.userPool.userPoolArn],
        identitySource: `method.request.header.${TOKEN_HEADER}`,
        // "For COGNITO_USER_POOLS authorizers, API Gateway will match the aud field of the incoming
        // token against the specified regular expression" (API Gateway API Reference, Authorizer).
        identityValidationExpression: clientIds.length > 0 ? `^(${clientIds.join("|")})$` : undefined,
      });
    }
    const authorizerId = this.authorizer?.id;
    const authorizationOf = (route: ResolvedRoute): MethodAuthorization => {
      const { authorization, scopes } = route as ResolvedRoute & PublicRoute;
      return authorization === "NONE" ? { authorization } : { authorization, authorizerId, scopes };
    };
    const routes = new LambdaRoutes(this, "routes", { api: this.api, stageName, routes: this.routes, authorization: authorizationOf });
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
      dependsOn: [...routes.dependables, ...responses, ...(this.authorizer ? [this.authorizer] : [])],
      fingerprint: {
        routes: routes.fingerprint,
        gatewayResponses: GATEWAY_RESPONSES,
        ...(this.authorizer ? { authorizer: { providers: this.authorizer.providerArns, clients: this.authorizer.identityValidationExpression } } : {}),
      },
      throttle: props.throttle ?? { rateLimit: 100, burstLimit: 200 },
      logRetentionDays: props.logRetentionDays,
    });
    this.url = this.stage.invokeUrl;
  }
}
