/**
 * The whole authorization of one API Gateway request, so the gateway stays thin:
 * `AWS_IAM` methods: SigV4 -> principal -> IAM evaluation; methods without auth but
 * with a resource policy: IAM evaluation for `anonymous`. Returns the allowed principal
 * or the exact API Gateway error, plus a log-safe reason either way.
 */
import { type GatewayError, accessDenied } from "./api-gateway-errors.js";
import type { CallerPrincipal } from "./caller-principal.js";
import { type Evaluation, evaluate } from "./iam-evaluator.js";
import type { NamedPolicy } from "./iam-policy.js";
import type { ReceivedRequest } from "./received-request.js";
import { type KnownCredentials, verifySigV4 } from "./sigv4-verifier.js";

export interface ApiContext {
  region: string;
  accountId: string;
  apiId: string;
  stage: string;
  /** The API's resource policy, already parsed with parsePolicyDocument(…, "resource"). */
  resourcePolicy?: NamedPolicy;
}

export interface RequestTarget {
  /** HTTP method of the matched API Gateway method, e.g. `GET`. */
  method: string;
  /**
   * Request path after the stage, starting with `/`, as received (still percent-encoded),
   * e.g. `/users/42` for `/prod/users/42`; `/` for the stage root.
   */
  resourcePath: string;
  /** Client address, for `aws:SourceIp`. */
  sourceIp?: string;
  /** The `User-Agent` header, for `aws:UserAgent`. */
  userAgent?: string;
  /** The `Referer` header, for `aws:Referer`. */
  referer?: string;
}

export interface AuthorizeDependencies {
  now(): Date;
  lookupCredentials(accessKeyId: string): KnownCredentials | undefined;
  /** Inline and attached policies of a role, already parsed (kind "identity"). */
  identityPolicies(roleArn: string): readonly NamedPolicy[];
  /** The role's permissions boundary, when it has one. */
  permissionsBoundary?(roleArn: string): NamedPolicy | undefined;
}

export type AuthorizeResult =
  | { ok: true; principal: CallerPrincipal | "anonymous"; accessKeyId?: string; evaluation: Evaluation; reason: string }
  | { ok: false; error: GatewayError; reason: string; evaluation?: Evaluation };

export const INVOKE_ACTION = "execute-api:Invoke";

/** `arn:aws:execute-api:REGION:ACCOUNT:API_ID`, what the short form `execute-api:` stands for. */
export function apiArn(api: ApiContext): string {
  return `arn:aws:execute-api:${api.region}:${api.accountId}:${api.apiId}`;
}

/** The concrete ARN a request is authorized against: `…:API_ID/STAGE/METHOD/PATH`. */
export function requestArn(api: ApiContext, target: RequestTarget): string {
  return `${apiArn(api)}/${api.stage}/${target.method}${target.resourcePath}`;
}

/** For an `AWS_IAM` method. */
export async function authorizeIamRequest(
  request: ReceivedRequest,
  target: RequestTarget,
  api: ApiContext,
  deps: AuthorizeDependencies,
): Promise<AuthorizeResult> {
  const verified = await verifySigV4(request, { region: api.region, service: "execute-api", now: deps.now(), lookup: deps.lookupCredentials });
  if (!verified.ok) return { ok: false, error: verified.error, reason: verified.reason };
  const { principal, accessKeyId } = verified.credentials;
  const role = { identityPolicies: deps.identityPolicies(principal.roleArn), permissionsBoundary: deps.permissionsBoundary?.(principal.roleArn) };
  return decide(principal, target, api, role, deps.now(), accessKeyId);
}

/** For a method without authorization whose API has a resource policy (e.g. an IP allow-list). */
export function authorizeAnonymousRequest(target: RequestTarget, api: ApiContext, now: Date = new Date()): AuthorizeResult {
  return decide("anonymous", target, api, { identityPolicies: [] }, now, undefined);
}

function decide(
  principal: CallerPrincipal | "anonymous",
  target: RequestTarget,
  api: ApiContext,
  role: { identityPolicies: readonly NamedPolicy[]; permissionsBoundary?: NamedPolicy | undefined },
  requestTime: Date,
  accessKeyId: string | undefined,
): AuthorizeResult {
  const resource = requestArn(api, target);
  // A plain literal (no conditional spreads): this is built for every request.
  const evaluation = evaluate({
    action: INVOKE_ACTION,
    resource,
    resourceAccountId: api.accountId,
    principal,
    identityPolicies: role.identityPolicies,
    permissionsBoundary: role.permissionsBoundary,
    resourcePolicy: api.resourcePolicy,
    apiArn: api.resourcePolicy === undefined ? undefined : apiArn(api),
    requestTime,
    region: api.region,
    sourceIp: target.sourceIp,
    userAgent: target.userAgent,
    referer: target.referer,
  });
  const caller = principal === "anonymous" ? "anonymous" : principal.arn;
  if (evaluation.decision === "Allow") {
    return { ok: true, principal, ...(accessKeyId !== undefined ? { accessKeyId } : {}), evaluation, reason: `${caller}: ${evaluation.reason}` };
  }
  return {
    ok: false,
    error: accessDenied(caller, resource, evaluation.decision === "ExplicitDeny"),
    reason: `${caller}: ${evaluation.reason}`,
    evaluation,
  };
}
