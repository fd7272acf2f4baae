import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { App, DefaultTokenResolver, StringConcat, TerraformLocal, TerraformResource, TerraformStack, Tokenization } from "cdktf";
import type { Construct } from "constructs";
import { HclExpression, renderBlock, type BlockPaths, type HclValue } from "./hcl.js";
import { policyExpression } from "./policy-expression.js";

type Body = Record<string, HclValue>;

interface DraftResource {
  readonly type: string;
  /** The synthesized (hash-suffixed) name. */
  readonly synthesizedName: string;
  body: Body;
  readonly blockPaths: BlockPaths;
  /** The module's name for it, once given; undefined until then. */
  name?: string;
  removed?: boolean;
}

/** Thrown when a construct no longer has the shape an export expects: the exporter must be updated with it. */
export class ExportShapeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ExportShapeError";
  }
}

/** Collects the dotted paths of nested blocks from cdktf's HCL attribute description of a resource. */
function blockPathsOf(resource: TerraformResource): Set<string> {
  const paths = new Set<string>();
  const described = resource.toHclTerraform() as { resource: Record<string, Record<string, Record<string, unknown>>> };
  const attributes = Object.values(Object.values(described.resource)[0]!)[0]!;
  const walk = (node: unknown, prefix: string) => {
    if (!node || typeof node !== "object") return;
    for (const [key, attribute] of Object.entries(node as Record<string, { isBlock?: boolean; value?: unknown }>)) {
      if (!attribute || typeof attribute !== "object" || !("isBlock" in attribute)) continue;
      const path = prefix ? `${prefix}.${key}` : key;
      if (attribute.isBlock) {
        paths.add(path);
        const value = Array.isArray(attribute.value) ? attribute.value[0] : attribute.value;
        walk(value, path);
      }
    }
  };
  walk(attributes, "");
  return paths;
}

/** Replaces every string (and the text of every expression) in a JSON-like value. */
function mapStrings(value: HclValue, replace: (s: string) => string): HclValue {
  if (typeof value === "string") return replace(value);
  if (value instanceof HclExpression) return new HclExpression(replace(value.text));
  if (Array.isArray(value)) return value.map((v) => mapStrings(v, replace));
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, mapStrings(v as HclValue, replace)]));
  }
  return value;
}

/** Replaces every number equal to `from` in a JSON-like value; returns how many were replaced. */
function mapNumbers(value: HclValue, from: number, to: HclValue, count: { n: number }): HclValue {
  if (typeof value === "number" && value === from) {
    count.n += 1;
    return to;
  }
  if (Array.isArray(value)) return value.map((v) => mapNumbers(v, from, to, count));
  if (value && typeof value === "object" && !(value instanceof HclExpression)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, mapNumbers(v as HclValue, from, to, count)]));
  }
  return value;
}

const POLICY_ATTRIBUTES = ["policy", "assume_role_policy"];

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * A construct synthesized on its own, on the way to becoming a plain Terraform module: its
 * resources get the module's names (no hash suffixes), sentinel inputs become variables, and
 * what Terraform must repeat per route gets `for_each`. Every resource the construct creates
 * must be named or removed, and every sentinel must be found, so a construct that changes shape
 * breaks the export loudly instead of exporting something else.
 */
export class ModuleDraft {
  private readonly resources = new Map<string, DraftResource>();
  private readonly locals = new Map<string, { path: string; name?: string; value: HclValue }>();
  private readonly extraResources: DraftResource[] = [];
  private readonly extraLocals: Body = {};
  /** The resolver of the stack the construct was synthesized in, for values the construct returns (tokens). */
  readonly resolve: (value: unknown) => unknown;

  private constructor(private readonly root: Construct, stack: TerraformStack) {
    stack.prepareStack();
    const document = stack.toTerraform() as { resource?: Record<string, Record<string, Body>>; locals?: Record<string, HclValue> };
    for (const element of root.node.findAll()) {
      if (element instanceof TerraformResource) {
        const path = element.node.path.slice(root.node.path.length + 1);
        const body = document.resource![element.terraformResourceType]![element.friendlyUniqueId]!;
        delete body["//"];
        this.resources.set(path, {
          type: element.terraformResourceType,
          synthesizedName: element.friendlyUniqueId,
          body,
          blockPaths: blockPathsOf(element),
        });
      } else if (element instanceof TerraformLocal) {
        const path = element.node.path.slice(root.node.path.length + 1);
        this.locals.set(element.friendlyUniqueId, { path, value: document.locals![element.friendlyUniqueId]! });
      }
    }
    this.resolve = (value) => Tokenization.resolve(value, { scope: stack, resolver: new DefaultTokenResolver(new StringConcat()) });
  }

  /** Builds a construct in a stack of its own (no provider, no backend) and drafts it. */
  static synthesize(build: (scope: Construct) => Construct): ModuleDraft {
    // Nothing is written to the app's outdir, but cdktf creates it: keep it out of the tree.
    const outdir = mkdtempSync(join(tmpdir(), "sia-export-app-"));
    try {
      const app = new App({ outdir, skipValidation: true });
      const stack = new TerraformStack(app, "export");
      const root = build(stack);
      return new ModuleDraft(root, stack);
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  }

  private get(path: string): DraftResource {
    const resource = this.resources.get(path);
    if (!resource) {
      throw new ExportShapeError(`${this.root.node.path}: no resource at '${path}' (has: ${[...this.resources.keys()].join(", ")})`);
    }
    return resource;
  }

  /** The construct paths of the drafted resources. */
  paths(): string[] {
    return [...this.resources.keys()];
  }

  /** Gives the resource at a construct path (relative to the construct) its module name. */
  name(path: string, name: string): this {
    this.get(path).name = name;
    return this;
  }

  /** Gives the local value at a construct path its module name. */
  nameLocal(path: string, name: string): this {
    const local = [...this.locals.values()].find((l) => l.path === path);
    if (!local) throw new ExportShapeError(`${this.root.node.path}: no local at '${path}'`);
    local.name = name;
    return this;
  }

  /** Drops a resource the module replaces with something of its own (e.g. a per-route resource tree). */
  remove(path: string): this {
    this.get(path).removed = true;
    return this;
  }

  /** The body of a resource, for changes the module needs (`for_each`, per-instance references). */
  body(path: string): Body {
    return this.get(path).body;
  }

  /** Sets attributes of a resource; a dotted key sets an attribute of a nested block. */
  set(path: string, attributes: Readonly<Record<string, HclValue>>): this {
    const body = this.get(path).body;
    for (const [key, value] of Object.entries(attributes)) {
      const segments = key.split(".");
      let target = body as Record<string, HclValue>;
      for (const segment of segments.slice(0, -1)) {
        const next = target[segment];
        if (!next || typeof next !== "object") throw new ExportShapeError(`${this.root.node.path}/${path}: no block '${segment}' to set '${key}' in`);
        target = (Array.isArray(next) ? next[0] : next) as Record<string, HclValue>;
      }
      target[segments[segments.length - 1]!] = value;
    }
    return this;
  }

  /** Adds a copy of a drafted resource under another name, with some attributes changed. */
  copy(path: string, name: string, attributes: Readonly<Record<string, HclValue>>): this {
    const source = this.get(path);
    this.extraResources.push({ ...source, body: { ...structuredClone(source.body), ...attributes }, name, removed: false });
    return this;
  }

  /** Adds module-level local values. */
  addLocals(values: Readonly<Record<string, HclValue>>): this {
    Object.assign(this.extraLocals, values);
    return this;
  }

  /** Replaces a sentinel string everywhere (names, ARNs, policies); it must occur at least once. */
  replaceString(sentinel: string, replacement: string): this {
    let found = 0;
    const replace = (s: string) => (s.includes(sentinel) ? (found++, s.split(sentinel).join(replacement)) : s);
    for (const r of this.all()) r.body = mapStrings(r.body, replace) as Body;
    for (const l of this.locals.values()) l.value = mapStrings(l.value, replace);
    for (const [k, v] of Object.entries(this.extraLocals)) this.extraLocals[k] = mapStrings(v, replace);
    if (found === 0) throw new ExportShapeError(`${this.root.node.path}: sentinel '${sentinel}' not found; the construct no longer uses that input.`);
    return this;
  }

  /** Replaces a sentinel string in one resource only (the same sentinel may mean something else elsewhere). */
  replaceStringIn(path: string, sentinel: string, replacement: string): this {
    const resource = this.get(path);
    let found = 0;
    resource.body = mapStrings(resource.body, (s) => (s.includes(sentinel) ? (found++, s.split(sentinel).join(replacement)) : s)) as Body;
    if (found === 0) throw new ExportShapeError(`${this.root.node.path}/${path}: sentinel '${sentinel}' not found.`);
    return this;
  }

  /** Replaces a sentinel number (sizes, limits, retention) with an expression; it must occur. */
  replaceNumber(sentinel: number, replacement: HclValue): this {
    const count = { n: 0 };
    for (const r of this.all()) r.body = mapNumbers(r.body, sentinel, replacement, count) as Body;
    if (count.n === 0) throw new ExportShapeError(`${this.root.node.path}: sentinel number ${sentinel} not found; the construct no longer uses that input.`);
    return this;
  }

  private all(): DraftResource[] {
    return [...this.resources.values(), ...this.extraResources];
  }

  /** Renders `main.tf`: locals, then resources in construct order, with module names everywhere. */
  renderMain(): string {
    const unnamed = [...this.resources.entries()].filter(([, r]) => !r.removed && !r.name).map(([path]) => path);
    if (unnamed.length > 0) {
      throw new ExportShapeError(`${this.root.node.path}: resources without a module name: ${unnamed.join(", ")}; name them in the export.`);
    }
    const renames: [RegExp, string][] = [];
    for (const r of this.resources.values()) {
      if (r.name) renames.push([new RegExp(`\\b${escapeRegExp(`${r.type}.${r.synthesizedName}`)}(?![A-Za-z0-9_-])`, "g"), `${r.type}.${r.name}`]);
    }
    const locals: Body = {};
    for (const [synthesized, l] of this.locals) {
      if (!l.name) throw new ExportShapeError(`${this.root.node.path}: local '${synthesized}' has no module name.`);
      renames.push([new RegExp(`\\blocal\\.${escapeRegExp(synthesized)}(?![A-Za-z0-9_-])`, "g"), `local.${l.name}`]);
      locals[l.name] = l.value;
    }
    const rename = (s: string) => renames.reduce((acc, [pattern, to]) => acc.replace(pattern, to), s);
    const blocks: string[] = [];
    const allLocals = mapStrings({ ...this.extraLocals, ...locals }, rename) as Body;
    if (Object.keys(allLocals).length > 0) blocks.push(renderBlock(["locals"], allLocals));
    for (const r of this.all()) {
      if (r.removed) continue;
      // Policies the construct rendered as JSON read better, and diff better, as jsonencode().
      for (const key of POLICY_ATTRIBUTES) {
        const value = r.body[key];
        if (typeof value === "string" && value.startsWith("{")) r.body[key] = policyExpression(value);
      }
      blocks.push(renderBlock(["resource", r.type, r.name!], mapStrings(r.body, rename) as Body, r.blockPaths));
    }
    return blocks.join("\n");
  }
}
