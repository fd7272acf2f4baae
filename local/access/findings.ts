/**
 * What `npm run access -- --check` fails on (errors) and points out (warnings). Each finding has
 * a stable `code`; the list and what each means are in local/access/README.md.
 */
import { matchCompiled, wildcardMatch } from "../auth/iam-wildcard.js";
import { awsPrincipal, type NamedPolicy, type PolicyStatement } from "../auth/iam-policy.js";
import type { StackModel } from "../model.js";
import type { AccessRoute, EvaluatedCell } from "./access-report.js";
import type { AccessPrincipal } from "./principals.js";

export type FindingCode =
  | "wide-grant"
  | "bogus-action"
  | "ungranted-access"
  | "broad-allow"
  | "unknown-api"
  | "uncallable-route"
  | "unused-grant";

export interface Finding {
  readonly severity: "error" | "warning";
  readonly code: FindingCode;
  readonly message: string;
}

/**
 * The actions execute-api defines (Service Authorization Reference, "Actions, resources, and
 * condition keys for Amazon API Gateway", execute-api prefix). Anything else, such as
 * `execute-api:GET`, grants nothing and misleads the reader.
 */
const EXECUTE_API_ACTIONS = new Set(["invoke", "invalidatecache", "manageconnections"]);
const INVOKE = "execute-api:Invoke";

/** A policy of the stack, where it is attached. */
interface StackPolicy {
  readonly policy: NamedPolicy;
  readonly kind: "identity" | "resource";
  /** `arn:aws:execute-api:REGION:ACCOUNT:API_ID` of the API a resource policy belongs to. */
  readonly apiArn?: string;
}

const ref = (policy: NamedPolicy, index: number, statement: PolicyStatement) =>
  `${policy.source} statement ${index}${statement.Sid !== undefined ? ` (Sid ${statement.Sid})` : ""}`;
const hasWildcard = (text: string) => /[*?]/.test(text);
const expand = (resource: string, apiArn: string | undefined) =>
  apiArn !== undefined && resource.startsWith("execute-api:") ? apiArn + resource.slice("execute-api:".length) : resource;
// The patterns parsePolicyDocument compiled (lower-cased): actions ignore case.
const allowsInvoke = ({ Effect, compiled }: PolicyStatement) =>
  Effect === "Allow" &&
  (compiled.actions !== undefined ? compiled.actions.some((a) => matchCompiled(a, INVOKE, true)) : !compiled.notActions!.some((a) => matchCompiled(a, INVOKE, true)));

function stackPolicies(model: StackModel): StackPolicy[] {
  const policies: StackPolicy[] = [];
  for (const role of model.roles.values()) for (const policy of role.policies) policies.push({ policy, kind: "identity" });
  for (const api of model.apis.values()) {
    if (api.resourcePolicy) policies.push({ policy: api.resourcePolicy, kind: "resource", apiArn: api.executionArn });
  }
  return policies;
}

/** The defects of one execute-api resource an Allow names, each as [code, text]. */
function resourceDefects(resource: string, model: StackModel, routes: readonly AccessRoute[], grantArns: ReadonlySet<string>): Array<[FindingCode, string]> {
  if (resource === "*") return [["wide-grant", "Resource '*' names every API, stage, method and path"]];
  const arn = /^arn:([^:]*):([^:]*):([^:]*):([^:]*):(.*)$/.exec(resource);
  if (!arn) return [];
  const [, , service, region, account, rest] = arn as unknown as [string, string, string, string, string, string];
  if (!hasWildcard(service) && service !== "execute-api") return [];
  const [apiId = "", stage = "", method = "", ...pathParts] = rest.split("/");
  const wild: string[] = [];
  if (hasWildcard(service)) wild.push("service");
  if (hasWildcard(region)) wild.push("region");
  if (hasWildcard(account)) wild.push("account");
  if (hasWildcard(apiId)) wild.push("API id");
  if (hasWildcard(stage) || rest.split("/").length < 2) wild.push("stage");
  if (hasWildcard(method) || rest.split("/").length < 3) wild.push("method");
  const defects: Array<[FindingCode, string]> = wild.map((part) => ["wide-grant", `'${resource}' has a wildcard ${part}`]);
  if (!hasWildcard(apiId) && apiId !== "" && !model.apis.has(apiId)) {
    defects.push(["unknown-api", `'${resource}' names API '${apiId}', which is not in this stack`]);
  }
  if (wild.length === 0 && model.apis.has(apiId) && !grantArns.has(resource)) {
    const path = pathParts.join("/");
    if (hasWildcard(path)) {
      const covered = routes.filter((r) => r.apiId === apiId && wildcardMatch(resource, r.requestArn)).map((r) => r.route);
      defects.push(["wide-grant", `'${resource}': the path wildcard goes beyond the declared parameters (it matches ${covered.join(", ") || "no declared route"}, and any deeper path)`]);
    }
  }
  return defects;
}

function policyFindings(model: StackModel, routes: readonly AccessRoute[]): Finding[] {
  const findings: Finding[] = [];
  const error = (code: FindingCode, message: string) => findings.push({ severity: "error", code, message });
  const grantArns = new Set(routes.map((r) => r.grantArn));
  for (const { policy, kind, apiArn } of stackPolicies(model)) {
    policy.document.Statement.forEach((statement, index) => {
      const where = ref(policy, index, statement);
      for (const action of [...(statement.Action ?? []), ...(statement.NotAction ?? [])]) {
        const [service, name = ""] = action.split(":");
        if (service?.toLowerCase() === "execute-api" && !hasWildcard(name) && !EXECUTE_API_ACTIONS.has(name.toLowerCase())) {
          error("bogus-action", `${where}: '${action}' is not an execute-api action (Invoke, InvalidateCache, ManageConnections); it allows nothing, and reads as if it did`);
        }
      }
      if (!allowsInvoke(statement)) return;
      if (statement.NotResource !== undefined) error("wide-grant", `${where}: an Allow with NotResource allows execute-api:Invoke on every API but those listed`);
      for (const resource of statement.Resource ?? []) {
        for (const [code, text] of resourceDefects(expand(resource, apiArn), model, routes, grantArns)) error(code, `${where}: ${text}`);
      }
      if (kind !== "resource") return;
      const named = statement.compiled.principal;
      if (named === undefined || named.everyone) error("broad-allow", `${where}: allows everyone ('*') to invoke`);
      const everyMethod = (statement.Resource ?? []).some((r) => {
        const [, stage = "*", method = "*"] = (/:([^:]*)$/.exec(expand(r, apiArn))?.[1] ?? "*").split("/");
        return r === "*" || hasWildcard(stage) || hasWildcard(method);
      });
      // Each id as listed (not the compiled set): an account named twice is reported twice.
      const ids = statement.Principal === undefined || statement.Principal === "*" ? [] : (statement.Principal.AWS ?? []);
      for (const id of ids) {
        const entry = awsPrincipal(id);
        if (entry?.kind === "account" && everyMethod) error("broad-allow", `${where}: allows account ${entry.account} (any of its principals) every method`);
      }
    });
  }
  return findings;
}

/** True when one of the principal's own grants names exactly the route's grant ARN. */
function isGranted(model: StackModel, principal: AccessPrincipal, route: AccessRoute): boolean {
  const names = (statement: PolicyStatement, apiArn?: string) =>
    allowsInvoke(statement) && (statement.Resource ?? []).some((r) => expand(r, apiArn) === route.grantArn);
  const ownAccount = principal.caller !== "anonymous" && principal.caller.accountId === model.accountId;
  if (ownAccount && principal.policies.some((p) => p.document.Statement.some((s) => names(s)))) return true;
  const api = model.apis.get(route.apiId)!;
  const account = principal.caller === "anonymous" ? undefined : principal.caller.accountId;
  return (api.resourcePolicy?.document.Statement ?? []).some((s) => {
    const named = s.compiled.principal;
    if (!names(s, api.executionArn) || named === undefined) return false;
    return named.roles.has(principal.id) || (principal.kind === "other-account" && account !== undefined && named.accounts.has(account));
  });
}

/** Every finding for a stack and its evaluated matrix. */
export function accessFindings(model: StackModel, routes: readonly AccessRoute[], cells: readonly EvaluatedCell[]): Finding[] {
  const findings = policyFindings(model, routes);
  for (const cell of cells) {
    if (cell.decision !== "allow" || cell.route.authorization !== "AWS_IAM" || cell.principal.caller === "anonymous") continue;
    if (!isGranted(model, cell.principal, cell.route)) {
      findings.push({
        severity: "error",
        code: "ungranted-access",
        message: `${cell.principal.label} can call ${cell.route.api} ${cell.route.route} but was never granted it (${cell.evaluation?.reason ?? "allowed"})`,
      });
    }
  }
  const callable = new Set(cells.filter((c) => c.decision === "allow").map((c) => c.route));
  for (const route of routes) {
    if (route.authorization === "AWS_IAM" && !callable.has(route)) {
      findings.push({ severity: "warning", code: "uncallable-route", message: `nobody can call ${route.api} ${route.route}` });
    }
  }
  const deciding = new Set(cells.flatMap((c) => (c.decision === "allow" ? (c.evaluation?.decidedBy ?? []).map((r) => `${r.policy}#${r.index}`) : [])));
  for (const { policy } of stackPolicies(model)) {
    policy.document.Statement.forEach((statement, index) => {
      if (allowsInvoke(statement) && !deciding.has(`${policy.source}#${index}`)) {
        findings.push({ severity: "warning", code: "unused-grant", message: `${ref(policy, index, statement)} allows no call of any route in this stack` });
      }
    });
  }
  return findings;
}
