/**
 * Policy variables, as "IAM policy elements: Variables and tags" documents them
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html):
 * `${aws:key}` is replaced by the request context's value, `${aws:key, 'default'}` falls back to
 * the default (`''` is a quote inside it), and `${*}`, `${?}`, `${$}` stand for the literal
 * characters. Only in Resource/NotResource and condition values, and only when the policy's
 * Version is `2012-10-17`; otherwise the text is literal. A variable whose key has no value and
 * no default is "effectively null": it equals and is like nothing (so inverted operators match).
 * Parsed once at load; a request only looks values up.
 */
import { conditionKeySpec, type RequestContext } from "./iam-request-context.js";
import { compileWildcard } from "./iam-wildcard.js";

type TemplatePart =
  | { readonly text: string } // policy text: `*` and `?` are wildcards where the operator has them
  | { readonly literal: string } // `${*}`, `${?}`, `${$}`
  | { readonly variable: string; readonly fallback?: string };

/** A value from a policy, ready to be resolved against a request. */
export interface PolicyTemplate {
  readonly parts: readonly TemplatePart[];
  /** The resolved value when the template holds no variable (most do): nothing to do per request. */
  readonly fixed?: { readonly plain: string; readonly wildcard: string };
}

/** Why a variable cannot be used, thrown to the policy parser (which adds the JSON path). */
export class PolicyVariableError extends Error {}

const VARIABLE = /^\s*([^\s,']+)\s*(?:,\s*'((?:[^']|'')*)'\s*)?$/;

/** Parses `text`; variables only when `variablesEnabled` (Version 2012-10-17). */
export function parseTemplate(text: string, variablesEnabled: boolean): PolicyTemplate {
  if (!variablesEnabled || !text.includes("${")) return fixedTemplate(text);
  const parts: TemplatePart[] = [];
  let rest = text;
  for (let start = rest.indexOf("${"); start >= 0; start = rest.indexOf("${")) {
    if (start > 0) parts.push({ text: rest.slice(0, start) });
    const end = rest.indexOf("}", start);
    if (end < 0) throw new PolicyVariableError(`'${text}': a policy variable is missing its closing brace`);
    const inner = rest.slice(start + 2, end);
    if (inner === "*" || inner === "?" || inner === "$") parts.push({ literal: inner });
    else parts.push(parseVariable(inner, text));
    rest = rest.slice(end + 1);
  }
  if (rest !== "") parts.push({ text: rest });
  const resolvedWithoutContext = parts.every((part) => !("variable" in part));
  return resolvedWithoutContext ? { parts, fixed: { plain: resolve(parts, new Map(), false)!, wildcard: resolve(parts, new Map(), true)! } } : { parts };
}

function parseVariable(inner: string, text: string): TemplatePart {
  const match = VARIABLE.exec(inner);
  if (match === null) throw new PolicyVariableError(`'${text}': '\${${inner}}' is not a policy variable ('\${key}' or '\${key, 'default'}')`);
  const key = match[1]!.toLowerCase();
  const known = conditionKeySpec(key);
  if ("refused" in known) throw new PolicyVariableError(`'${text}': variable '${match[1]}': ${known.refused}`);
  if (known.multivalued) throw new PolicyVariableError(`'${text}': '${match[1]}' is multivalued and cannot be a policy variable`);
  return match[2] === undefined ? { variable: key } : { variable: key, fallback: match[2].replaceAll("''", "'") };
}

function fixedTemplate(text: string): PolicyTemplate {
  return { parts: [{ text }], fixed: { plain: text, wildcard: compileWildcard(text) } };
}

/**
 * The template's value for this request: with `wildcards`, policy text is compiled for
 * wildcard matching (see iam-wildcard.ts) while variable values and `${*}` stay literal.
 * Undefined when a variable has no value and no default (AWS's null: matches nothing).
 */
export function resolveTemplate(template: PolicyTemplate, context: RequestContext, wildcards: boolean): string | undefined {
  if (template.fixed !== undefined) return wildcards ? template.fixed.wildcard : template.fixed.plain;
  return resolve(template.parts, context, wildcards);
}

function resolve(parts: readonly TemplatePart[], context: RequestContext, wildcards: boolean): string | undefined {
  let out = "";
  for (const part of parts) {
    if ("text" in part) out += wildcards ? compileWildcard(part.text) : part.text;
    else if ("literal" in part) out += part.literal;
    else {
      const value = context.get(part.variable) ?? part.fallback;
      if (value === undefined) return undefined;
      out += value;
    }
  }
  return out;
}
