import { DefaultTokenResolver, StringConcat, TerraformLocal, TerraformOutput, TerraformProvider, TerraformResource, TerraformStack, Tokenization } from "cdktf";
import type { IConstruct } from "constructs";

/**
 * The longest text a Terraform reference can stand for once applied, so that a size quota can be
 * checked at synth on a policy that still holds `${aws_….arn}` references. Every bound is an upper
 * bound taken from the resource's own configuration and the ARN formats AWS documents, so a
 * document that fits here fits after apply; a reference this table does not know counts as an
 * ARN of IAM's maximum length (2,048 characters), never as zero.
 */

/** Longest region name AWS uses today (`ap-southeast-4`, `ap-northeast-3`). */
const LONGEST_REGION = 14;
/** IAM's limit on an ARN, the bound for a reference this table does not know. */
export const UNKNOWN_REFERENCE_LENGTH = 2048;
/** `abcde12345`: REST API ids, as API Gateway issues them. */
const REST_API_ID = 10;
const ACCOUNT_ID = 12;

/** How long each part of an ARN may be in one stack. */
interface ArnParts {
  readonly partition: number;
  readonly region: number;
}

const REFERENCE = /\$\{([^{}]*)\}/g;

/**
 * Bounds the applied length of resolved Terraform text (a string holding `${…}` references, as a
 * stack resolves a token): literal characters count as they are, each reference at its bound.
 * `measure` says how the literal part counts (IAM: characters without whitespace).
 */
export class ReferenceLengths {
  private readonly resources = new Map<string, TerraformResource>();
  private readonly locals = new Map<string, TerraformLocal>();
  private readonly parts: ArnParts;
  private readonly configs = new Map<string, Record<string, unknown>>();

  constructor(private readonly stack: TerraformStack) {
    let region: unknown;
    for (const node of stack.node.findAll()) {
      if (node instanceof TerraformResource) this.resources.set(`${node.terraformResourceType}.${node.friendlyUniqueId}`, node);
      else if (node instanceof TerraformLocal) this.locals.set(node.friendlyUniqueId, node);
      else if (node instanceof TerraformProvider && node.terraformResourceType === "aws" && region === undefined) {
        region = resolveIn(stack, (node as TerraformProvider & { region?: string }).region);
      }
    }
    const literalRegion = typeof region === "string" && !region.includes("${") ? region : undefined;
    this.parts = { region: literalRegion?.length ?? LONGEST_REGION, partition: partitionLength(literalRegion) };
  }

  /** The stack's instance for a construct, built once per stack. */
  static of(scope: IConstruct): ReferenceLengths {
    const stack = TerraformStack.of(scope);
    let lengths = INSTANCES.get(stack);
    if (!lengths) {
      lengths = new ReferenceLengths(stack);
      INSTANCES.set(stack, lengths);
    }
    return lengths;
  }

  /** Resolves `value` in this stack and bounds its length; `countLiteral` measures literal text. */
  bound(value: string, countLiteral: (text: string) => number = (text) => text.length): number {
    const resolved = resolveIn(this.stack, value) as unknown;
    if (typeof resolved !== "string") return countLiteral(JSON.stringify(resolved));
    let total = 0;
    let last = 0;
    for (const match of resolved.matchAll(REFERENCE)) {
      total += countLiteral(resolved.slice(last, match.index)) + this.expression(match[1]!.trim());
      last = match.index + match[0].length;
    }
    return total + countLiteral(resolved.slice(last));
  }

  /** `arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE` of this stack (IAM leaves REGION empty). */
  arnLength(service: string, resourceLength: number, regional = true): number {
    return "arn:::::".length + this.parts.partition + service.length + (regional ? this.parts.region : 0) + ACCOUNT_ID + resourceLength;
  }

  /** The bound of one Terraform expression (what stands inside `${…}`). */
  private expression(expression: string): number {
    const p = this.parts;
    const arn = (service: string, resource: number, regional = true) => this.arnLength(service, resource, regional);
    // element(split(":", <ARN>), 4): the account id of an ARN (how InternalApi reads its owner).
    if (/^element\(split\(":",\s*[^)]*\),\s*4\)$/.test(expression)) return ACCOUNT_ID;
    const local = /^local\.([\w-]+)$/.exec(expression);
    if (local) {
      const node = this.locals.get(local[1]!);
      const value = node && (resolveIn(this.stack, node.toTerraform()) as { locals?: Record<string, unknown> }).locals?.[local[1]!];
      return typeof value === "string" ? this.bound(value) : UNKNOWN_REFERENCE_LENGTH;
    }
    const remote = /^data\.terraform_remote_state\.[\w-]+\.outputs\.([\w-]+)$/.exec(expression);
    if (remote) return this.crossStackOutput(remote[1]!);
    if (/^data\.aws_caller_identity\.[\w-]+\.account_id$/.test(expression)) return ACCOUNT_ID;
    if (/^data\.aws_region\.[\w-]+\.(name|region)$/.test(expression)) return p.region;
    if (/^data\.aws_partition\.[\w-]+\.partition$/.test(expression)) return p.partition;

    const attribute = /^([a-z0-9_]+)\.([\w-]+)\.([a-z_]+)$/.exec(expression);
    if (!attribute) return UNKNOWN_REFERENCE_LENGTH;
    const [, type, id, name] = attribute;
    const key = `${type}.${id}`;
    const argument = (arg: string, max: number) => this.argument(key, arg, max);
    const named = NAMED_RESOURCES[type!];
    if (named && name === named.nameArgument) return argument(named.nameArgument, named.maxNameLength);
    if (named && name === "arn") {
      return arn(named.service, named.arnPrefix.length + argument(named.nameArgument, named.maxNameLength), named.regional);
    }
    switch (`${type}.${name}`) {
      case "aws_api_gateway_rest_api.id":
        return REST_API_ID;
      case "aws_api_gateway_rest_api.execution_arn":
        return arn("execute-api", REST_API_ID);
      case "aws_api_gateway_stage.invoke_url": // https://ID.execute-api.REGION.amazonaws.com[.cn]/STAGE
        return "https://.execute-api..amazonaws.com.cn/".length + REST_API_ID + p.region + argument("stage_name", 128);
      case "aws_cognito_user_pool.id":
        return p.region + 10; // REGION_xxxxxxxxx
      case "aws_cognito_user_pool.arn":
        return arn("cognito-idp", "userpool/".length + p.region + 10);
      case "aws_kms_key.arn":
        return arn("kms", "key/".length + 36);
      default:
        return UNKNOWN_REFERENCE_LENGTH;
    }
  }

  /** A resource argument's length: literal as written, a reference by its bound, else `max`. */
  private argument(resourceKey: string, argument: string, max: number): number {
    const resource = this.resources.get(resourceKey);
    if (!resource) return max;
    let config = this.configs.get(resourceKey);
    if (!config) {
      const element = resolveIn(this.stack, resource.toTerraform()) as { resource?: Record<string, Record<string, Record<string, unknown>>> };
      config = element.resource?.[resource.terraformResourceType]?.[resource.friendlyUniqueId] ?? {};
      this.configs.set(resourceKey, config);
    }
    const value = config[argument];
    return typeof value === "string" ? Math.min(max, this.bound(value)) : max;
  }

  /** A cross-stack reference: the output of that name in another stack of the app, bounded there. */
  private crossStackOutput(outputId: string): number {
    for (const node of this.stack.node.root.node.findAll()) {
      if (node instanceof TerraformOutput && node.friendlyUniqueId === outputId) {
        const origin = TerraformStack.of(node);
        if (origin === this.stack) continue;
        return ReferenceLengths.of(origin).bound(resolveIn(origin, node.value) as string);
      }
    }
    return UNKNOWN_REFERENCE_LENGTH;
  }
}

/** A value as it reads in `stack`'s Terraform JSON (tokens become `${…}` references). */
export function resolveIn(stack: TerraformStack, value: unknown): unknown {
  return Tokenization.resolve(value, { scope: stack, resolver: new DefaultTokenResolver(new StringConcat()) });
}

/** Resources whose ARN is `arn:…:SERVICE:REGION:ACCOUNT:PREFIX<name>`, with their name's AWS maximum. */
const NAMED_RESOURCES: Record<string, { nameArgument: string; maxNameLength: number; service: string; arnPrefix: string; regional: boolean }> = {
  aws_lambda_function: { nameArgument: "function_name", maxNameLength: 64, service: "lambda", arnPrefix: "function:", regional: true },
  aws_iam_role: { nameArgument: "name", maxNameLength: 64, service: "iam", arnPrefix: "role/", regional: false },
  aws_cloudwatch_log_group: { nameArgument: "name", maxNameLength: 512, service: "logs", arnPrefix: "log-group:", regional: true },
  aws_dynamodb_table: { nameArgument: "name", maxNameLength: 255, service: "dynamodb", arnPrefix: "table/", regional: true },
};

const INSTANCES = new WeakMap<TerraformStack, ReferenceLengths>();

/** `aws` (3), `aws-cn` (6), `aws-us-gov` (10); the longest when the region is not known at synth. */
function partitionLength(region: string | undefined): number {
  if (region === undefined) return "aws-us-gov".length;
  if (region.startsWith("cn-")) return "aws-cn".length;
  if (region.startsWith("us-gov-")) return "aws-us-gov".length;
  if (region.startsWith("us-iso")) return "aws-iso-b".length;
  return "aws".length;
}
