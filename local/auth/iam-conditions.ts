/**
 * The Condition element, as "IAM JSON policy elements: Condition operators" documents it
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html):
 * operators AND together, keys within an operator AND together, values of one key OR together
 * (NOR for negated operators). A key absent from the request context makes a condition false,
 * except that negated operators are then true, `…IfExists` is true, `Null` tests presence, and
 * over the empty set `ForAllValues:` is true and `ForAnyValue:` false.
 *
 * Compiled when the policy is loaded ({@link compileCondition}): an unknown operator, a key the
 * offline mode cannot fill exactly (iam-request-context.ts), an operator that does not fit the
 * key's type or a value that is not one of the operator's stops start-up with the JSON path.
 * At request time nothing is parsed and nothing is unknown: {@link conditionHolds} is true or false.
 */
import { BlockList, isIP } from "node:net";
import { conditionKeySpec, type ConditionKeyType, type RequestContext } from "./iam-request-context.js";
import { parseTemplate, type PolicyTemplate, PolicyVariableError, resolveTemplate } from "./iam-policy-variables.js";
import { arnMatchCompiled, matchCompiled } from "./iam-wildcard.js";

type Family = "String" | "Numeric" | "Date" | "Bool" | "Binary" | "IpAddress" | "Arn";

interface OperatorSpec {
  readonly family: Family;
  readonly negated: boolean;
  /** How two values compare; `wildcards` when the policy value is a `*`/`?` pattern. */
  readonly compare: "equals" | "ignoreCase" | "like" | "lessThan" | "lessThanEquals" | "greaterThan" | "greaterThanEquals" | "inRange";
}

const OPERATORS: ReadonlyMap<string, OperatorSpec> = new Map<string, OperatorSpec>([
  ["StringEquals", { family: "String", negated: false, compare: "equals" }],
  ["StringNotEquals", { family: "String", negated: true, compare: "equals" }],
  ["StringEqualsIgnoreCase", { family: "String", negated: false, compare: "ignoreCase" }],
  ["StringNotEqualsIgnoreCase", { family: "String", negated: true, compare: "ignoreCase" }],
  ["StringLike", { family: "String", negated: false, compare: "like" }],
  ["StringNotLike", { family: "String", negated: true, compare: "like" }],
  ["NumericEquals", { family: "Numeric", negated: false, compare: "equals" }],
  ["NumericNotEquals", { family: "Numeric", negated: true, compare: "equals" }],
  ["NumericLessThan", { family: "Numeric", negated: false, compare: "lessThan" }],
  ["NumericLessThanEquals", { family: "Numeric", negated: false, compare: "lessThanEquals" }],
  ["NumericGreaterThan", { family: "Numeric", negated: false, compare: "greaterThan" }],
  ["NumericGreaterThanEquals", { family: "Numeric", negated: false, compare: "greaterThanEquals" }],
  ["DateEquals", { family: "Date", negated: false, compare: "equals" }],
  ["DateNotEquals", { family: "Date", negated: true, compare: "equals" }],
  ["DateLessThan", { family: "Date", negated: false, compare: "lessThan" }],
  ["DateLessThanEquals", { family: "Date", negated: false, compare: "lessThanEquals" }],
  ["DateGreaterThan", { family: "Date", negated: false, compare: "greaterThan" }],
  ["DateGreaterThanEquals", { family: "Date", negated: false, compare: "greaterThanEquals" }],
  ["Bool", { family: "Bool", negated: false, compare: "equals" }],
  ["BinaryEquals", { family: "Binary", negated: false, compare: "equals" }],
  ["IpAddress", { family: "IpAddress", negated: false, compare: "inRange" }],
  ["NotIpAddress", { family: "IpAddress", negated: true, compare: "inRange" }],
  // AWS: ArnEquals and ArnLike behave alike, wildcards included; both match part by part.
  ["ArnEquals", { family: "Arn", negated: false, compare: "like" }],
  ["ArnLike", { family: "Arn", negated: false, compare: "like" }],
  ["ArnNotEquals", { family: "Arn", negated: true, compare: "like" }],
  ["ArnNotLike", { family: "Arn", negated: true, compare: "like" }],
]);

/** The key type each operator family needs (String operators fit every key). */
const FAMILY_KEY_TYPE: Readonly<Record<Family, ConditionKeyType | undefined>> = {
  String: undefined,
  Numeric: "Numeric",
  Date: "Date",
  Bool: "Bool",
  Binary: undefined, // AWS sets no binary key on execute-api calls: only absent keys pass (below)
  IpAddress: "IPAddress",
  Arn: "ARN",
};

type CompiledValue = PolicyTemplate | number | BlockList | string;

/** One operator on one key, compiled. */
interface ConditionTest {
  readonly key: string;
  readonly operator: OperatorSpec | "Null";
  readonly set?: "ForAnyValue" | "ForAllValues";
  readonly ifExists: boolean;
  /** A multivalued key: its values come from `getAll`, each tested on its own. */
  readonly multivalued?: true;
  /** Per family: templates (String, Arn), numbers (Numeric, Date in ms), lower-case "true"/"false" (Bool, Null), BlockLists (IP), base64 text (Binary). */
  readonly values: readonly CompiledValue[];
}

/** A statement's whole Condition element, compiled: every test must hold. */
export type CompiledCondition = readonly ConditionTest[];

/** A problem in a condition, with the JSON path below `Condition`. */
export class ConditionError extends Error {
  constructor(
    message: string,
    readonly subPath: string,
  ) {
    super(message);
  }
}

/**
 * Compiles a normalized Condition element. `strictKeys`: the statement can apply to an action the
 * offline mode evaluates, so every key must be one it fills exactly; other statements (another
 * service's actions) only get their operators checked.
 */
export function compileCondition(condition: Record<string, Record<string, string[]>>, variablesEnabled: boolean, strictKeys: boolean): CompiledCondition {
  const tests: ConditionTest[] = [];
  for (const operatorName of Object.keys(condition)) {
    const parsed = parseOperatorName(operatorName);
    if (parsed === undefined) throw new ConditionError(`'${operatorName}' is not a condition operator`, operatorName);
    for (const [keyName, rawValues] of Object.entries(condition[operatorName]!)) {
      const at = `${operatorName}.${keyName}`;
      if (!strictKeys) continue;
      const known = conditionKeySpec(keyName);
      if ("refused" in known) throw new ConditionError(`condition key '${keyName}' cannot be evaluated offline: ${known.refused}`, at);
      const { operator } = parsed;
      // "Single-valued vs. multivalued context keys": a multivalued key is tested with a set operator.
      if (known.multivalued && operator !== "Null" && parsed.set === undefined) {
        throw new ConditionError(`'${keyName}' is multivalued: use ForAnyValue:${operatorName} or ForAllValues:${operatorName}`, at);
      }
      if (operator !== "Null") {
        const needed = FAMILY_KEY_TYPE[operator.family];
        const fits = known.spec.presence === "never" || (operator.family === "Binary" ? false : needed === undefined || known.spec.types.includes(needed));
        if (!fits) {
          throw new ConditionError(`${operatorName} does not fit '${keyName}' (a ${known.spec.types.join("/")} key); the offline mode does not guess how AWS compares them`, at);
        }
      }
      tests.push({
        key: keyName.toLowerCase(),
        operator,
        ...(parsed.set !== undefined ? { set: parsed.set } : {}),
        ifExists: parsed.ifExists,
        ...(known.multivalued ? { multivalued: true as const } : {}),
        values: rawValues.map((value, i) => compileValue(operator, value, variablesEnabled, `${at}[${i}]`)),
      });
    }
  }
  return tests;
}

interface ParsedOperator {
  readonly operator: OperatorSpec | "Null";
  readonly set?: "ForAnyValue" | "ForAllValues";
  readonly ifExists: boolean;
}

function parseOperatorName(name: string): ParsedOperator | undefined {
  let rest = name;
  let set: ParsedOperator["set"];
  for (const prefix of ["ForAnyValue", "ForAllValues"] as const) {
    if (rest.startsWith(`${prefix}:`)) {
      set = prefix;
      rest = rest.slice(prefix.length + 1);
    }
  }
  // `Null` takes neither a set prefix nor IfExists (Access Analyzer: "Null with if exists").
  if (rest === "Null") return set === undefined ? { operator: "Null", ifExists: false } : undefined;
  const ifExists = rest.endsWith("IfExists");
  if (ifExists) rest = rest.slice(0, -"IfExists".length);
  const operator = OPERATORS.get(rest);
  if (operator === undefined) return undefined;
  return { operator, ...(set !== undefined ? { set } : {}), ifExists };
}

const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

function compileValue(operator: OperatorSpec | "Null", value: string, variablesEnabled: boolean, at: string): CompiledValue {
  const family = operator === "Null" ? "Null" : operator.family;
  if (family === "Null" || family === "Bool") {
    const lower = value.toLowerCase();
    if (lower !== "true" && lower !== "false") throw new ConditionError(`${family} takes 'true' or 'false', not '${value}'`, at);
    return lower;
  }
  if (variablesEnabled && value.includes("${") && family !== "String" && family !== "Arn") {
    throw new ConditionError(`a policy variable in a ${family} condition value is not evaluated by the offline mode`, at);
  }
  switch (family) {
    case "String":
    case "Arn":
      try {
        return parseTemplate(operator !== "Null" && operator.compare === "ignoreCase" ? value.toLowerCase() : value, variablesEnabled);
      } catch (error) {
        if (error instanceof PolicyVariableError) throw new ConditionError(error.message, at);
        throw error;
      }
    case "Numeric":
      if (!NUMBER.test(value)) throw new ConditionError(`'${value}' is not a number`, at);
      return Number(value);
    case "Date": {
      const ms = parseDate(value);
      if (ms === undefined) throw new ConditionError(`'${value}' is not an ISO 8601 date or epoch seconds`, at);
      return ms;
    }
    case "Binary":
      if (!BASE64.test(value)) throw new ConditionError(`'${value}' is not base64`, at);
      return value;
    case "IpAddress": {
      const list = ipRange(value);
      if (list === undefined) throw new ConditionError(`'${value}' is not an IP address or CIDR range`, at);
      return list;
    }
  }
}

function parseDate(value: string): number | undefined {
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  if (!ISO_DATE.test(value)) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}

/** `203.0.113.0/24`, `2001:db8::/32` or a bare address, as a BlockList built once. */
function ipRange(range: string): BlockList | undefined {
  const slash = range.indexOf("/");
  const base = slash < 0 ? range : range.slice(0, slash);
  const family = isIP(base);
  if (family === 0) return undefined;
  const maxPrefix = family === 4 ? 32 : 128;
  const prefixText = slash < 0 ? String(maxPrefix) : range.slice(slash + 1);
  if (!/^\d+$/.test(prefixText) || Number(prefixText) > maxPrefix) return undefined;
  const list = new BlockList();
  list.addSubnet(base, Number(prefixText), family === 4 ? "ipv4" : "ipv6");
  return list;
}

/** True when every test of the compiled Condition holds for this request context. */
export function conditionHolds(condition: CompiledCondition, context: RequestContext): boolean {
  for (const test of condition) {
    const holds = test.multivalued ? setTestHolds(test, context.getAll?.(test.key), context) : testHolds(test, context.get(test.key), context);
    if (!holds) return false;
  }
  return true;
}

/** A set operator on a multivalued key: ForAnyValue needs one value to match, ForAllValues every one (true for none). */
function setTestHolds(test: ConditionTest, contextValues: readonly string[] | undefined, context: RequestContext): boolean {
  if (test.operator === "Null") return testHolds(test, contextValues === undefined || contextValues.length === 0 ? undefined : contextValues[0], context);
  if (contextValues === undefined || contextValues.length === 0) return test.set === "ForAllValues";
  const forAll = test.set === "ForAllValues";
  for (const value of contextValues) {
    const holds = testHolds(test, value, context);
    if (forAll && !holds) return false;
    if (!forAll && holds) return true;
  }
  return forAll;
}

function testHolds(test: ConditionTest, contextValue: string | undefined, context: RequestContext): boolean {
  if (test.operator === "Null") {
    // "true": the key must be absent; several values OR together.
    for (const wanted of test.values) if ((wanted === "true") === (contextValue === undefined)) return true;
    return false;
  }
  if (contextValue === undefined) {
    if (test.set === "ForAllValues") return true; // no value fails: vacuously true
    if (test.set === "ForAnyValue") return false; // no value matches
    return test.ifExists || test.operator.negated;
  }
  // The keys AWS sets on this call are single-valued, so ForAnyValue / ForAllValues over the
  // one value reduce to the plain test once the key is present.
  let anyMatch = false;
  for (const value of test.values) {
    if (valueMatches(test.operator, contextValue, value, context)) {
      anyMatch = true;
      break;
    }
  }
  return test.operator.negated ? !anyMatch : anyMatch;
}

function valueMatches(operator: OperatorSpec, contextValue: string, policyValue: CompiledValue, context: RequestContext): boolean {
  switch (operator.family) {
    case "String": {
      const wildcards = operator.compare === "like";
      const resolved = resolveTemplate(policyValue as PolicyTemplate, context, wildcards);
      if (resolved === undefined) return false; // a variable without value is null: equal to nothing
      if (operator.compare === "ignoreCase") return contextValue.toLowerCase() === resolved.toLowerCase();
      return wildcards ? matchCompiled(resolved, contextValue) : contextValue === resolved;
    }
    case "Arn": {
      const resolved = resolveTemplate(policyValue as PolicyTemplate, context, true);
      return resolved !== undefined && arnMatchCompiled(resolved, contextValue);
    }
    case "Bool":
      return contextValue.toLowerCase() === policyValue;
    case "Numeric":
      return compareNumbers(operator, Number(contextValue), policyValue as number);
    case "Date":
      return compareNumbers(operator, contextDate(contextValue), policyValue as number);
    case "IpAddress":
      return ipMatches(contextValue, policyValue as BlockList);
    case "Binary":
      return false; // unreachable: compileCondition admits BinaryEquals only on keys AWS never sets here
  }
}

function compareNumbers(operator: OperatorSpec, actual: number, expected: number): boolean {
  if (Number.isNaN(actual)) return false;
  switch (operator.compare) {
    case "equals":
      return actual === expected;
    case "lessThan":
      return actual < expected;
    case "lessThanEquals":
      return actual <= expected;
    case "greaterThan":
      return actual > expected;
    case "greaterThanEquals":
      return actual >= expected;
    default:
      return false;
  }
}

/** Context dates are ISO 8601 (aws:CurrentTime) or epoch seconds (aws:EpochTime). */
function contextDate(value: string): number {
  return /^\d+$/.test(value) ? Number(value) * 1000 : Date.parse(value);
}

/** `::ffff:a.b.c.d` counts as IPv4. */
function ipMatches(address: string, list: BlockList): boolean {
  const client = address.toLowerCase().startsWith("::ffff:") && isIP(address.slice(7)) === 4 ? address.slice(7) : address;
  const family = isIP(client);
  if (family === 0) return false;
  return list.check(client, family === 4 ? "ipv4" : "ipv6");
}
