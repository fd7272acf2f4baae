import { readFileSync } from "node:fs";
import { ExpressionError, interpolate } from "./expressions.js";

/** Thrown when the stack cannot be served faithfully; the message names the Terraform address. */
export class StackLoadError extends Error {
  constructor(
    /** The Terraform address (`aws_iam_role.x`, `output.y`) or file at fault. */
    readonly address: string,
    message: string,
  ) {
    super(`${address}: ${message}`);
    this.name = "StackLoadError";
  }
}

/** One resource block: its address and raw configuration (still holding `${…}` references). */
export interface TerraformResource {
  readonly type: string;
  readonly name: string;
  readonly address: string;
  readonly config: Readonly<Record<string, unknown>>;
}

export interface TerraformStackJson {
  readonly resources: ReadonlyMap<string, TerraformResource>;
  readonly outputs: Readonly<Record<string, { value?: unknown }>>;
  readonly variables: ReadonlySet<string>;
  /** `locals` values, still holding `${…}` references. */
  readonly locals: Readonly<Record<string, unknown>>;
  /** The aws provider's `default_tags.tags`, which every taggable resource (roles included) gets. */
  readonly awsDefaultTags: Readonly<Record<string, unknown>>;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** Reads `cdk.tf.json`, keeping resources by address. */
export function readTerraformJson(file: string): TerraformStackJson {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    throw new StackLoadError(file, `cannot read the synthesized stack (${(error as Error).message}); run the synth first`);
  }
  if (!isObject(json)) throw new StackLoadError(file, "is not a Terraform JSON object");
  const resources = new Map<string, TerraformResource>();
  const byType = isObject(json.resource) ? json.resource : {};
  for (const [type, blocks] of Object.entries(byType)) {
    if (!isObject(blocks)) throw new StackLoadError(`resource.${type}`, "is not an object of named blocks");
    for (const [name, config] of Object.entries(blocks)) {
      const address = `${type}.${name}`;
      if (!isObject(config)) throw new StackLoadError(address, "is not an object");
      if ("count" in config || "for_each" in config) {
        throw new StackLoadError(address, "count/for_each are not supported by the offline mode");
      }
      resources.set(address, { type, name, address, config });
    }
  }
  const outputs = isObject(json.output) ? (json.output as Record<string, { value?: unknown }>) : {};
  const variables = new Set(Object.keys(isObject(json.variable) ? json.variable : {}));
  const locals = isObject(json.locals) ? json.locals : {};
  return { resources, outputs, variables, locals, awsDefaultTags: awsDefaultTags(json.provider) };
}

function awsDefaultTags(provider: unknown): Record<string, unknown> {
  const aws = isObject(provider) ? provider.aws : undefined;
  const blocks = Array.isArray(aws) ? aws : aws === undefined ? [] : [aws];
  const tagged = blocks.filter((block) => at(block, "default_tags", "tags") !== undefined);
  // An aliased provider with other default tags would tag some roles differently: not modelled.
  if (blocks.length > 1 && tagged.length > 0) throw new StackLoadError("provider.aws", "several aws providers with default_tags are not supported by the offline mode (aws:PrincipalTag would be guessed)");
  const tags = tagged.length === 0 ? {} : at(tagged[0], "default_tags", "tags");
  if (!isObject(tags)) throw new StackLoadError("provider.aws", "default_tags.tags must be an object");
  return tags;
}

/** Reads a nested configuration value: `at(config, "environment", "variables")`. */
export function at(config: unknown, ...keys: string[]): unknown {
  let value = config;
  for (const key of keys) {
    // Terraform JSON may render a nested block as a one-element list.
    if (Array.isArray(value) && value.length === 1) value = value[0];
    if (!isObject(value)) return undefined;
    value = value[key];
  }
  if (Array.isArray(value) && value.length === 1 && isObject(value[0])) return value[0];
  return value;
}

export { isObject };

/** Wraps expression errors with the address they came from. */
export function interpolateAt(address: string, field: string, template: string, resolve: Parameters<typeof interpolate>[1]): string {
  try {
    return interpolate(template, resolve);
  } catch (error) {
    if (error instanceof ExpressionError) throw new StackLoadError(address, `${field}: ${error.message}`);
    throw error;
  }
}
