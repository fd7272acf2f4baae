/**
 * IAM policy documents, validated, normalized (every list element an array) and compiled, so the
 * evaluator never meets a shape it has to guess about and parses nothing per request.
 * A policy AWS would refuse at `PutRolePolicy` / `PutRestApi` time, or one the offline mode cannot
 * evaluate exactly, is rejected here with the JSON path of the problem ({@link PolicyError}); the
 * loader adds the Terraform address. Rules and their AWS pages: local/auth/README.md.
 */
import { DYNAMODB_MAPPED_ACTIONS } from "../aws-endpoint/dynamodb-iam-mapping.js";
import { type CompiledCondition, compileCondition, ConditionError } from "./iam-conditions.js";
import { parseTemplate, type PolicyTemplate, PolicyVariableError } from "./iam-policy-variables.js";
import { compileWildcard, matchCompiled } from "./iam-wildcard.js";

export type Effect = "Allow" | "Deny";

/** `"*"`, or principal type (`AWS`, `Service`, …) -> identifiers. */
export type PrincipalElement = "*" | Record<string, string[]>;

/**
 * The actions the offline mode evaluates: statements that can apply to one get every condition key
 * checked (iam-request-context.ts); others only their operators. Extend both together.
 */
export const EVALUATED_ACTIONS: ReadonlySet<string> = new Set([
  "execute-api:Invoke",
  // What local/aws-endpoint/dynamodb-iam-mapping.ts authorizes DynamoDB calls as.
  ...DYNAMODB_MAPPED_ACTIONS,
]);

export interface PolicyStatement {
  Sid?: string;
  Effect: Effect;
  Action?: string[];
  NotAction?: string[];
  Resource?: string[];
  NotResource?: string[];
  Principal?: PrincipalElement;
  NotPrincipal?: PrincipalElement;
  /** Operator (e.g. `StringEquals`, `ForAnyValue:StringLike`) -> condition key -> values. */
  Condition?: Record<string, Record<string, string[]>>;
  /** What the evaluator runs, built once here. */
  readonly compiled: CompiledStatement;
}

/** A Resource / NotResource entry: a template (policy variables), maybe in API Gateway's `execute-api:/…` short form. */
export interface ResourcePattern {
  /** `execute-api:/stage/METHOD/path` in a resource policy: the API's ARN goes in front. */
  readonly shortForm: boolean;
  readonly template: PolicyTemplate;
}

/** The AWS principals a Principal / NotPrincipal element names, indexed for the evaluator. */
export interface PrincipalSet {
  /** `"*"` or `{"AWS": "*"}`: everyone, anonymous callers included. */
  readonly everyone: boolean;
  readonly accounts: ReadonlySet<string>;
  /** Role ARNs, path included. */
  readonly roles: ReadonlySet<string>;
  /** Assumed-role session ARNs. */
  readonly sessions: ReadonlySet<string>;
  /** The ARNs in `roles` of roles some of whose sessions are named too (NotPrincipal exempts only those sessions). */
  readonly rolesWithNamedSessions: ReadonlySet<string>;
}

export interface CompiledStatement {
  /** Lower-cased compiled wildcard patterns (actions ignore case). */
  readonly actions?: readonly string[];
  readonly notActions?: readonly string[];
  readonly resources?: readonly ResourcePattern[];
  readonly notResources?: readonly ResourcePattern[];
  readonly principal?: PrincipalSet;
  readonly notPrincipal?: PrincipalSet;
  readonly condition?: CompiledCondition;
}

export interface PolicyDocument {
  Version?: string;
  Id?: string;
  Statement: PolicyStatement[];
}

/** A policy and where it came from, so that decisions and messages can name it. */
export interface NamedPolicy {
  /** The Terraform address (or AWS-managed policy ARN) the document came from. */
  readonly source: string;
  /** Validated, normalized and compiled by {@link parsePolicyDocument}. */
  readonly document: PolicyDocument;
}

/** Identity policies (attached to a role, or a permissions boundary) name no principal; resource policies must. */
export type PolicyKind = "identity" | "resource";

export class PolicyError extends Error {
  constructor(
    message: string,
    /** JSON path of the offending element, e.g. `Statement[1].Action`. */
    readonly path: string,
  ) {
    super(`${path}: ${message}`);
    this.name = "PolicyError";
  }
}

const VERSIONS = new Set(["2012-10-17", "2008-10-17"]);
/** "IAM JSON policy elements: Version": policy variables exist only in this version. */
const VARIABLES_VERSION = "2012-10-17";
const DOCUMENT_KEYS = new Set(["Version", "Id", "Statement"]);
const STATEMENT_KEYS = new Set(["Sid", "Effect", "Action", "NotAction", "Resource", "NotResource", "Principal", "NotPrincipal", "Condition"]);
const PRINCIPAL_TYPES = new Set(["AWS", "Service", "Federated", "CanonicalUser"]);
const SHORT_FORM_PREFIX = "execute-api:";
/** IAM: a Sid in an identity policy is ASCII letters and digits ("IAM JSON policy elements: Sid"). */
const IDENTITY_SID = /^[A-Za-z0-9]*$/;

/** Parses a policy given as JSON text or as an already parsed object. Throws PolicyError. */
export function parsePolicyDocument(input: unknown, kind: PolicyKind): PolicyDocument {
  let raw = input;
  if (typeof input === "string") {
    try {
      raw = JSON.parse(input);
    } catch (error) {
      throw new PolicyError(`not valid JSON (${(error as Error).message})`, "$");
    }
  }
  const doc = asObject(raw, "$");
  for (const key of Object.keys(doc)) if (!DOCUMENT_KEYS.has(key)) throw new PolicyError(`unknown element '${key}'`, "$");
  if (doc.Version !== undefined && (typeof doc.Version !== "string" || !VERSIONS.has(doc.Version))) {
    throw new PolicyError("Version must be '2012-10-17' or '2008-10-17'", "Version");
  }
  if (doc.Id !== undefined && typeof doc.Id !== "string") throw new PolicyError("must be a string", "Id");
  if (doc.Statement === undefined) throw new PolicyError("a policy needs a Statement", "Statement");
  const statements = Array.isArray(doc.Statement) ? doc.Statement : [doc.Statement];
  const variablesEnabled = doc.Version === VARIABLES_VERSION;
  const parsed = statements.map((statement, index) => parseStatement(statement, `Statement[${index}]`, kind, variablesEnabled));
  const sids = new Map<string, number>();
  for (const [index, statement] of parsed.entries()) {
    if (statement.Sid === undefined || statement.Sid === "") continue;
    const first = sids.get(statement.Sid);
    if (first !== undefined) throw new PolicyError(`Sid '${statement.Sid}' is already used by Statement[${first}]; AWS requires unique Sids in a policy`, `Statement[${index}].Sid`);
    sids.set(statement.Sid, index);
  }
  return {
    ...(doc.Version !== undefined ? { Version: doc.Version as string } : {}),
    ...(doc.Id !== undefined ? { Id: doc.Id as string } : {}),
    Statement: parsed,
  };
}

function parseStatement(input: unknown, path: string, kind: PolicyKind, variablesEnabled: boolean): PolicyStatement {
  const raw = asObject(input, path);
  for (const key of Object.keys(raw)) if (!STATEMENT_KEYS.has(key)) throw new PolicyError(`unknown element '${key}'`, path);
  if (raw.Effect !== "Allow" && raw.Effect !== "Deny") throw new PolicyError("Effect must be 'Allow' or 'Deny'", `${path}.Effect`);
  const statement: Omit<PolicyStatement, "compiled"> = { Effect: raw.Effect };
  const compiled: { -readonly [K in keyof CompiledStatement]: CompiledStatement[K] } = {};
  if (raw.Sid !== undefined) {
    if (typeof raw.Sid !== "string") throw new PolicyError("must be a string", `${path}.Sid`);
    if (kind === "identity" && !IDENTITY_SID.test(raw.Sid)) throw new PolicyError(`Sid '${raw.Sid}' may hold only ASCII letters and digits in an IAM policy`, `${path}.Sid`);
    statement.Sid = raw.Sid;
  }

  exactlyOne(raw, "Action", "NotAction", path);
  exactlyOne(raw, "Resource", "NotResource", path);
  for (const element of ["Action", "NotAction"] as const) {
    if (raw[element] !== undefined) {
      const actions = stringList(raw[element], `${path}.${element}`);
      for (const action of actions) {
        if (action !== "*" && !/^[A-Za-z0-9-]+:[A-Za-z0-9*?]*$/.test(action)) {
          throw new PolicyError(`'${action}' is not an action ('service:Action' or '*')`, `${path}.${element}`);
        }
      }
      statement[element] = actions;
      compiled[element === "Action" ? "actions" : "notActions"] = actions.map((action) => compileWildcard(action.toLowerCase()));
    }
  }
  for (const element of ["Resource", "NotResource"] as const) {
    if (raw[element] !== undefined) {
      const resources = stringList(raw[element], `${path}.${element}`);
      statement[element] = resources;
      compiled[element === "Resource" ? "resources" : "notResources"] = resources.map((resource) => resourcePattern(resource, kind, variablesEnabled, `${path}.${element}`));
    }
  }

  const hasPrincipal = raw.Principal !== undefined || raw.NotPrincipal !== undefined;
  if (kind === "identity" && hasPrincipal) {
    throw new PolicyError("an identity policy cannot name a Principal or NotPrincipal", path);
  }
  if (kind === "resource") {
    exactlyOne(raw, "Principal", "NotPrincipal", path);
    if (raw.Principal !== undefined) {
      statement.Principal = parsePrincipal(raw.Principal, `${path}.Principal`);
      compiled.principal = principalSet(statement.Principal);
    }
    if (raw.NotPrincipal !== undefined) {
      // "IAM JSON policy elements: NotPrincipal": it must be used with Deny; Allow is not supported.
      if (raw.Effect !== "Deny") throw new PolicyError("NotPrincipal must be used with \"Effect\": \"Deny\" (AWS does not support it with Allow)", `${path}.NotPrincipal`);
      statement.NotPrincipal = parsePrincipal(raw.NotPrincipal, `${path}.NotPrincipal`);
      compiled.notPrincipal = principalSet(statement.NotPrincipal);
      checkNotPrincipalChain(compiled.notPrincipal, `${path}.NotPrincipal`);
    }
  }

  if (raw.Condition !== undefined) {
    statement.Condition = parseCondition(raw.Condition, `${path}.Condition`);
    try {
      compiled.condition = compileCondition(statement.Condition, variablesEnabled, mayApplyToEvaluatedAction(compiled));
    } catch (error) {
      if (error instanceof ConditionError) throw new PolicyError(error.message, `${path}.Condition.${error.subPath}`);
      throw error;
    }
  }
  return { ...statement, compiled };
}

function mayApplyToEvaluatedAction(compiled: CompiledStatement): boolean {
  return [...EVALUATED_ACTIONS].some((action) => {
    const name = action.toLowerCase();
    if (compiled.actions !== undefined) return compiled.actions.some((pattern) => matchCompiled(pattern, name));
    return !compiled.notActions!.some((pattern) => matchCompiled(pattern, name));
  });
}

/** "IAM JSON policy elements: Resource": an ARN or `*`; API Gateway resource policies also take `execute-api:/…`. */
function resourcePattern(resource: string, kind: PolicyKind, variablesEnabled: boolean, path: string): ResourcePattern {
  const shortForm = kind === "resource" && resource.startsWith(`${SHORT_FORM_PREFIX}/`);
  const isArn = /^arn:[^:]+:[^:]+:/.test(resource);
  if (!shortForm && !isArn && resource !== "*") {
    const forms = kind === "resource" ? "an ARN, '*' or API Gateway's 'execute-api:/stage/METHOD/path'" : "an ARN or '*'";
    throw new PolicyError(`'${resource}' is not a resource: AWS takes ${forms}`, path);
  }
  try {
    return { shortForm, template: parseTemplate(shortForm ? resource.slice(SHORT_FORM_PREFIX.length) : resource, variablesEnabled) };
  } catch (error) {
    if (error instanceof PolicyVariableError) throw new PolicyError(error.message, path);
    throw error;
  }
}

function parsePrincipal(input: unknown, path: string): PrincipalElement {
  if (input === "*") return "*";
  const raw = asObject(input, path);
  const principal = emptyRecord<string[]>();
  for (const [type, value] of Object.entries(raw)) {
    if (!PRINCIPAL_TYPES.has(type)) throw new PolicyError(`'${type}' is not a principal type (AWS, Service, Federated, CanonicalUser)`, path);
    const ids = stringList(value, `${path}.${type}`);
    for (const id of ids) {
      // AWS accepts "*" alone, never a partial wildcard inside a principal.
      if (id !== "*" && /[*?]/.test(id)) throw new PolicyError(`'${id}': wildcards are not allowed in a principal`, `${path}.${type}`);
      if (type === "AWS" && id !== "*" && awsPrincipal(id) === undefined) {
        throw new PolicyError(`'${id}' is not an AWS principal (an account id, or the ARN of an account root, role, user or role session)`, `${path}.${type}`);
      }
    }
    principal[type] = ids;
  }
  if (Object.keys(principal).length === 0) throw new PolicyError("names no principal", path);
  return principal;
}

export type AwsPrincipal =
  | { readonly kind: "account"; readonly account: string }
  | { readonly kind: "role"; readonly account: string; readonly name: string }
  | { readonly kind: "session"; readonly account: string; readonly roleName: string }
  | { readonly kind: "user" | "federated-user"; readonly account: string };

/** "IAM JSON policy elements: Principal": the forms an AWS principal takes (undefined for `*` and anything else). */
export function awsPrincipal(id: string): AwsPrincipal | undefined {
  if (/^\d{12}$/.test(id)) return { kind: "account", account: id };
  const arn = /^arn:aws[a-z-]*:(iam|sts)::(\d{12}):(.+)$/.exec(id);
  if (arn === null) return undefined;
  const [, service, account, resource] = arn as unknown as [string, string, string, string];
  if (service === "iam" && resource === "root") return { kind: "account", account };
  if (service === "iam" && resource.startsWith("role/")) return { kind: "role", account, name: resource.split("/").pop()! };
  if (service === "iam" && resource.startsWith("user/")) return { kind: "user", account };
  const session = /^assumed-role\/([^/]+)\/[^/]+$/.exec(resource);
  if (service === "sts" && session !== null) return { kind: "session", account, roleName: session[1]! };
  if (service === "sts" && resource.startsWith("federated-user/")) return { kind: "federated-user", account };
  return undefined;
}

function principalSet(element: PrincipalElement): PrincipalSet {
  const aws = element === "*" ? ["*"] : (element.AWS ?? []);
  const set = { everyone: false, accounts: new Set<string>(), roles: new Set<string>(), sessions: new Set<string>(), rolesWithNamedSessions: new Set<string>() };
  // `ACCOUNT:ROLE_NAME`: a session ARN names its role without the role's path.
  const roleKeys = new Map<string, string>();
  const sessionRoleKeys = new Set<string>();
  for (const id of aws) {
    if (id === "*") {
      set.everyone = true;
      continue;
    }
    const principal = awsPrincipal(id)!;
    if (principal.kind === "account") set.accounts.add(principal.account);
    else if (principal.kind === "role") {
      set.roles.add(id);
      roleKeys.set(id, `${principal.account}:${principal.name}`);
    } else if (principal.kind === "session") {
      set.sessions.add(id);
      sessionRoleKeys.add(`${principal.account}:${principal.roleName}`);
    }
  }
  for (const [roleArn, key] of roleKeys) if (sessionRoleKeys.has(key)) set.rolesWithNamedSessions.add(roleArn);
  return set;
}

/**
 * "IAM JSON policy elements: NotPrincipal": AWS may check the account, then the role, then the
 * role session, so a principal is exempt only when its account is named too, and the page does not
 * say what an account named alone exempts. The offline mode evaluates the lists where every
 * reading agrees and stops on the others instead of picking one.
 */
function checkNotPrincipalChain(set: PrincipalSet, path: string): void {
  if (set.everyone) return;
  const named = new Map<string, string[]>();
  for (const id of [...set.roles, ...set.sessions]) {
    const principal = awsPrincipal(id)!;
    if (!set.accounts.has(principal.account)) {
      throw new PolicyError(`'${id}' is named without its account (arn:aws:iam::${principal.account}:root): AWS says the Deny may then apply to the whole account; name the account too, or use ArnNotEquals on aws:PrincipalArn`, path);
    }
    named.set(principal.account, [...(named.get(principal.account) ?? []), id]);
    if (principal.kind === "session" && ![...set.roles].some((role) => awsRoleKey(role) === `${principal.account}:${principal.roleName}`)) {
      throw new PolicyError(`'${id}' is named without its role's ARN: AWS checks the role before the session; name the role too`, path);
    }
  }
  for (const account of set.accounts) {
    if (!named.has(account)) {
      throw new PolicyError(`account ${account} is named without any of its roles or sessions: AWS does not document which of its principals that exempts; name them, or use ArnNotEquals on aws:PrincipalArn`, path);
    }
  }
}

/** `ACCOUNT:ROLE_NAME` of a role ARN (the path dropped, as in a session ARN). */
function awsRoleKey(roleArn: string): string | undefined {
  const principal = awsPrincipal(roleArn);
  return principal?.kind === "role" ? `${principal.account}:${principal.name}` : undefined;
}

function parseCondition(input: unknown, path: string): Record<string, Record<string, string[]>> {
  const raw = asObject(input, path);
  const condition = emptyRecord<Record<string, string[]>>();
  for (const [operator, block] of Object.entries(raw)) {
    const keys = asObject(block, `${path}.${operator}`);
    condition[operator] = emptyRecord<string[]>();
    for (const [key, value] of Object.entries(keys)) {
      const values = Array.isArray(value) ? value : [value];
      condition[operator][key] = values.map((v, i) => {
        if (typeof v === "string") return v;
        if (typeof v === "boolean" || typeof v === "number") return String(v);
        throw new PolicyError("condition values are strings, booleans or numbers", `${path}.${operator}.${key}[${i}]`);
      });
    }
  }
  return condition;
}

function exactlyOne(raw: Record<string, unknown>, a: string, b: string, path: string): void {
  const count = (raw[a] !== undefined ? 1 : 0) + (raw[b] !== undefined ? 1 : 0);
  if (count !== 1) throw new PolicyError(`a statement needs exactly one of ${a} or ${b}`, path);
}

function stringList(input: unknown, path: string): string[] {
  const values = Array.isArray(input) ? input : [input];
  if (values.length === 0) throw new PolicyError("must not be empty", path);
  for (const value of values) if (typeof value !== "string" || value === "") throw new PolicyError("must be a non-empty string or a list of them", path);
  return values as string[];
}

function asObject(input: unknown, path: string): Record<string, unknown> {
  if (typeof input !== "object" || input === null || Array.isArray(input)) throw new PolicyError("must be a JSON object", path);
  return input as Record<string, unknown>;
}

/** A record without prototype, so a key named `__proto__` is stored like any other. */
function emptyRecord<T>(): Record<string, T> {
  return Object.create(null) as Record<string, T>;
}
