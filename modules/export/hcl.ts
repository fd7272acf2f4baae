/**
 * Renders Terraform JSON (the synthesized form) as Terraform's native syntax, the way a person
 * would write it: blocks as blocks, `${ref}` as a bare `ref`, policy JSON as `jsonencode({...})`,
 * and `=` aligned as `terraform fmt` aligns it. Strings in both syntaxes are templates with the
 * same `${...}` semantics, so only their literal parts need escaping.
 */

/** An HCL expression written out as is (for_each, for-expressions, references). */
export class HclExpression {
  constructor(readonly text: string) {}
}

/** Marks `text` as an expression to render verbatim. */
export const expr = (text: string): HclExpression => new HclExpression(text);

/** A value the renderer accepts: Terraform JSON values plus verbatim expressions. */
export type HclValue = string | number | boolean | null | HclExpression | readonly HclValue[] | { readonly [key: string]: HclValue };

type TemplatePart = { readonly literal: string } | { readonly interpolation: string };

/** Splits a template string into literal text and `${...}` interpolations (nested braces and quoted strings inside an interpolation are respected). */
export function splitTemplate(template: string): TemplatePart[] {
  const parts: TemplatePart[] = [];
  let literal = "";
  let i = 0;
  while (i < template.length) {
    if (template.startsWith("$${", i)) {
      literal += "$${";
      i += 3;
    } else if (template.startsWith("${", i)) {
      const end = interpolationEnd(template, i + 2);
      if (literal) parts.push({ literal });
      literal = "";
      parts.push({ interpolation: template.slice(i + 2, end) });
      i = end + 1;
    } else {
      literal += template[i];
      i += 1;
    }
  }
  if (literal) parts.push({ literal });
  return parts;
}

/** Index of the `}` that closes an interpolation whose expression starts at `start`. */
function interpolationEnd(template: string, start: number): number {
  let depth = 1;
  let inString = false;
  for (let j = start; j < template.length; j++) {
    const ch = template[j];
    if (inString) {
      if (ch === "\\") j += 1;
      else if (ch === '"') inString = false;
    } else if (ch === '"') inString = true;
    else if (ch === "{") depth += 1;
    else if (ch === "}" && --depth === 0) return j;
  }
  throw new Error(`unterminated interpolation in template: ${template}`);
}

/** Escapes the literal part of a quoted template. */
function escapeLiteral(text: string): string {
  return text.replace(/[\\"\n\r\t]/g, (ch) => ({ "\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t" })[ch]!);
}

/** A string as an HCL expression: a lone `${x}` becomes `x`, anything else a quoted template. */
export function renderString(value: string): string {
  const parts = splitTemplate(value);
  if (parts.length === 1 && "interpolation" in parts[0]!) return parts[0].interpolation.trim();
  return `"${parts.map((p) => ("literal" in p ? escapeLiteral(p.literal) : "${" + p.interpolation + "}")).join("")}"`;
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_-]*$/;
const renderKey = (key: string): string => (IDENTIFIER.test(key) ? key : JSON.stringify(key));

/** Renders any value as an expression at the given indentation (continuation lines are indented). */
export function renderValue(value: HclValue, indent = ""): string {
  if (value instanceof HclExpression) return value.text.split("\n").join(`\n${indent}`);
  if (value === null) return "null";
  if (typeof value === "string") return renderString(value);
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  const inner = indent + "  ";
  if (Array.isArray(value)) {
    if (value.length === 0) return "[]";
    const items = value.map((v) => renderValue(v, inner));
    const oneLine = `[${items.join(", ")}]`;
    if (!oneLine.includes("\n") && oneLine.length <= 80) return oneLine;
    return `[\n${items.map((item) => `${inner}${item},`).join("\n")}\n${indent}]`;
  }
  const entries = Object.entries(value as Record<string, HclValue>);
  if (entries.length === 0) return "{}";
  return `{\n${alignedAttributes(entries.map(([k, v]) => [renderKey(k), renderValue(v, inner)]), inner).join("\n")}\n${indent}}`;
}

/**
 * `key = value` lines with the `=` of consecutive single-line attributes aligned, as
 * `terraform fmt` does: an attribute whose value spans lines is not aligned and ends the group.
 */
export function alignedAttributes(attributes: readonly (readonly [string, string])[], indent: string): string[] {
  const lines: string[] = [];
  let run: (readonly [string, string])[] = [];
  const flush = () => {
    const width = Math.max(0, ...run.map(([k]) => k.length));
    for (const [k, v] of run) lines.push(`${indent}${k.padEnd(width)} = ${v}`);
    run = [];
  };
  for (const [key, value] of attributes) {
    if (value.includes("\n")) {
      flush();
      lines.push(`${indent}${key} = ${value}`);
    } else {
      run.push([key, value]);
    }
  }
  flush();
  return lines;
}

/** Which keys of a block body are nested blocks rather than attributes, by dotted path (`settings`, `environment`). */
export type BlockPaths = ReadonlySet<string>;

/** Meta-arguments written first (`for_each`) or last (`depends_on`, `lifecycle`), as people write them. */
const FIRST = ["count", "for_each", "provider"];
const LAST = ["depends_on", "lifecycle"];

/** Renders a block body: attributes (aligned), then nested blocks. */
export function renderBody(body: Readonly<Record<string, HclValue>>, blockPaths: BlockPaths, indent = "  ", path = ""): string {
  const keys = Object.keys(body).filter((k) => k !== "//" && body[k] !== undefined);
  const rank = (k: string) => (FIRST.includes(k) ? 0 : LAST.includes(k) ? 3 : isBlock(k) ? 2 : 1);
  const isBlock = (k: string) => k === "lifecycle" || blockPaths.has(path ? `${path}.${k}` : k);
  keys.sort((a, b) => rank(a) - rank(b) || (rank(a) === 0 || rank(a) === 3 ? [...FIRST, ...LAST].indexOf(a) - [...FIRST, ...LAST].indexOf(b) : 0));
  const sections: string[] = [];
  let attributes: [string, string][] = [];
  const flushAttributes = () => {
    if (attributes.length) sections.push(alignedAttributes(attributes, indent).join("\n"));
    attributes = [];
  };
  for (const key of keys) {
    const value = body[key]!;
    if (isBlock(key)) {
      flushAttributes();
      const childPath = path ? `${path}.${key}` : key;
      const instances = Array.isArray(value) ? value : [value];
      for (const instance of instances) {
        const inner = renderBody(instance as Record<string, HclValue>, blockPaths, indent + "  ", childPath);
        sections.push(`${indent}${key} {\n${inner}${inner ? "\n" : ""}${indent}}`);
      }
    } else if (key === "depends_on") {
      flushAttributes();
      sections.push(`${indent}depends_on = ${renderValue((value as string[]).map((ref) => expr(ref)), indent)}`);
    } else {
      attributes.push([renderKey(key), renderValue(value, indent)]);
    }
  }
  flushAttributes();
  return sections.join("\n\n");
}

/** A top-level block, e.g. `resource "aws_iam_role" "this" { ... }`. */
export function renderBlock(labels: readonly string[], body: Readonly<Record<string, HclValue>>, blockPaths: BlockPaths = new Set()): string {
  const inner = renderBody(body, blockPaths);
  return `${labels.map((l, i) => (i === 0 ? l : JSON.stringify(l))).join(" ")} {\n${inner}${inner ? "\n" : ""}}\n`;
}
