import { expr, renderValue, type HclExpression, type HclValue } from "./hcl.js";

/** A sentinel that stands for each element of a list variable. */
export interface Expansion {
  /** The sentinel as the construct wrote it. */
  readonly sentinel: string;
  /** The HCL collection to iterate, e.g. `var.allowed_account_ids`. */
  readonly collection: string;
  /** The for-expression's iterator name, e.g. `account`. */
  readonly iterator: string;
  /** What the sentinel becomes inside the for-expression. @default "${iterator}" */
  readonly replacement?: string;
}

/** Options of {@link policyExpression}. */
export interface PolicyExpressionOptions {
  /** In string lists (principals, condition values), a sentinel element becomes the list variable's elements. */
  readonly listExpansions?: readonly Expansion[];
  /** A statement holding this sentinel is repeated for each element (one grant statement per route). */
  readonly statementExpansion?: Expansion;
  /** Statements (by Sid) that exist only when an input is set: Sid -> HCL condition. */
  readonly conditionalStatements?: Readonly<Record<string, string>>;
}

const replaceAll = (value: unknown, sentinel: string, replacement: string): unknown =>
  JSON.parse(JSON.stringify(value).split(sentinel).join(replacement.replace(/\\/g, "\\\\").replace(/"/g, '\\"')));

/** `concat(a, b)` of list parts (one per line, as terraform fmt indents them), or the one part, or `[]`. */
function joinParts(parts: readonly string[]): HclValue {
  if (parts.length === 0) return [];
  if (parts.length === 1) return expr(parts[0]!);
  const oneLine = `concat(${parts.join(", ")})`;
  if (!oneLine.includes("\n") && oneLine.length <= 80) return expr(oneLine);
  return expr(`concat(\n${parts.map((p) => `  ${p.split("\n").join("\n  ")},`).join("\n")}\n)`);
}

function toHcl(value: unknown, options: PolicyExpressionOptions): HclValue {
  if (Array.isArray(value)) {
    const expansion = options.listExpansions?.find((e) => value.some((v) => typeof v === "string" && v.includes(e.sentinel)));
    if (!expansion) return value.map((v) => toHcl(v, options));
    const fixed = value.filter((v) => !(typeof v === "string" && v.includes(expansion.sentinel)));
    const expanded = value.filter((v) => typeof v === "string" && v.includes(expansion.sentinel)) as string[];
    const parts = fixed.length ? [renderValue(fixed.map((v) => toHcl(v, options)))] : [];
    for (const item of expanded) {
      const replacement = expansion.replacement ?? `\${${expansion.iterator}}`;
      parts.push(
        item === expansion.sentinel && replacement === `\${${expansion.iterator}}`
          ? expansion.collection
          : `[for ${expansion.iterator} in ${expansion.collection} : ${renderValue(item.split(expansion.sentinel).join(replacement))}]`,
      );
    }
    return joinParts(parts);
  }
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toHcl(v, options)]));
  }
  return value as HclValue;
}

/**
 * A policy document the construct rendered as JSON, as a `jsonencode({...})` expression: readable,
 * and able to hold the for-expressions and conditions that variables need.
 */
export function policyExpression(policyJson: string, options: PolicyExpressionOptions = {}): HclExpression {
  const document = JSON.parse(policyJson) as { Version: string; Statement: { Sid?: string }[] };
  const parts: string[] = [];
  let fixed: HclValue[] = [];
  const flush = () => {
    if (fixed.length) parts.push(renderValue(fixed));
    fixed = [];
  };
  for (const statement of document.Statement) {
    const expansion = options.statementExpansion;
    const condition = statement.Sid ? options.conditionalStatements?.[statement.Sid] : undefined;
    if (expansion && JSON.stringify(statement).includes(expansion.sentinel)) {
      flush();
      const repeated = replaceAll(statement, expansion.sentinel, expansion.replacement ?? `\${${expansion.iterator}}`);
      parts.push(`[for ${expansion.iterator} in ${expansion.collection} : ${renderValue(toHcl(repeated, options))}]`);
    } else if (condition) {
      flush();
      parts.push(`${condition} ? ${renderValue([toHcl(statement, options)])} : []`);
    } else {
      fixed.push(toHcl(statement, options));
    }
  }
  flush();
  return expr(`jsonencode(${renderValue({ Version: document.Version, Statement: joinParts(parts) })})`);
}
