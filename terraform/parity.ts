/**
 * Construct ⇔ module parity: compares two offline plans (`terraform show -json`, via
 * {@link planOffline}) of the same infrastructure, one synthesized from the CDKTF constructs and
 * one from the hand-written modules, and names every difference.
 *
 * How values are made comparable:
 * - Both plans start from a prior state holding each REST API with the same placeholder id, and
 *   the function's log group ({@link seededState}), so every ARN derived from them (resource
 *   policies, grants, Lambda permission source ARNs, stage and log names, the function's log
 *   policy) is a known plan value and compared as a value, not guessed from configuration
 *   expressions.
 * - Attributes still unknown at plan (ids of resources created by the plan, log group ARNs) are
 *   compared as the marker {@link UNKNOWN}: both sides must leave the same attributes unknown.
 * - JSON held in strings (policy documents, the access-log format, gateway response templates) is
 *   parsed, so key order and spacing do not matter and content does.
 * - Resources are matched by type and compared as multisets of their canonical attributes:
 *   addresses differ by design (`aws_api_gateway_method.internal_routes_method_GET_…` vs
 *   `module.internal.module.routes.aws_api_gateway_method.route["GET /users/{id}"]`).
 * - A few attributes differ by design and are left out, each for a stated reason
 *   ({@link IGNORED_ATTRIBUTES}).
 * What stays unknown on both sides, and so is compared only as "unknown on both": the parent of
 * each API resource below the first level and each method's resource (the tree's wiring is
 * asserted by the lambda-routes module's terraform test and the constructs' unit tests), and the
 * stages' access log group ARNs.
 */

import { FAKE_ACCOUNT_ID } from "./offline-override.js";
import { terraformState, type PlannedResource } from "./plan.js";

/** Stands for a value known only after apply. */
export const UNKNOWN = "(known after apply)";

/** Attributes left out of the comparison, by resource type (`*`: every type), and why. */
export const IGNORED_ATTRIBUTES: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  "*": {
    tags: "the constructs set no tags; the modules' `tags` reach every taggable resource (checked by their terraform tests)",
    tags_all: "derived from tags",
  },
  aws_iam_role_policy: {
    name: "a construct names a role's grants policy `grants`; a module names each grant `invoke-<api id>-<grant>` (`dynamodb-<table>-<grant>` for a table) so two grants never collide",
  },
  aws_lambda_function: {
    filename: "the construct's asset path inside cdktf.out vs the prebuilt zip's path; `source_code_hash` compares the bytes",
  },
};

/** Attributes whose value is JSON text, compared parsed. */
const JSON_TEXT = /(^|\.)(policy|assume_role_policy|format|response_templates\.[^.]+)$/;

/** Replaces unknown leaves (`true` in `after_unknown`) with {@link UNKNOWN}. */
export function withUnknowns(after: unknown, unknown: unknown): unknown {
  if (unknown === true) return UNKNOWN;
  if (Array.isArray(unknown)) {
    const list = Array.isArray(after) ? [...after] : [];
    unknown.forEach((u, i) => (list[i] = withUnknowns(list[i], u)));
    return list;
  }
  if (unknown && typeof unknown === "object") {
    const object = { ...((after as Record<string, unknown>) ?? {}) };
    for (const [key, u] of Object.entries(unknown)) object[key] = withUnknowns(object[key], u);
    return object;
  }
  return after;
}

/** Parses JSON text at the attributes in {@link JSON_TEXT}; text that is not JSON (a mapping template) stays text. */
function parseJsonText(value: unknown, path: string): unknown {
  if (typeof value === "string" && value !== UNKNOWN && JSON_TEXT.test(path)) {
    try {
      return JSON.parse(value);
    } catch {
      return value;
    }
  }
  if (Array.isArray(value)) return value.map((v) => parseJsonText(v, path));
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, parseJsonText(v, path ? `${path}.${k}` : k)]));
  }
  return value;
}

/** JSON with object keys sorted at every level, so equal content is equal text. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value && typeof value === "object") {
    const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value ?? null);
}

/** What of a resource is compared: its actions and attributes, unknowns marked, JSON parsed, design differences left out. */
export function comparableAttributes(resource: PlannedResource): Record<string, unknown> {
  const ignored = { ...IGNORED_ATTRIBUTES["*"], ...IGNORED_ATTRIBUTES[resource.type] };
  const attributes = parseJsonText(withUnknowns(resource.after, resource.afterUnknown), "") as Record<string, unknown>;
  for (const name of Object.keys(ignored)) delete attributes[name];
  // A deployment's trigger is a hash of what it deploys, and the two sides hash different texts
  // (resolved references at synth, values at plan); that each has one and what changes it are
  // checked by the unit tests and the modules' terraform tests.
  if (resource.type === "aws_api_gateway_deployment" && attributes.triggers && typeof attributes.triggers === "object") {
    attributes.triggers = Object.keys(attributes.triggers).sort();
  }
  return { actions: [...resource.actions], ...attributes };
}

/** Every difference between the construct's plan and the module's; empty when they plan the same. */
export function parityDifferences(construct: readonly PlannedResource[], module: readonly PlannedResource[]): string[] {
  const byType = (resources: readonly PlannedResource[]) => {
    const map = new Map<string, string[]>();
    for (const r of resources) map.set(r.type, [...(map.get(r.type) ?? []), canonicalJson(comparableAttributes(r))]);
    return map;
  };
  const left = byType(construct);
  const right = byType(module);
  const differences: string[] = [];
  for (const type of [...new Set([...left.keys(), ...right.keys()])].sort()) {
    const a = left.get(type) ?? [];
    const b = right.get(type) ?? [];
    if (a.length !== b.length) differences.push(`${type}: the construct plans ${a.length}, the module ${b.length}`);
    const onlyIn = (xs: string[], ys: string[]) => {
      const rest = [...ys];
      return xs.filter((x) => {
        const i = rest.indexOf(x);
        if (i < 0) return true;
        rest.splice(i, 1);
        return false;
      });
    };
    for (const x of onlyIn(a, b)) differences.push(`${type}: only the construct plans ${x}`);
    for (const x of onlyIn(b, a)) differences.push(`${type}: only the module plans ${x}`);
  }
  return differences;
}

/** Where a seeded resource lives: `module.internal` for a module's resource, undefined at the root; its name there. */
export interface SeedAddress {
  readonly module?: string;
  /** The resource's name in its module (`this`, or cdktf's logical id). */
  readonly name: string;
  /** The tags its configuration sets, so that the seeded resource plans as unchanged. @default {} */
  readonly tags?: Record<string, string>;
}

/** A REST API that both plans start from, with the same placeholder id. */
export interface SeededRestApi extends SeedAddress {
  readonly type: "aws_api_gateway_rest_api";
  readonly apiName: string;
  readonly description?: string;
  readonly id: string;
  readonly rootResourceId: string;
}

/** A log group that both plans start from, so its ARN (and the policies naming it) is known. */
export interface SeededLogGroup extends SeedAddress {
  readonly type: "aws_cloudwatch_log_group";
  readonly logGroupName: string;
  readonly retentionInDays: number;
}

export type SeededResource = SeededRestApi | SeededLogGroup;

/** Account of the placeholder ARNs (the offline override's fake account). */

/** The attributes AWS would report for a seeded resource: what the configuration sets or others read. */
function seededAttributes(seed: SeededResource, region: string): Record<string, unknown> {
  if (seed.type === "aws_cloudwatch_log_group") {
    return {
      id: seed.logGroupName,
      name: seed.logGroupName,
      arn: `arn:aws:logs:${region}:${FAKE_ACCOUNT_ID}:log-group:${seed.logGroupName}`,
      retention_in_days: seed.retentionInDays,
      log_group_class: "STANDARD",
      kms_key_id: "",
      skip_destroy: false,
      tags: seed.tags ?? {},
      tags_all: seed.tags ?? {},
    };
  }
  return {
    id: seed.id,
    name: seed.apiName,
    description: seed.description ?? null,
    root_resource_id: seed.rootResourceId,
    arn: `arn:aws:apigateway:${region}::/restapis/${seed.id}`,
    execution_arn: `arn:aws:execute-api:${region}:${FAKE_ACCOUNT_ID}:${seed.id}`,
    endpoint_configuration: [{ types: ["REGIONAL"], vpc_endpoint_ids: [] }],
    api_key_source: "HEADER",
    binary_media_types: [],
    disable_execute_api_endpoint: false,
    minimum_compression_size: "",
    tags: seed.tags ?? {},
    tags_all: seed.tags ?? {},
  };
}

/**
 * A Terraform v4 state holding the given resources, as AWS would have created them, so that a
 * plan with `-refresh=false` treats them as existing and everything derived from their ids and
 * ARNs is known.
 */
export function seededState(seeds: readonly SeededResource[], region: string): unknown {
  return terraformState({
    resources: seeds.map((seed) => ({
      ...(seed.module ? { module: seed.module } : {}),
      mode: "managed",
      type: seed.type,
      name: seed.name,
      provider: 'provider["registry.terraform.io/hashicorp/aws"]',
      instances: [{ schema_version: 0, attributes: seededAttributes(seed, region), sensitive_attributes: [] }],
    })),
  });
}
