import { Construct } from "constructs";
import type { ITerraformDependable } from "cdktf";
import { ApiGatewayIntegration, ApiGatewayMethod, ApiGatewayResource, type ApiGatewayRestApi } from "./aws-provider-classes.js";
import { FunctionPermissions, type PermittedApi } from "./function-permissions.js";
import { overQuota, QuotaExceededError, QUOTAS } from "./quotas.js";
import type { ResolvedRoute } from "./routes.js";

/** How every method of a route table is authorized, when the API decides for all of them. */
export type RouteAuthorization = "AWS_IAM" | "NONE";

/** How one method is authorized, when each route states its own. */
export interface MethodAuthorization {
  readonly authorization: RouteAuthorization | "COGNITO_USER_POOLS";
  /** The `aws_api_gateway_authorizer` id, for `COGNITO_USER_POOLS`. */
  readonly authorizerId?: string;
  /** OAuth scopes of which an access token must hold one. */
  readonly scopes?: readonly string[];
}

/** Props of {@link LambdaRoutes}. */
export interface LambdaRoutesProps {
  /** The REST API the routes belong to. */
  readonly api: ApiGatewayRestApi;
  /** The stage whose ARN scopes each Lambda permission. */
  readonly stageName: string;
  /** The validated route table. */
  readonly routes: readonly ResolvedRoute[];
  /** The authorization of every method (the API decides), or of each route (the route table decides). */
  readonly authorization: RouteAuthorization | ((route: ResolvedRoute) => MethodAuthorization);
}

/**
 * Turns a validated route table into API Gateway resources, methods, Lambda proxy integrations
 * and one Lambda permission per route, scoped to that route's exact execute-api ARN (or the
 * equivalent compact form when a function's permissions would outgrow Lambda's policy quota:
 * `function-permissions.ts`). At synth it checks API Gateway's resources-per-API quota.
 */
export class LambdaRoutes extends Construct {
  /** Everything a deployment must wait for. */
  readonly dependables: ITerraformDependable[] = [];
  /** What a deployment's trigger hashes: each route's method, path, authorization and integration. */
  readonly fingerprint: unknown[] = [];

  constructor(scope: Construct, id: string, props: LambdaRoutesProps) {
    super(scope, id);
    const { api } = props;
    const resources = new Map<string, ApiGatewayResource>();
    const resourceIdOf = (segments: readonly string[]): string => {
      if (segments.length === 0) return api.rootResourceId;
      const key = segments.join("/");
      let resource = resources.get(key);
      if (!resource) {
        resource = new ApiGatewayResource(this, `resource ${segments.join(" ")}`, {
          restApiId: api.id,
          parentId: resourceIdOf(segments.slice(0, -1)),
          pathPart: segments[segments.length - 1]!,
        });
        resources.set(key, resource);
      }
      return resource.id;
    };

    const permitted: PermittedApi = { scope: this, api, stageName: props.stageName, routes: props.routes };
    for (const route of props.routes) {
      const auth: MethodAuthorization =
        typeof props.authorization === "function" ? props.authorization(route) : { authorization: props.authorization };
      const name = `${route.method} ${route.segments.join(" ") || "(root)"}`;
      const method = new ApiGatewayMethod(this, `method ${name}`, {
        restApiId: api.id,
        resourceId: resourceIdOf(route.segments),
        httpMethod: route.method,
        authorization: auth.authorization,
        authorizerId: auth.authorizerId,
        authorizationScopes: auth.scopes && auth.scopes.length > 0 ? [...auth.scopes] : undefined,
      });
      const integration = new ApiGatewayIntegration(this, `integration ${name}`, {
        restApiId: api.id,
        resourceId: method.resourceId,
        httpMethod: method.httpMethod,
        type: "AWS_PROXY",
        integrationHttpMethod: "POST",
        uri: route.function.invokeArn,
      });
      FunctionPermissions.of(route.function).permitRoute(permitted, route, `permission ${name}`);
      this.dependables.push(method, integration);
      this.fingerprint.push({
        route: route.key,
        authorization: auth.authorization,
        // The authorizer itself (pool, clients) is in the API's fingerprint; its id is known only after apply.
        ...(auth.scopes?.length ? { scopes: [...auth.scopes] } : {}),
        integration: { type: "AWS_PROXY", uri: route.function.invokeArn },
      });
    }
    // The root resource counts too: API Gateway lists it among the API's resources.
    const tooMany = overQuota(
      QUOTAS.restApiResources,
      resources.size + 1,
      `${scope.node.path}: its route table (${props.routes.length} routes) needs resources for ${resources.size} paths plus the root, which`,
      "split the routes over several APIs (one per service or path prefix)",
    );
    if (tooMany) throw new QuotaExceededError(tooMany);
  }
}
