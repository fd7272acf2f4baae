/**
 * Decides `execute-api:Invoke` on one concrete resource ARN from the caller's identity policies,
 * its role's permissions boundary and the API's resource policy, with AWS's rules
 * ("Policy evaluation logic", https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html,
 * and API Gateway's "How API Gateway resource policies affect authorization workflow"):
 *  - an applicable Deny in any policy wins (ExplicitDeny), a NotPrincipal Deny included, which
 *    always applies to a principal with a permissions boundary ("IAM JSON policy elements: NotPrincipal");
 *  - identity policies allow only what the permissions boundary allows too ("Permissions boundaries
 *    for IAM entities");
 *  - same account: an Allow in the identity policies (within the boundary) OR in the resource
 *    policy suffices, but a boundary limits a resource-policy Allow unless it names the role
 *    session's own ARN ("an implicit deny in a permissions boundary does limit the permissions
 *    granted to the ARN of the underlying IAM role … if a resource-based policy grants permissions
 *    directly to the session principal … [it] does not limit those permissions");
 *  - another account: both must allow; no resource policy means no cross-account access;
 *  - anonymous callers (methods without IAM auth) can only be allowed by the resource policy;
 *  - otherwise ImplicitDeny.
 * Pure and two-valued: everything that could not be evaluated exactly was refused when the
 * policies were parsed (iam-policy.ts), so nothing here is unknown or guessed.
 */
import type { CallerPrincipal } from "./caller-principal.js";
import { conditionHolds } from "./iam-conditions.js";
import { EVALUATED_ACTIONS, type NamedPolicy, type PolicyStatement, type PrincipalSet, type ResourcePattern } from "./iam-policy.js";
import { resolveTemplate } from "./iam-policy-variables.js";
import { buildRequestContext, type RequestContext, type RequestFacts, type ServiceKeyValue, withServiceKeys } from "./iam-request-context.js";
import { matchCompiled } from "./iam-wildcard.js";

export interface EvaluationRequest extends RequestFacts {
  /** e.g. `execute-api:Invoke`. */
  readonly action: string;
  /** The concrete ARN, e.g. `arn:aws:execute-api:eu-west-1:111111111111:abc123/prod/GET/users/42`. */
  readonly resource: string;
  /** Account that owns the resource (the API's account). */
  readonly resourceAccountId: string;
  readonly principal: CallerPrincipal | "anonymous";
  /** The caller role's inline and attached policies; ignored for anonymous callers. */
  readonly identityPolicies: readonly NamedPolicy[];
  /** The caller role's permissions boundary, when it has one. */
  readonly permissionsBoundary?: NamedPolicy | undefined;
  /** The API's resource policy, when it has one. */
  readonly resourcePolicy?: NamedPolicy | undefined;
  /** `arn:aws:execute-api:REGION:ACCOUNT:API_ID`: what a resource policy's `execute-api:/stage/METHOD/path` expands to. */
  readonly apiArn?: string | undefined;
  /** The service's own condition keys of this call (lower-cased), e.g. `dynamodb:leadingkeys`. */
  readonly serviceKeys?: ReadonlyMap<string, ServiceKeyValue> | undefined;
}

export type Decision = "Allow" | "ExplicitDeny" | "ImplicitDeny";

export interface StatementRef {
  readonly policy: string;
  /** Position in the policy's Statement list. */
  readonly index: number;
  readonly sid?: string;
}

export interface Evaluation {
  readonly decision: Decision;
  /** The Deny that decided, or the Allow(s) that granted; empty for ImplicitDeny. */
  readonly decidedBy: readonly StatementRef[];
  /** One sentence for logs and error messages. */
  readonly reason: string;
}

/** How a statement's Principal matched the caller: the boundary rule depends on it. */
type PrincipalMatch = false | "session" | "other";

export function evaluate(request: EvaluationRequest): Evaluation {
  if (!EVALUATED_ACTIONS.has(request.action)) throw new Error(`the offline evaluator evaluates ${[...EVALUATED_ACTIONS].join(", ")}, not ${request.action}`);
  const caller = request.principal === "anonymous" ? undefined : request.principal;
  const boundary = caller === undefined ? undefined : request.permissionsBoundary;
  // Built on first use: most statements decide on action and resource alone.
  const context = new LazyContext(request, caller);
  const what = `${request.action} on ${request.resource}`;

  // One pass per policy: a Deny anywhere decides at once, naming its statement.
  let identityAllow: StatementRef | undefined;
  if (caller !== undefined) {
    for (const policy of request.identityPolicies) {
      const found = scan(policy, request, context, undefined, false, false);
      if (found.deny !== undefined) return explicitDeny(found.deny);
      identityAllow ??= found.allow;
    }
  }
  let boundaryAllow: StatementRef | undefined;
  if (boundary !== undefined) {
    const found = scan(boundary, request, context, undefined, false, false);
    if (found.deny !== undefined) return explicitDeny(found.deny);
    boundaryAllow = found.allow;
  }
  let resourceAllow: StatementRef | undefined;
  let sessionGrant: StatementRef | undefined;
  const resourcePolicy = request.resourcePolicy;
  if (resourcePolicy !== undefined) {
    // Under a boundary no NotPrincipal exempts the caller, and a grant to the session's own ARN matters.
    const found = scan(resourcePolicy, request, context, request.apiArn, boundary !== undefined, boundary !== undefined);
    if (found.deny !== undefined) return explicitDeny(found.deny);
    resourceAllow = found.allow;
    sessionGrant = found.sessionAllow;
  }

  if (caller === undefined) {
    return resourceAllow !== undefined
      ? allow(resourceAllow)
      : { decision: "ImplicitDeny", decidedBy: [], reason: `no resource policy statement allows an anonymous caller ${what}` };
  }

  const withinBoundary = boundary === undefined || boundaryAllow !== undefined;
  const identityGrants = identityAllow !== undefined && withinBoundary;

  if (caller.accountId === request.resourceAccountId) {
    if (identityGrants) return allow(identityAllow!, boundaryAllow);
    if (resourceAllow !== undefined) {
      if (boundary === undefined) return allow(resourceAllow);
      // A grant to the session's own ARN is not limited by the boundary; one to the role, account or "*" is.
      if (sessionGrant !== undefined) return allow(sessionGrant);
      if (boundaryAllow !== undefined) return allow(resourceAllow, boundaryAllow);
      return {
        decision: "ImplicitDeny",
        decidedBy: [],
        reason: `the resource policy allows ${what} (${describe(resourceAllow)}) but not to the session's own ARN, and the permissions boundary ${boundary.source} does not allow it`,
      };
    }
    if (identityAllow !== undefined && boundary !== undefined) {
      return { decision: "ImplicitDeny", decidedBy: [], reason: `${describe(identityAllow)} allows ${what} but the permissions boundary ${boundary.source} does not` };
    }
    return { decision: "ImplicitDeny", decidedBy: [], reason: `neither the identity policies nor the resource policy allow ${what}` };
  }

  if (identityGrants && resourceAllow !== undefined) {
    const decidedBy = boundaryAllow !== undefined ? [identityAllow!, boundaryAllow, resourceAllow] : [identityAllow!, resourceAllow];
    return { decision: "Allow", decidedBy, reason: `cross-account call allowed by ${describe(identityAllow!)} and ${describe(resourceAllow)}` };
  }
  const identitySide = identityAllow === undefined ? "the identity policies do not allow" : withinBoundary ? undefined : `the permissions boundary ${boundary!.source} does not allow`;
  const missing =
    identitySide !== undefined && resourceAllow === undefined
      ? identityAllow === undefined ? "neither the identity policies nor the resource policy allow" : `${identitySide}, nor does the resource policy,`
      : identitySide ?? "the resource policy does not allow";
  return { decision: "ImplicitDeny", decidedBy: [], reason: `cross-account call: ${missing} ${what}` };
}

function explicitDeny(ref: StatementRef): Evaluation {
  return { decision: "ExplicitDeny", decidedBy: [ref], reason: `explicitly denied by ${describe(ref)}` };
}

/** An Allow, and the boundary statement that let it through when there is one. */
function allow(ref: StatementRef, within?: StatementRef): Evaluation {
  return within === undefined
    ? { decision: "Allow", decidedBy: [ref], reason: `allowed by ${describe(ref)}` }
    : { decision: "Allow", decidedBy: [ref, within], reason: `allowed by ${describe(ref)} within ${describe(within)}` };
}

/** The request context, built the first time a condition or policy variable asks for it. */
class LazyContext {
  private built: RequestContext | undefined;
  readonly action: string;

  constructor(
    private readonly request: EvaluationRequest,
    private readonly caller: CallerPrincipal | undefined,
  ) {
    this.action = request.action.toLowerCase();
  }

  get values(): RequestContext {
    if (this.built !== undefined) return this.built;
    const global = buildRequestContext(this.request, this.caller);
    return (this.built = this.request.serviceKeys === undefined ? global : withServiceKeys(global, this.request.serviceKeys));
  }
}

interface Scan {
  /** The first applicable Deny: it decides. */
  deny?: StatementRef;
  /** The first applicable Allow. */
  allow?: StatementRef;
  /** The first applicable Allow whose Principal names the caller's session ARN (looked for when asked). */
  sessionAllow?: StatementRef;
}

/**
 * Walks `policy` once, in statement order. `exemptNone`: the caller has a permissions boundary, so
 * no NotPrincipal exempts it. `wantSessionAllow`: also find an Allow granted to the session's ARN.
 */
function scan(policy: NamedPolicy, request: EvaluationRequest, context: LazyContext, apiArn: string | undefined, exemptNone: boolean, wantSessionAllow: boolean): Scan {
  const found: Scan = {};
  const statements = policy.document.Statement;
  for (let index = 0; index < statements.length; index++) {
    const statement = statements[index]!;
    const isDeny = statement.Effect === "Deny";
    const principal = statementPrincipalMatch(statement, request.principal, exemptNone);
    if (principal === false) continue;
    const looking = isDeny || found.allow === undefined || (wantSessionAllow && found.sessionAllow === undefined && principal === "session");
    if (!looking || !statementApplies(statement, request, context, apiArn)) continue;
    const ref: StatementRef = statement.Sid !== undefined ? { policy: policy.source, index, sid: statement.Sid } : { policy: policy.source, index };
    if (isDeny) return { deny: ref };
    found.allow ??= ref;
    if (principal === "session") found.sessionAllow ??= ref;
  }
  return found;
}

function statementApplies(statement: PolicyStatement, request: EvaluationRequest, context: LazyContext, apiArn: string | undefined): boolean {
  const compiled = statement.compiled;
  const action = context.action;
  if (compiled.actions !== undefined && !anyActionMatches(compiled.actions, action)) return false;
  if (compiled.notActions !== undefined && anyActionMatches(compiled.notActions, action)) return false;
  if (compiled.resources !== undefined && !anyResourceMatches(compiled.resources, request.resource, apiArn, context)) return false;
  if (compiled.notResources !== undefined && anyResourceMatches(compiled.notResources, request.resource, apiArn, context)) return false;
  return compiled.condition === undefined || conditionHolds(compiled.condition, context.values);
}

// Plain loops rather than closures: this runs for every statement of every request.
function anyActionMatches(patterns: readonly string[], action: string): boolean {
  for (const pattern of patterns) if (matchCompiled(pattern, action)) return true;
  return false;
}

function anyResourceMatches(patterns: readonly ResourcePattern[], resource: string, apiArn: string | undefined, context: LazyContext): boolean {
  for (const pattern of patterns) {
    const template = pattern.template;
    const resolved = template.fixed !== undefined ? template.fixed.wildcard : resolveTemplate(template, context.values, true);
    if (resolved === undefined) continue; // a variable without value matches nothing
    if (pattern.shortForm) {
      // `execute-api:/…` stands for this API's ARN + path; nothing to expand it against in an identity policy.
      // The API's ARN holds no wildcard: match it as a literal prefix, then the pattern after it.
      if (apiArn !== undefined && resource.startsWith(apiArn) && matchCompiled(resolved, resource, false, apiArn.length)) return true;
    } else if (matchCompiled(resolved, resource)) {
      return true;
    }
  }
  return false;
}

/**
 * Principal: `"*"` matches everyone, anonymous included; an account id or root ARN every principal
 * of that account; a role ARN its sessions; a session ARN that session ("IAM JSON policy elements:
 * Principal"). NotPrincipal (Deny only, checked at parse): the caller is exempt when its account is
 * named and either its session is named or, when no session of its role is named, its role is.
 * Identity policies have neither: they apply to their role's sessions.
 */
function statementPrincipalMatch(statement: PolicyStatement, principal: CallerPrincipal | "anonymous", exemptNone: boolean): PrincipalMatch {
  const { principal: named, notPrincipal } = statement.compiled;
  if (named !== undefined) return principalMatches(named, principal);
  if (notPrincipal !== undefined) return !exemptNone && isExempt(notPrincipal, principal) ? false : "other";
  return "other";
}

function principalMatches(set: PrincipalSet, principal: CallerPrincipal | "anonymous"): PrincipalMatch {
  if (set.everyone) return "other";
  if (principal === "anonymous") return false;
  if (set.sessions.has(principal.arn)) return "session";
  if (set.roles.has(principal.roleArn) || set.accounts.has(principal.accountId)) return "other";
  return false;
}

function isExempt(set: PrincipalSet, principal: CallerPrincipal | "anonymous"): boolean {
  if (set.everyone) return true;
  if (principal === "anonymous" || !set.accounts.has(principal.accountId)) return false;
  // A named session is exempt; its role is exempt as a whole only when none of its sessions is named.
  if (set.sessions.has(principal.arn)) return true;
  return set.roles.has(principal.roleArn) && !set.rolesWithNamedSessions.has(principal.roleArn);
}

function describe(ref: StatementRef): string {
  return `${ref.policy} statement ${ref.index}${ref.sid !== undefined ? ` (Sid ${ref.sid})` : ""}`;
}
