/**
 * Decides `execute-api:Invoke` (or any action) on one concrete resource ARN from the
 * caller's identity policies and the API's resource policy, with AWS's rules:
 *  - an applicable Deny in any policy wins (ExplicitDeny);
 *  - same account: an Allow in the identity policies OR in the resource policy suffices;
 *  - another account: both must allow; no resource policy means no cross-account access;
 *  - anonymous callers (methods without IAM auth) can only be allowed by the resource policy;
 *  - otherwise ImplicitDeny.
 * A statement whose condition cannot be evaluated (unknown operator/key, see
 * iam-conditions.ts) never allows, and a Deny that depends on it applies: fail closed.
 */
import { type ConditionContext, type ConditionValue, type Tristate, evaluateCondition } from "./iam-conditions.js";
import type { PolicyDocument, PolicyStatement, PrincipalElement } from "./iam-policy.js";
import { wildcardMatch } from "./iam-wildcard.js";

/** The authenticated caller (an assumed-role session), as the verifier resolved it. */
export interface EvaluatedPrincipal {
  /** Session ARN, `arn:aws:sts::ACCT:assumed-role/ROLE/SESSION`. */
  arn: string;
  /** Role ARN, `arn:aws:iam::ACCT:role/PATH/ROLE`; `aws:PrincipalArn` holds this. */
  roleArn: string;
  accountId: string;
  /** `aws:userid`, e.g. `AROAEXAMPLE:session`. */
  userId?: string;
  orgId?: string;
}

export interface NamedPolicy {
  /** Shown in decisions and logs, e.g. `role/profile-fn inline:invoke-users`. */
  name: string;
  document: PolicyDocument;
}

export interface ResourcePolicy extends NamedPolicy {
  /** `arn:aws:execute-api:REGION:ACCOUNT:API_ID`: what `execute-api:/stage/METHOD/path` expands to. */
  apiArn: string;
}

export interface EvaluationRequest {
  /** e.g. `execute-api:Invoke`. */
  action: string;
  /** The concrete ARN, e.g. `arn:aws:execute-api:eu-west-1:111111111111:abc123/prod/GET/users/42`. */
  resource: string;
  /** Account that owns the resource (the API's account). */
  resourceAccountId: string;
  principal: EvaluatedPrincipal | "anonymous";
  /** The caller role's inline and attached policies; ignored for anonymous callers. */
  identityPolicies: NamedPolicy[];
  resourcePolicy?: ResourcePolicy;
  /** Client address for `aws:SourceIp`. */
  sourceIp?: string;
  /** Service-specific keys of this request (lower-cased names), e.g. `dynamodb:leadingkeys`. */
  serviceContext?: ReadonlyMap<string, ConditionValue>;
}

export type Decision = "Allow" | "ExplicitDeny" | "ImplicitDeny";

export interface StatementRef {
  policy: string;
  /** Position in the policy's Statement list. */
  index: number;
  sid?: string;
}

export interface Evaluation {
  decision: Decision;
  /** The Deny that decided, or the Allow(s) that granted; empty for ImplicitDeny. */
  decidedBy: StatementRef[];
  /** One sentence for logs and error messages. */
  reason: string;
  /** Conditions the evaluator could not evaluate (each failed closed). */
  unsupported: string[];
}

const SHORT_FORM_PREFIX = "execute-api:";

export function evaluate(request: EvaluationRequest): Evaluation {
  const unsupported: string[] = [];
  const context = conditionContext(request);
  const identity = request.principal === "anonymous" ? [] : request.identityPolicies;

  // Every statement of every policy is looked at, in order, so that `unsupported` lists them all.
  const identityAllows: StatementRef[] = [];
  const resourceAllows: StatementRef[] = [];
  const denies: StatementRef[] = [];
  for (const policy of identity) collectMatches(policy, request, context, undefined, identityAllows, denies, unsupported);
  if (request.resourcePolicy !== undefined) {
    collectMatches(request.resourcePolicy, request, context, request.resourcePolicy.apiArn, resourceAllows, denies, unsupported);
  }

  if (denies.length > 0) {
    return { decision: "ExplicitDeny", decidedBy: [denies[0]!], reason: `explicitly denied by ${describe(denies[0]!)}`, unsupported };
  }

  const what = `${request.action} on ${request.resource}`;

  if (request.principal === "anonymous") {
    return resourceAllows.length > 0
      ? { decision: "Allow", decidedBy: [resourceAllows[0]!], reason: `allowed by ${describe(resourceAllows[0]!)}`, unsupported }
      : { decision: "ImplicitDeny", decidedBy: [], reason: `no resource policy statement allows an anonymous caller ${what}`, unsupported };
  }

  if (request.principal.accountId === request.resourceAccountId) {
    const allow = identityAllows[0] ?? resourceAllows[0];
    return allow !== undefined
      ? { decision: "Allow", decidedBy: [allow], reason: `allowed by ${describe(allow)}`, unsupported }
      : { decision: "ImplicitDeny", decidedBy: [], reason: `neither the identity policies nor the resource policy allow ${what}`, unsupported };
  }

  if (identityAllows.length > 0 && resourceAllows.length > 0) {
    return {
      decision: "Allow",
      decidedBy: [identityAllows[0]!, resourceAllows[0]!],
      reason: `cross-account call allowed by ${describe(identityAllows[0]!)} and ${describe(resourceAllows[0]!)}`,
      unsupported,
    };
  }
  const missing = identityAllows.length === 0 && resourceAllows.length === 0
    ? "neither the identity policies nor the resource policy allow"
    : identityAllows.length === 0 ? "the identity policies do not allow" : "the resource policy does not allow";
  return { decision: "ImplicitDeny", decidedBy: [], reason: `cross-account call: ${missing} ${what}`, unsupported };
}

/** Appends the policy's applicable Allow and Deny statements, in order, to `allows` and `denies`. */
function collectMatches(
  policy: NamedPolicy,
  request: EvaluationRequest,
  context: ConditionContext,
  apiArn: string | undefined,
  allows: StatementRef[],
  denies: StatementRef[],
  unsupported: string[],
): void {
  const statements = policy.document.Statement;
  for (let index = 0; index < statements.length; index++) {
    const statement = statements[index]!;
    const notes: string[] = [];
    const applies = statementApplies(statement, request, context, apiArn, notes);
    const appliesAsAllow = statement.Effect === "Allow" && applies === true;
    const appliesAsDeny = statement.Effect === "Deny" && applies !== false;
    if (notes.length === 0 && !appliesAsAllow && !appliesAsDeny) continue; // the common case: nothing to record
    const ref: StatementRef = { policy: policy.name, index, ...(statement.Sid !== undefined ? { sid: statement.Sid } : {}) };
    for (const note of notes) {
      const consequence = statement.Effect === "Allow" ? "it does not allow" : "its Deny applies";
      unsupported.push(`${describe(ref)}: ${note}; ${consequence}`);
    }
    if (appliesAsAllow) allows.push(ref);
    if (appliesAsDeny) denies.push(ref);
  }
}

function statementApplies(
  statement: PolicyStatement,
  request: EvaluationRequest,
  context: ConditionContext,
  apiArn: string | undefined,
  notes: string[],
): Tristate {
  if (statement.Action !== undefined && !anyActionMatches(statement.Action, request.action)) return false;
  if (statement.NotAction !== undefined && anyActionMatches(statement.NotAction, request.action)) return false;

  if (statement.Resource !== undefined && !anyResourceMatches(statement.Resource, request.resource, apiArn)) return false;
  if (statement.NotResource !== undefined && anyResourceMatches(statement.NotResource, request.resource, apiArn)) return false;

  if (statement.Principal !== undefined && !principalMatches(statement.Principal, request.principal)) return false;
  if (statement.NotPrincipal !== undefined && principalMatches(statement.NotPrincipal, request.principal)) return false;

  return statement.Condition === undefined ? true : evaluateCondition(statement.Condition, context, notes);
}

// Plain loops rather than closures: this runs for every statement of every request.
function anyActionMatches(patterns: readonly string[], action: string): boolean {
  for (const pattern of patterns) if (wildcardMatch(pattern, action, true)) return true;
  return false;
}

function anyResourceMatches(patterns: readonly string[], resource: string, apiArn: string | undefined): boolean {
  for (const pattern of patterns) if (wildcardMatch(expandShortForm(pattern, apiArn), resource)) return true;
  return false;
}

/** In a resource policy, `execute-api:/stage/METHOD/path` stands for this API's ARN + path. */
function expandShortForm(pattern: string, apiArn: string | undefined): string {
  return apiArn !== undefined && pattern.startsWith(SHORT_FORM_PREFIX) ? apiArn + pattern.slice(SHORT_FORM_PREFIX.length) : pattern;
}

/**
 * `"*"` and `{"AWS": "*"}` match everyone, anonymous included. An account id or
 * `arn:…:iam::ACCT:root` matches every principal of that account; a role ARN matches its
 * sessions; a session ARN matches that session. Other principal types (Service,
 * Federated, CanonicalUser) never match an IAM caller.
 */
function principalMatches(element: PrincipalElement, principal: EvaluatedPrincipal | "anonymous"): boolean {
  if (element === "*") return true;
  const aws = element.AWS ?? [];
  if (aws.includes("*")) return true;
  if (principal === "anonymous") return false;
  return aws.some((id) => {
    if (/^\d{12}$/.test(id)) return id === principal.accountId;
    const root = /^arn:[^:]+:iam::(\d{12}):root$/.exec(id);
    if (root !== null) return root[1] === principal.accountId;
    return id === principal.roleArn || id === principal.arn;
  });
}

function conditionContext(request: EvaluationRequest): ConditionContext {
  const context = new Map<string, ConditionValue>(request.serviceContext ?? []);
  if (request.principal !== "anonymous") {
    context.set("aws:principalaccount", request.principal.accountId);
    context.set("aws:principalarn", request.principal.roleArn);
    context.set("aws:principaltype", "AssumedRole");
    if (request.principal.userId !== undefined) context.set("aws:userid", request.principal.userId);
    if (request.principal.orgId !== undefined) context.set("aws:principalorgid", request.principal.orgId);
  }
  if (request.sourceIp !== undefined) context.set("aws:sourceip", request.sourceIp);
  return context;
}

function describe(ref: StatementRef): string {
  return `${ref.policy} statement ${ref.index}${ref.sid !== undefined ? ` (Sid ${ref.sid})` : ""}`;
}
