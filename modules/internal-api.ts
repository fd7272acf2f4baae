import { Annotations, Aspects, Fn, Lazy, TerraformLocal } from "cdktf";
import { Construct } from "constructs";
import { ApiGatewayRestApi, ApiGatewayRestApiPolicy } from "./aws-provider-classes.js";
import { ApiStage, type ThrottleSettings } from "./api-stage.js";
import { describe as describeShape, planExactness, type RouteShape } from "./exact-grants.js";
import { executeApiArn, policyJson, type IGrantee, type PolicyStatement } from "./grants.js";
import { LambdaRoutes } from "./lambda-routes.js";
import { overQuota, QUOTAS } from "./quotas.js";
import { ReferenceLengths } from "./reference-lengths.js";
import { resolveRoutes, RouteTableError, type HttpMethod, type ResolvedRoute, type Route } from "./routes.js";

/** Props of {@link InternalApi}. */
export interface InternalApiProps {
  /** The REST API's name. */
  readonly name: string;
  /** The route table; every method is `AWS_IAM` and there is no way to make one that is not. */
  readonly routes: readonly Route[];
  /** The stage name. @default "v1" */
  readonly stageName?: string;
  /** A description shown in the console. @default no description */
  readonly description?: string;
  /**
   * Other AWS accounts whose roles may be granted routes (`grantInvoke` with a role ARN); a
   * principal of such an account still needs both that grant and its own identity policy.
   * @default [] (only principals of the account that owns the API)
   */
  readonly allowedAccountIds?: readonly string[];
  /** When set, principals outside this AWS Organization are denied as well. @default no organization rule */
  readonly organizationId?: string;
  /** Throttling of every method. @default { rateLimit: 200, burstLimit: 400 } */
  readonly throttle?: ThrottleSettings;
  /** Days to keep access logs. @default 30 */
  readonly logRetentionDays?: number;
}

/**
 * A regional REST API for service-to-service calls: every method is `AWS_IAM`, each route is a
 * Lambda proxy integration, a resource policy denies principals outside the owning account (and
 * the configured accounts or organization), and `grantInvoke` is the only way in.
 */
export class InternalApi extends Construct {
  /** The REST API's id. */
  readonly restApiId: string;
  /** `arn:aws:execute-api:REGION:ACCOUNT:API_ID`. */
  readonly executionArn: string;
  /** The stage's base URL. */
  readonly url: string;
  /** The stage name. */
  readonly stageName: string;
  /** The id of the account that owns the API (read from its execution ARN). */
  readonly accountId: string;
  /** The validated route table. */
  readonly routes: readonly ResolvedRoute[];
  readonly api: ApiGatewayRestApi;
  readonly stage: ApiStage;
  private readonly owner: string;
  private readonly allowedAccountIds: readonly string[];
  /** Routes granted, by grantee (a role of this stack, or a role ARN of an allowed account). */
  private readonly granted = new Map<IGrantee | string, ResolvedRoute[]>();

  constructor(scope: Construct, id: string, props: InternalApiProps) {
    super(scope, id);
    this.owner = `InternalApi '${id}'`;
    this.routes = resolveRoutes(props.routes, this.owner);
    this.stageName = props.stageName ?? "v1";
    const allowedAccountIds = props.allowedAccountIds ?? [];
    this.allowedAccountIds = allowedAccountIds;
    for (const account of allowedAccountIds) {
      if (!/^\d{12}$/.test(account)) throw new Error(`${this.owner}: allowed account '${account}' is not a 12-digit account id.`);
    }
    if (props.organizationId !== undefined && !/^o-[a-z0-9]{10,32}$/.test(props.organizationId)) {
      throw new Error(`${this.owner}: organizationId '${props.organizationId}' is not an organization id (o-xxxxxxxxxx).`);
    }

    this.api = new ApiGatewayRestApi(this, "api", {
      name: props.name,
      description: props.description,
      endpointConfiguration: { types: ["REGIONAL"] },
    });
    this.restApiId = this.api.id;
    this.executionArn = this.api.executionArn;
    // Read from the API's own execution ARN, so no data source (and no AWS call at plan time) is
    // needed. A local keeps the quotes of split(":") out of the policy JSON.
    this.accountId = new TerraformLocal(this, "owning_account", Fn.element(Fn.split(":", this.executionArn), 4)).asString;

    // Rendered at synth time: cross-account grants add statements after construction.
    const resourcePolicy = Lazy.stringValue({
      produce: () => policyJson([...this.resourcePolicyStatements(allowedAccountIds, props.organizationId), ...this.crossAccountStatements()]),
    });
    const policy = new ApiGatewayRestApiPolicy(this, "resource-policy", { restApiId: this.api.id, policy: resourcePolicy });
    // Checked at synth, when every grant is made; every character counts (whitespace too).
    this.node.addValidation({
      validate: () => {
        const message = overQuota(
          QUOTAS.restApiResourcePolicy,
          ReferenceLengths.of(this).bound(resourcePolicy),
          `${this.owner}: its resource policy`,
          "allow fewer other accounts, or grant other accounts' roles fewer routes (each cross-account grant is a statement here)",
        );
        return message ? [message] : [];
      },
    });

    const routes = new LambdaRoutes(this, "routes", {
      api: this.api,
      stageName: this.stageName,
      routes: this.routes,
      authorization: "AWS_IAM",
    });

    this.stage = new ApiStage(this, "stage", {
      api: this.api,
      stageName: this.stageName,
      dependsOn: [...routes.dependables, policy],
      fingerprint: { routes: routes.fingerprint, resourcePolicy },
      throttle: props.throttle ?? { rateLimit: 200, burstLimit: 400 },
      logRetentionDays: props.logRetentionDays,
    });
    this.url = this.stage.invokeUrl;
    // Once every grant is made: say which grants IAM cannot keep exact.
    Aspects.of(this).add({ visit: (node) => node === this && this.warnInexactGrants() });
  }

  /**
   * Grants `execute-api:Invoke` on exactly one declared route of this API, in this stage:
   * `arn:aws:execute-api:REGION:ACCOUNT:API_ID/STAGE/METHOD/PATH`.
   *
   * `grantee` is a role of this stack (its identity policy gets the Allow), or the ARN of a role
   * in one of `allowedAccountIds` (the resource policy gets an Allow naming that role; its own
   * account must still grant it in its identity policy, as AWS requires for cross-account calls).
   *
   * A `{param}` becomes `*` in the ARN, and IAM's `*` also matches `/` and literal siblings: the
   * grant would cover deeper paths and routes like `GET /users/me` too. So each grantee also gets
   * a Deny of those, computed over all of its grants on this API (see `exact-grants.ts`), so that
   * the Deny never touches a route it holds; where IAM cannot express that, synth warns naming
   * the grantee and the route.
   * @returns the granted ARN.
   */
  grantInvoke(grantee: IGrantee | string, method: HttpMethod, path: string): string {
    const route = this.routes.find((r) => r.method === method && r.path === path);
    if (!route) {
      throw new RouteTableError(
        `${this.owner} cannot grant ${method} ${path}: no such route (declared: ${this.routes.map((r) => r.key).join(", ")}).`,
      );
    }
    if (typeof grantee === "string") this.checkCrossAccountRole(grantee, route);
    const routes = this.granted.get(grantee) ?? [];
    if (!routes.includes(route)) routes.push(route);
    this.granted.set(grantee, routes);
    if (typeof grantee !== "string") grantee.setGrantStatements(this.node.path, this.grantStatements(routes));
    return this.arnFor(route);
  }

  /** The execute-api ARN of a declared route. */
  arnFor(route: ResolvedRoute): string {
    return executeApiArn(this.executionArn, this.stageName, route.method, route.arnPath);
  }

  private checkCrossAccountRole(roleArn: string, route: ResolvedRoute): void {
    const account = /^arn:aws[a-z-]*:iam::(\d{12}):role\/[\w+=,.@/-]{1,512}$/.exec(roleArn)?.[1];
    if (account === undefined) {
      throw new Error(`${this.owner} cannot grant ${route.key} to '${roleArn}': give a role of this stack or the ARN of a role (arn:aws:iam::ACCOUNT:role/NAME).`);
    }
    if (!this.allowedAccountIds.includes(account)) {
      throw new Error(
        `${this.owner} cannot grant ${route.key} to '${roleArn}': account ${account} is not in allowedAccountIds (${this.allowedAccountIds.join(", ") || "none"}).`,
      );
    }
  }

  /** The Allow of each granted route, and the Deny that keeps them exact. */
  private grantStatements(routes: readonly ResolvedRoute[], principal?: string): PolicyStatement[] {
    const who = principal === undefined ? {} : { Principal: { AWS: principal } };
    const statements: PolicyStatement[] = routes.map((route) => ({
      Effect: "Allow",
      ...who,
      Action: "execute-api:Invoke",
      Resource: this.arnFor(route),
    }));
    const denies = planExactness(routes.map(shapeOf), this.routes.map(shapeOf)).denies.map((shape) =>
      executeApiArn(this.executionArn, this.stageName, shape.method as HttpMethod, shape.segments.join("/")),
    );
    if (denies.length > 0) {
      statements.push({ Effect: "Deny", ...who, Action: "execute-api:Invoke", Resource: denies });
    }
    return statements;
  }

  private crossAccountStatements(): PolicyStatement[] {
    return [...this.granted].flatMap(([grantee, routes]) => (typeof grantee === "string" ? this.grantStatements(routes, grantee) : []));
  }

  private warnInexactGrants(): void {
    for (const [grantee, routes] of this.granted) {
      const name = typeof grantee === "string" ? grantee : ((grantee as Partial<Construct>).node?.path ?? grantee.roleName);
      for (const { route, reason } of planExactness(routes.map(shapeOf), this.routes.map(shapeOf)).inexact) {
        Annotations.of(this).addWarning(`${this.owner}: the grant of ${describeShape(route)} to ${name} is not exact: ${reason}.`);
      }
    }
  }

  /** Who may call at all; what each may call is granted per route (`grantInvoke`). */
  private resourcePolicyStatements(allowedAccountIds: readonly string[], organizationId?: string): PolicyStatement[] {
    const everyMethod = `${this.executionArn}/*`;
    const statements: PolicyStatement[] = [
      {
        Sid: "DenyPrincipalsOfOtherAccounts",
        Effect: "Deny",
        Principal: "*",
        Action: "execute-api:Invoke",
        Resource: everyMethod,
        Condition: { StringNotEquals: { "aws:PrincipalAccount": [this.accountId, ...allowedAccountIds] } },
      },
    ];
    if (organizationId) {
      statements.push({
        Sid: "DenyPrincipalsOutsideOrganization",
        Effect: "Deny",
        Principal: "*",
        Action: "execute-api:Invoke",
        Resource: everyMethod,
        Condition: { StringNotEquals: { "aws:PrincipalOrgID": organizationId } },
      });
    }
    return statements;
  }
}

function shapeOf(route: ResolvedRoute): RouteShape {
  return { method: route.method, segments: route.arnPath === "" ? [] : route.arnPath.split("/") };
}
