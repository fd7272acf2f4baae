import { Fn, TerraformLocal } from "cdktf";
import { Construct } from "constructs";
import { ApiGatewayRestApi } from "@cdktf/provider-aws/lib/api-gateway-rest-api";
import { ApiGatewayRestApiPolicy } from "@cdktf/provider-aws/lib/api-gateway-rest-api-policy";
import { ApiStage, type ThrottleSettings } from "./api-stage.js";
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
   * Other AWS accounts whose principals may call (they still need an identity policy that grants
   * the route). @default [] (only principals of the account that owns the API)
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

  constructor(scope: Construct, id: string, props: InternalApiProps) {
    super(scope, id);
    this.owner = `InternalApi '${id}'`;
    this.routes = resolveRoutes(props.routes, this.owner);
    this.stageName = props.stageName ?? "v1";
    const allowedAccountIds = props.allowedAccountIds ?? [];
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

    const resourcePolicy = policyJson(this.resourcePolicyStatements(allowedAccountIds, props.organizationId));
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
  }

  /**
   * Grants `execute-api:Invoke` on exactly one declared route of this API, in this stage:
   * `arn:aws:execute-api:REGION:ACCOUNT:API_ID/STAGE/METHOD/PATH`.
   * @returns the granted ARN.
   */
  grantInvoke(grantee: IGrantee, method: HttpMethod, path: string): string {
    const route = this.routes.find((r) => r.method === method && r.path === path);
    if (!route) {
      throw new RouteTableError(
        `${this.owner} cannot grant ${method} ${path}: no such route (declared: ${this.routes.map((r) => r.key).join(", ")}).`,
      );
    }
    const arn = this.arnFor(route);
    grantee.addToPrincipalPolicy({ Effect: "Allow", Action: "execute-api:Invoke", Resource: arn });
    return arn;
  }

  /** The execute-api ARN of a declared route. */
  arnFor(route: ResolvedRoute): string {
    return executeApiArn(this.executionArn, this.stageName, route.method, route.arnPath);
  }

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
    if (allowedAccountIds.length > 0) {
      // Cross-account calls need the resource policy to allow them too; the caller's own
      // identity policy still has to grant each route.
      statements.push({
        Sid: "AllowListedAccounts",
        Effect: "Allow",
        Principal: { AWS: allowedAccountIds.map((account) => `arn:aws:iam::${account}:root`) },
        Action: "execute-api:Invoke",
        Resource: everyMethod,
      });
    }
    return statements;
  }
}
