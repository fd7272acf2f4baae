/**
 * IAM policy documents, validated and normalized (every list element an array) so the
 * evaluator never meets a shape it has to guess about. A policy AWS would reject at
 * `PutRolePolicy` / `PutRestApi` time is rejected here with the JSON path of the problem;
 * condition operators and keys are *not* checked here: the evaluator reports the ones it
 * does not understand and fails closed on them.
 */

export type Effect = "Allow" | "Deny";

/** `"*"`, or principal type (`AWS`, `Service`, …) -> identifiers. */
export type PrincipalElement = "*" | Record<string, string[]>;

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
  /** Validated and normalized by {@link parsePolicyDocument}. */
  readonly document: PolicyDocument;
}

/** Identity policies (attached to a role) name no principal; resource policies must. */
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
const DOCUMENT_KEYS = new Set(["Version", "Id", "Statement"]);
const STATEMENT_KEYS = new Set(["Sid", "Effect", "Action", "NotAction", "Resource", "NotResource", "Principal", "NotPrincipal", "Condition"]);

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
  return {
    ...(doc.Version !== undefined ? { Version: doc.Version as string } : {}),
    ...(doc.Id !== undefined ? { Id: doc.Id as string } : {}),
    Statement: statements.map((statement, index) => parseStatement(statement, `Statement[${index}]`, kind)),
  };
}

function parseStatement(input: unknown, path: string, kind: PolicyKind): PolicyStatement {
  const raw = asObject(input, path);
  for (const key of Object.keys(raw)) if (!STATEMENT_KEYS.has(key)) throw new PolicyError(`unknown element '${key}'`, path);
  if (raw.Effect !== "Allow" && raw.Effect !== "Deny") throw new PolicyError("Effect must be 'Allow' or 'Deny'", `${path}.Effect`);
  const statement: PolicyStatement = { Effect: raw.Effect };
  if (raw.Sid !== undefined) {
    if (typeof raw.Sid !== "string") throw new PolicyError("must be a string", `${path}.Sid`);
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
    }
  }
  for (const element of ["Resource", "NotResource"] as const) {
    if (raw[element] !== undefined) statement[element] = stringList(raw[element], `${path}.${element}`);
  }

  const hasPrincipal = raw.Principal !== undefined || raw.NotPrincipal !== undefined;
  if (kind === "identity" && hasPrincipal) {
    throw new PolicyError("an identity policy cannot name a Principal or NotPrincipal", path);
  }
  if (kind === "resource") {
    exactlyOne(raw, "Principal", "NotPrincipal", path);
    for (const element of ["Principal", "NotPrincipal"] as const) {
      if (raw[element] !== undefined) statement[element] = parsePrincipal(raw[element], `${path}.${element}`);
    }
  }

  if (raw.Condition !== undefined) statement.Condition = parseCondition(raw.Condition, `${path}.Condition`);
  return statement;
}

function parsePrincipal(input: unknown, path: string): PrincipalElement {
  if (input === "*") return "*";
  const raw = asObject(input, path);
  const principal = emptyRecord<string[]>();
  for (const [type, value] of Object.entries(raw)) {
    const ids = stringList(value, `${path}.${type}`);
    for (const id of ids) {
      // AWS accepts "*" alone, never a partial wildcard inside a principal.
      if (id !== "*" && /[*?]/.test(id)) throw new PolicyError(`'${id}': wildcards are not allowed in a principal`, `${path}.${type}`);
    }
    principal[type] = ids;
  }
  if (Object.keys(principal).length === 0) throw new PolicyError("names no principal", path);
  return principal;
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
