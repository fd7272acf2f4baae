/**
 * The Condition element, with AWS's rules: operators AND together, keys within an
 * operator AND together, values of one key OR together (NOR for negated operators).
 * A key absent from the request makes a condition false, except that negated operators
 * are then true, `…IfExists` is true, `ForAllValues:` is true and `Null` tests presence.
 *
 * Three-valued: an operator or key this evaluator does not know, a malformed value or a
 * policy variable gives `"unknown"` plus a note in `unsupported`; the evaluator then lets
 * no Allow rely on it and applies any Deny that depends on it (fail closed).
 */
import { BlockList, isIP } from "node:net";
import { arnMatch, wildcardMatch } from "./iam-wildcard.js";

export type Tristate = true | false | "unknown";

/** A request context value: one string, or a set of strings (multivalued keys such as `dynamodb:LeadingKeys`). */
export type ConditionValue = string | readonly string[];

/** Request context keys, lower-cased (condition key names are case-insensitive). */
export type ConditionContext = ReadonlyMap<string, ConditionValue>;

/**
 * The keys this evaluator can fill: the global ones for every call, the DynamoDB ones for DynamoDB
 * calls (absent from other requests, as in AWS); any other key is unsupported.
 */
export const SUPPORTED_CONDITION_KEYS = new Set([
  "aws:principalaccount",
  "aws:principalarn",
  "aws:principalorgid",
  "aws:principaltype",
  "aws:userid",
  "aws:sourceip",
  "dynamodb:leadingkeys",
  "dynamodb:attributes",
  "dynamodb:select",
  "dynamodb:returnvalues",
]);

type BaseOperator =
  | "StringEquals" | "StringNotEquals" | "StringEqualsIgnoreCase" | "StringNotEqualsIgnoreCase"
  | "StringLike" | "StringNotLike" | "ArnEquals" | "ArnLike" | "ArnNotEquals" | "ArnNotLike"
  | "Bool" | "IpAddress" | "NotIpAddress";

const NEGATED = new Set<BaseOperator>(["StringNotEquals", "StringNotEqualsIgnoreCase", "StringNotLike", "ArnNotEquals", "ArnNotLike", "NotIpAddress"]);
const BASE_OPERATORS = new Set<string>([
  "StringEquals", "StringNotEquals", "StringEqualsIgnoreCase", "StringNotEqualsIgnoreCase", "StringLike", "StringNotLike",
  "ArnEquals", "ArnLike", "ArnNotEquals", "ArnNotLike", "Bool", "IpAddress", "NotIpAddress",
]);

interface ParsedOperator {
  base: BaseOperator | "Null";
  set?: "ForAnyValue" | "ForAllValues";
  ifExists: boolean;
}

export function evaluateCondition(
  condition: Record<string, Record<string, string[]>>,
  context: ConditionContext,
  unsupported: string[],
): Tristate {
  let result: Tristate = true;
  for (const operatorName in condition) {
    const keys = condition[operatorName]!;
    const operator = parsedOperator(operatorName);
    for (const keyName in keys) {
      const values = keys[keyName]!;
      const key = keyName.toLowerCase();
      let outcome: Tristate;
      if (operator === undefined) {
        unsupported.push(`condition operator '${operatorName}' is not supported`);
        outcome = "unknown";
      } else if (!SUPPORTED_CONDITION_KEYS.has(key)) {
        unsupported.push(`condition key '${keyName}' is not supported`);
        outcome = "unknown";
      } else {
        const notesBefore = unsupported.length;
        outcome = evaluateOne(operator, context.get(key), values, unsupported);
        // evaluateOne's notes are about this operator and key: say so.
        for (let i = notesBefore; i < unsupported.length; i++) unsupported[i] = `${operatorName} on '${keyName}': ${unsupported[i]}`;
      }
      if (outcome === false) return false; // AND: one false decides, whatever is unknown
      if (outcome === "unknown") result = "unknown";
    }
  }
  return result;
}

/** Operator names come from the loaded policies, a small fixed set, so each is parsed once. */
const operatorCache = new Map<string, ParsedOperator | undefined>();

function parsedOperator(name: string): ParsedOperator | undefined {
  if (operatorCache.has(name)) return operatorCache.get(name);
  const parsed = parseOperator(name);
  operatorCache.set(name, parsed);
  return parsed;
}

function parseOperator(name: string): ParsedOperator | undefined {
  let rest = name;
  let set: ParsedOperator["set"];
  for (const prefix of ["ForAnyValue", "ForAllValues"] as const) {
    if (rest.startsWith(`${prefix}:`)) {
      set = prefix;
      rest = rest.slice(prefix.length + 1);
    }
  }
  if (rest === "Null") return set === undefined ? { base: "Null", ifExists: false } : undefined;
  const ifExists = rest.endsWith("IfExists");
  if (ifExists) rest = rest.slice(0, -"IfExists".length);
  if (!BASE_OPERATORS.has(rest)) return undefined;
  return { base: rest as BaseOperator, ...(set !== undefined ? { set } : {}), ifExists };
}

/** Notes go to `notes` bare; the caller prefixes them with the operator and key. */
function evaluateOne(operator: ParsedOperator, contextValue: ConditionValue | undefined, policyValues: string[], notes: string[]): Tristate {
  if (operator.base === "Null") {
    const wanted = policyValues.map((value) => value.toLowerCase());
    if (wanted.some((value) => value !== "true" && value !== "false")) {
      notes.push("Null takes 'true' or 'false'");
      return "unknown";
    }
    return wanted.some((value) => (value === "true") === (contextValue === undefined));
  }
  if (contextValue === undefined) {
    if (operator.set === "ForAllValues") return true; // vacuously true: no value fails
    if (operator.set === "ForAnyValue") return false;
    return operator.ifExists || NEGATED.has(operator.base);
  }
  for (const value of policyValues) {
    if (value.includes("${")) {
      notes.push("policy variables are not supported");
      return "unknown";
    }
  }
  const base = operator.base;
  if (typeof contextValue === "string") {
    // A single-valued key: ForAnyValue / ForAllValues over the one value reduce to the plain test.
    return testOneValue(base, contextValue, policyValues, notes);
  }
  // A multivalued key: AWS evaluates it with a set operator, each request value tested on its own.
  // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html
  if (operator.set === undefined) {
    notes.push("a multivalued key needs ForAnyValue: or ForAllValues:");
    return "unknown";
  }
  if (contextValue.length === 0) return operator.set === "ForAllValues";
  let result: Tristate = operator.set === "ForAllValues";
  for (const value of contextValue) {
    const one = testOneValue(base, value, policyValues, notes);
    if (one === "unknown") return "unknown";
    if (operator.set === "ForAnyValue" && one) result = true;
    if (operator.set === "ForAllValues" && !one) result = false;
  }
  return result;
}

function testOneValue(base: BaseOperator, contextValue: string, policyValues: string[], notes: string[]): Tristate {
  let anyMatch = false;
  for (const policyValue of policyValues) {
    const matched = matchValue(base, contextValue, policyValue);
    if (matched === "invalid") {
      notes.push(`'${policyValue}' is not a valid value for ${base}`);
      return "unknown";
    }
    anyMatch ||= matched;
  }
  return NEGATED.has(base) ? !anyMatch : anyMatch;
}

function matchValue(base: BaseOperator, contextValue: string, policyValue: string): boolean | "invalid" {
  switch (base) {
    case "StringEquals":
    case "StringNotEquals":
      return contextValue === policyValue;
    case "StringEqualsIgnoreCase":
    case "StringNotEqualsIgnoreCase":
      return contextValue.toLowerCase() === policyValue.toLowerCase();
    case "StringLike":
    case "StringNotLike":
      return wildcardMatch(policyValue, contextValue);
    case "ArnEquals": // AWS: ArnEquals behaves exactly like ArnLike, wildcards included
    case "ArnLike":
    case "ArnNotEquals":
    case "ArnNotLike":
      return arnMatch(policyValue, contextValue);
    case "Bool":
      return contextValue.toLowerCase() === policyValue.toLowerCase();
    case "IpAddress":
    case "NotIpAddress":
      return ipInRange(contextValue, policyValue);
  }
}

/** `203.0.113.0/24`, `2001:db8::/32` or a bare address; `::ffff:a.b.c.d` counts as IPv4. */
function ipInRange(address: string, range: string): boolean | "invalid" {
  const slash = range.indexOf("/");
  const base = slash < 0 ? range : range.slice(0, slash);
  const family = isIP(base);
  if (family === 0) return "invalid";
  const maxPrefix = family === 4 ? 32 : 128;
  const prefix = slash < 0 ? maxPrefix : Number(range.slice(slash + 1));
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > maxPrefix || (slash >= 0 && !/^\d+$/.test(range.slice(slash + 1)))) return "invalid";
  const client = address.toLowerCase().startsWith("::ffff:") && isIP(address.slice(7)) === 4 ? address.slice(7) : address;
  const clientFamily = isIP(client);
  if (clientFamily !== family) return false;
  const list = new BlockList();
  list.addSubnet(base, prefix, family === 4 ? "ipv4" : "ipv6");
  return list.check(client, clientFamily === 4 ? "ipv4" : "ipv6");
}
