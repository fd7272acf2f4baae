/**
 * Stand-ins for CDKTF's cross-stack references when a consumer stack is planned offline, where no
 * producer stack was ever applied. CDKTF writes a reference as an output of the producer and, in
 * the consumer, a `terraform_remote_state` data source (local backend at
 * `terraform.<producer>.tfstate`) whose `outputs.<name>` the consumer reads. For the plan, the
 * test-only override points that data source at a placeholder state holding every output the
 * producer declares, each a clearly fake value of the shape AWS would report (ids starting with
 * "fake", ARNs in the fake account and the producer's region). An output the consumer reads but
 * the producer does not declare is a real bug: it fails here, naming both stacks, before any plan.
 * The data source reads "the root module output values" of the state it is pointed at:
 * https://developer.hashicorp.com/terraform/language/state/remote-state-data
 */
import { createHash } from "node:crypto";
import { FAKE_ACCOUNT_ID } from "./offline-override.js";
import { terraformState } from "./plan.js";

/** The parts of a synthesized stack (`cdk.tf.json`) read here. */
export interface SynthesizedStack {
  readonly provider?: { readonly aws?: readonly { readonly region?: string }[] };
  readonly resource?: Readonly<Record<string, Readonly<Record<string, Readonly<Record<string, unknown>>>>>>;
  readonly data?: Readonly<Record<string, Readonly<Record<string, Readonly<Record<string, unknown>>>>>>;
  readonly output?: Readonly<Record<string, { readonly value: unknown; readonly sensitive?: boolean }>>;
}

/** One `terraform_remote_state` of a consumer stack and the placeholder state planned in its place. */
export interface CrossStackInput {
  /** Name of the data source: `data.terraform_remote_state.<dataSource>`. */
  readonly dataSource: string;
  /** The stack whose outputs it reads. */
  readonly producer: string;
  /** The outputs the consumer reads, sorted. */
  readonly outputsRead: readonly string[];
  /** Every output the producer declares, by name, as its placeholder value. */
  readonly placeholders: Readonly<Record<string, string>>;
  /** The placeholder state (Terraform state v4) holding those outputs. */
  readonly state: unknown;
}

/** A cross-stack reference the plan cannot stand in for: names the consumer, the producer and the output. */
export class CrossStackReferenceError extends Error {
  constructor(
    readonly consumer: string,
    readonly producer: string | undefined,
    readonly output: string | undefined,
    detail: string,
  ) {
    super(detail);
    this.name = "CrossStackReferenceError";
  }
}

/**
 * The cross-stack inputs of `consumer` (a stack of the app, by name), each with the placeholder
 * state of its producer, one of `stacks` (every synthesized stack of the app, by name).
 * @throws CrossStackReferenceError for a reference that is not CDKTF's, a producer that is not in
 *   the app, an output the producer does not declare, or a read output with no known shape.
 */
export function crossStackInputs(consumer: string, stacks: ReadonlyMap<string, SynthesizedStack>): CrossStackInput[] {
  const json = stacks.get(consumer);
  if (!json) throw new Error(`no synthesized stack '${consumer}'`);
  const text = JSON.stringify(json);
  return Object.entries(json.data?.terraform_remote_state ?? {}).map(([dataSource, source]) => {
    const address = `data.terraform_remote_state.${dataSource}`;
    const path = (source.config as { path?: unknown } | undefined)?.path;
    const producer = typeof path === "string" ? /(?:^|\/)terraform\.([^/]+)\.tfstate$/.exec(path)?.[1] : undefined;
    if (source.backend !== "local" || producer === undefined) {
      throw new CrossStackReferenceError(consumer, producer, undefined, `stack '${consumer}': ${address} is not a CDKTF cross-stack reference (a local backend at terraform.<stack>.tfstate), so tf:check has no producer to stand in for`);
    }
    const declared = stacks.get(producer);
    if (!declared) throw new CrossStackReferenceError(consumer, producer, undefined, `stack '${consumer}' reads stack '${producer}' through ${address}, but the app has no stack '${producer}'`);

    const read = new RegExp(`data\\.terraform_remote_state\\.${escapeRegExp(dataSource)}\\.outputs\\.([\\w-]+)`, "g");
    const outputsRead = [...new Set([...text.matchAll(read)].map((m) => m[1]!))].sort();
    const outputs = declared.output ?? {};
    for (const output of outputsRead) {
      if (!(output in outputs)) {
        throw new CrossStackReferenceError(consumer, producer, output, `stack '${consumer}' reads output '${output}' of stack '${producer}' (${address}), but stack '${producer}' declares no such output`);
      }
    }

    const placeholders: Record<string, string> = {};
    for (const [output, { value }] of Object.entries(outputs)) {
      const placeholder = placeholderOf(declared, value);
      if (placeholder !== undefined) placeholders[output] = placeholder;
      else if (outputsRead.includes(output)) {
        throw new CrossStackReferenceError(consumer, producer, output, `stack '${consumer}' reads output '${output}' of stack '${producer}' (value ${JSON.stringify(value)}), which tf:check has no placeholder shape for: add the resource attribute to PLACEHOLDER_SHAPES in terraform/cross-stack.ts`);
      } else {
        // Not read by this consumer: it only keeps the state's set of outputs the producer's.
        placeholders[output] = `tf:check placeholder of output ${output} of stack ${producer}, not read by stack ${consumer}`;
      }
    }
    return { dataSource, producer, outputsRead, placeholders, state: placeholderState(declared, placeholders) };
  });
}

/** The producer's outputs as an applied state would hold them (sensitive where declared so). */
function placeholderState(producer: SynthesizedStack, placeholders: Readonly<Record<string, string>>): unknown {
  return terraformState({
    outputs: Object.fromEntries(
      Object.entries(placeholders).map(([name, value]) => [name, { value, type: "string", ...(producer.output?.[name]?.sensitive ? { sensitive: true } : {}) }]),
    ),
  });
}

/** A resource of the producer whose attribute a placeholder is made for. */
interface PlaceholderResource {
  /** `type.name`: the seed of its fake ids, so every attribute of one resource agrees. */
  readonly address: string;
  /** The producer's region, when its provider names one. */
  readonly region: string | undefined;
  /** The placeholder of one of its arguments (a literal, or a reference resolved the same way). */
  argument(name: string): string | undefined;
  /** The placeholder of another of its attributes. */
  attribute(name: string): string | undefined;
}

/**
 * Attribute shapes as AWS reports them, by `resource_type.attribute`. Only attributes a stack
 * exports; anything else is refused, naming the output, rather than guessed.
 */
const PLACEHOLDER_SHAPES: Readonly<Record<string, (r: PlaceholderResource) => string | undefined>> = {
  "aws_api_gateway_rest_api.id": (r) => fakeId(r.address, 10),
  // The API-level ARN the provider reports; grants append stage, method and path to it.
  "aws_api_gateway_rest_api.execution_arn": (r) => known`arn:aws:execute-api:${r.region}:${FAKE_ACCOUNT_ID}:${r.attribute("id")}`,
  "aws_api_gateway_stage.stage_name": (r) => r.argument("stage_name"),
  "aws_api_gateway_stage.invoke_url": (r) => known`https://${r.argument("rest_api_id")}.execute-api.${r.region}.amazonaws.com/${r.argument("stage_name")}`,
  "aws_cognito_user_pool.id": (r) => known`${r.region}_${fakeId(r.address, 9)}`,
  "aws_cognito_user_pool.arn": (r) => known`arn:aws:cognito-idp:${r.region}:${FAKE_ACCOUNT_ID}:userpool/${r.attribute("id")}`,
  "aws_cognito_user_pool_client.id": (r) => fakeId(r.address, 26),
  "aws_iam_role.name": (r) => r.argument("name"),
  "aws_iam_role.arn": (r) => known`arn:aws:iam::${FAKE_ACCOUNT_ID}:role/${r.attribute("name")}`,
  "aws_dynamodb_table.name": (r) => r.argument("name"),
  "aws_dynamodb_table.arn": (r) => known`arn:aws:dynamodb:${r.region}:${FAKE_ACCOUNT_ID}:table/${r.attribute("name")}`,
};

/** The placeholder of a value of the producer: a literal as is, `${type.name.attribute}` by its shape; else undefined. */
function placeholderOf(producer: SynthesizedStack, value: unknown): string | undefined {
  if (typeof value !== "string") return undefined;
  if (!value.includes("${")) return value;
  const reference = /^\$\{([a-z0-9_]+)\.([\w-]+)\.([a-z_]+)\}$/.exec(value);
  if (!reference) return undefined;
  const [, type, name, attribute] = reference as unknown as [string, string, string, string];
  const config = producer.resource?.[type]?.[name];
  const shape = PLACEHOLDER_SHAPES[`${type}.${attribute}`];
  if (!config || !shape) return undefined;
  return shape({
    address: `${type}.${name}`,
    region: producer.provider?.aws?.[0]?.region,
    argument: (argument) => placeholderOf(producer, config[argument]),
    attribute: (other) => placeholderOf(producer, `\${${type}.${name}.${other}}`),
  });
}

/** A template whose result is undefined when any part is: a shape needs every part it names. */
function known(strings: TemplateStringsArray, ...parts: readonly (string | undefined)[]): string | undefined {
  return parts.some((part) => part === undefined) ? undefined : String.raw({ raw: strings }, ...parts);
}

/** `length` lowercase letters and digits, starting with "fake", the same for the same resource. */
function fakeId(address: string, length: number): string {
  return ("fake" + createHash("sha256").update(address).digest("hex")).slice(0, length);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
