/**
 * The slice of Terraform's expression language the modules emit inside strings: `${a.b.attr}`
 * references and `${element(split(":", a.b.attr), 4)}`. Anything else is refused with the
 * expression's text, so that start-up can name it instead of serving a guess.
 */

/** Thrown for an expression outside the supported forms; the loader adds the Terraform address. */
export class ExpressionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ExpressionError";
  }
}

type Value = string | number | readonly string[];

/** Resolves `type.name.attribute` (as split on dots) to a value, or undefined when unknown. */
export type ReferenceResolver = (path: readonly string[]) => string | undefined;

type Token =
  | { kind: "ident"; text: string }
  | { kind: "string"; text: string }
  | { kind: "number"; value: number }
  | { kind: "punct"; text: "(" | ")" | "," | "." };

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const c = source[i]!;
    if (/\s/.test(c)) {
      i++;
    } else if (c === "(" || c === ")" || c === "," || c === ".") {
      tokens.push({ kind: "punct", text: c });
      i++;
    } else if (c === '"') {
      let text = "";
      i++;
      for (;;) {
        if (i >= source.length) throw new ExpressionError(`unterminated string in \${${source}}`);
        const d = source[i]!;
        if (d === '"') break;
        if (d === "\\") {
          const e = source[i + 1];
          const escapes: Record<string, string> = { n: "\n", t: "\t", r: "\r", '"': '"', "\\": "\\" };
          if (e === undefined || !(e in escapes)) throw new ExpressionError(`unsupported escape in \${${source}}`);
          text += escapes[e];
          i += 2;
        } else {
          text += d;
          i++;
        }
      }
      i++;
      tokens.push({ kind: "string", text });
    } else if (/[0-9]/.test(c)) {
      const m = /^[0-9]+/.exec(source.slice(i))!;
      tokens.push({ kind: "number", value: Number(m[0]) });
      i += m[0].length;
    } else if (/[A-Za-z_]/.test(c)) {
      // Terraform names may hold '-' (cdktf ids like `users-function_29BC4D76`).
      const m = /^[A-Za-z_][A-Za-z0-9_-]*/.exec(source.slice(i))!;
      tokens.push({ kind: "ident", text: m[0] });
      i += m[0].length;
    } else {
      throw new ExpressionError(`unsupported character '${c}' in \${${source}}`);
    }
  }
  return tokens;
}

const FUNCTIONS: Record<string, (args: Value[], source: string) => Value> = {
  split(args, source) {
    const [separator, text] = args;
    if (args.length !== 2 || typeof separator !== "string" || typeof text !== "string") {
      throw new ExpressionError(`split(separator, string) expects two strings in \${${source}}`);
    }
    return text.split(separator);
  },
  element(args, source) {
    const [list, index] = args;
    if (args.length !== 2 || !Array.isArray(list) || typeof index !== "number") {
      throw new ExpressionError(`element(list, index) expects a list and a number in \${${source}}`);
    }
    if (list.length === 0) throw new ExpressionError(`element() of an empty list in \${${source}}`);
    // Terraform's element() wraps around.
    return list[index % list.length]!;
  },
};

/** Evaluates one expression (the text between `${` and `}`). */
export function evaluateExpression(source: string, resolve: ReferenceResolver): Value {
  // Name an unsupported function before its arguments (HCL objects, lambdas) trip the tokenizer.
  const outer = /^\s*([A-Za-z_][A-Za-z0-9_-]*)\s*\(/.exec(source)?.[1];
  if (outer !== undefined && !Object.hasOwn(FUNCTIONS, outer)) {
    throw new ExpressionError(`function ${outer}() is not supported by the offline mode in \${${source}}`);
  }
  const tokens = tokenize(source);
  let pos = 0;
  const peek = () => tokens[pos];
  const expectPunct = (text: string) => {
    const t = tokens[pos++];
    if (t?.kind !== "punct" || t.text !== text) throw new ExpressionError(`expected '${text}' in \${${source}}`);
  };
  const parse = (): Value => {
    const t = tokens[pos++];
    if (!t) throw new ExpressionError(`incomplete expression \${${source}}`);
    if (t.kind === "string") return t.text;
    if (t.kind === "number") return t.value;
    if (t.kind !== "ident") throw new ExpressionError(`unexpected '${t.text}' in \${${source}}`);
    const next = peek();
    if (next?.kind === "punct" && next.text === "(") {
      const fn = Object.hasOwn(FUNCTIONS, t.text) ? FUNCTIONS[t.text] : undefined;
      if (!fn) throw new ExpressionError(`function ${t.text}() is not supported by the offline mode in \${${source}}`);
      pos++;
      const args: Value[] = [];
      if (!(peek()?.kind === "punct" && (peek() as { text: string }).text === ")")) {
        for (;;) {
          args.push(parse());
          const sep = peek();
          if (sep?.kind === "punct" && sep.text === ",") {
            pos++;
            continue;
          }
          break;
        }
      }
      expectPunct(")");
      return fn(args, source);
    }
    const path = [t.text];
    while (peek()?.kind === "punct" && (peek() as { text: string }).text === ".") {
      pos++;
      const part = tokens[pos++];
      if (part?.kind !== "ident") throw new ExpressionError(`malformed reference in \${${source}}`);
      path.push(part.text);
    }
    if (path.length < 3 && path[0] !== "var" && path[0] !== "local") {
      throw new ExpressionError(`'${path.join(".")}' is not a resource attribute reference in \${${source}}`);
    }
    const value = resolve(path);
    if (value === undefined) throw new ExpressionError(`cannot resolve '${path.join(".")}' in \${${source}}`);
    return value;
  };
  const value = parse();
  if (pos !== tokens.length) throw new ExpressionError(`unexpected trailing input in \${${source}}`);
  return value;
}

/**
 * Replaces every `${…}` in a Terraform string with its value; `$${` stays a literal `${`.
 * `%{` template directives are refused.
 */
export function interpolate(template: string, resolve: ReferenceResolver): string {
  let out = "";
  let i = 0;
  while (i < template.length) {
    if (template.startsWith("$${", i) || template.startsWith("%%{", i)) {
      out += template.slice(i + 1, i + 3);
      i += 3;
    } else if (template.startsWith("%{", i)) {
      throw new ExpressionError(`template directive '%{' is not supported by the offline mode`);
    } else if (template.startsWith("${", i)) {
      const end = closingBrace(template, i + 2);
      const value = evaluateExpression(template.slice(i + 2, end), resolve);
      if (typeof value !== "string" && typeof value !== "number") {
        throw new ExpressionError(`\${${template.slice(i + 2, end)}} is a list, not a string`);
      }
      out += String(value);
      i = end + 1;
    } else {
      out += template[i];
      i++;
    }
  }
  return out;
}

/** The index of the `}` closing an interpolation that starts at `from`, skipping string literals. */
function closingBrace(text: string, from: number): number {
  let depth = 0;
  let inString = false;
  for (let i = from; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === "\\") i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === "{") depth++;
    else if (c === "}") {
      if (depth === 0) return i;
      depth--;
    }
  }
  throw new ExpressionError(`unterminated interpolation '${text.slice(from - 2, from + 40)}'`);
}
