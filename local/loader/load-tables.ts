import type { KeyAttributeType, SecondaryIndexModel, TableModel } from "../model.js";
import type { StackAttributes } from "./attributes.js";
import { at, isObject, StackLoadError, type TerraformResource } from "./terraform-json.js";

/**
 * `aws_dynamodb_table` blocks the embedded engine (dynalite) creates as declared: keys, attribute
 * definitions, GSIs and LSIs. Settings that change what a request gets and that the engine does
 * not emulate stop start-up naming the address; settings that do not (PITR, encryption at rest,
 * deletion protection, tags, table class) are read and have no local effect.
 */

/** Arguments whose effect the offline mode cannot reproduce, with why. */
const UNSUPPORTED_ARGUMENTS: ReadonlyArray<readonly [argument: string, active: (value: unknown) => boolean, why: string]> = [
  ["stream_enabled", (v) => v === true || v === "true", "DynamoDB Streams are not emulated offline"],
  ["ttl", (v) => at(v, "enabled") === true || at(v, "enabled") === "true", "TTL expiry is not emulated offline"],
  ["replica", (v) => Array.isArray(v) ? v.length > 0 : v !== undefined && v !== null, "global table replicas are not emulated offline"],
  ["import_table", (v) => v !== undefined && v !== null, "importing from S3 is not emulated offline"],
  ["restore_source_name", (v) => v !== undefined && v !== null, "restoring from a backup is not emulated offline"],
  ["restore_source_table_arn", (v) => v !== undefined && v !== null, "restoring from a backup is not emulated offline"],
  ["on_demand_throughput", (v) => v !== undefined && v !== null, "request throttling is not emulated offline"],
];

const KEY_TYPES = new Set(["S", "N", "B"]);

function blocks(value: unknown): Record<string, unknown>[] {
  const list = Array.isArray(value) ? value : value === undefined || value === null ? [] : [value];
  return list.filter(isObject);
}

function loadTable(resource: TerraformResource, attrs: StackAttributes): TableModel {
  const address = resource.address;
  for (const [argument, active, why] of UNSUPPORTED_ARGUMENTS) {
    if (active(at(resource.config, argument))) throw new StackLoadError(address, `${argument}: ${why}`);
  }
  const billing = attrs.optionalString(resource, "billing_mode") ?? "PROVISIONED";
  if (billing !== "PAY_PER_REQUEST") {
    throw new StackLoadError(address, `billing_mode ${billing}: provisioned capacity (and its throttling) is not emulated offline; use PAY_PER_REQUEST`);
  }
  const name = attrs.string(resource, "name");
  const attributes = new Map<string, KeyAttributeType>();
  for (const [i, block] of blocks(at(resource.config, "attribute")).entries()) {
    const attrName = attrs.template(address, `attribute[${i}].name`, String(block.name ?? ""));
    const type = attrs.template(address, `attribute[${i}].type`, String(block.type ?? ""));
    if (!attrName || !KEY_TYPES.has(type)) throw new StackLoadError(address, `attribute[${i}] needs a name and a type S, N or B`);
    attributes.set(attrName, type as KeyAttributeType);
  }
  const keyAttribute = (field: string, value: unknown): string => {
    const key = attrs.template(address, field, String(value ?? ""));
    if (!attributes.has(key)) throw new StackLoadError(address, `${field} '${key}' has no attribute block`);
    return key;
  };
  const index = (block: Record<string, unknown>, field: string, kind: "global" | "local"): SecondaryIndexModel => {
    const projectionType = attrs.template(address, `${field}.projection_type`, String(block.projection_type ?? ""));
    if (!["ALL", "KEYS_ONLY", "INCLUDE"].includes(projectionType)) throw new StackLoadError(address, `${field}.projection_type must be ALL, KEYS_ONLY or INCLUDE`);
    const nonKey = Array.isArray(block.non_key_attributes) ? block.non_key_attributes.map((a, j) => attrs.template(address, `${field}.non_key_attributes[${j}]`, String(a))) : [];
    return {
      name: attrs.template(address, `${field}.name`, String(block.name ?? "")),
      hashKey: kind === "local" ? keyAttribute("hash_key", resource.config.hash_key) : keyAttribute(`${field}.hash_key`, block.hash_key),
      ...(block.range_key !== undefined ? { rangeKey: keyAttribute(`${field}.range_key`, block.range_key) } : {}),
      projectionType: projectionType as SecondaryIndexModel["projectionType"],
      nonKeyAttributes: nonKey,
    };
  };
  const rangeKey = at(resource.config, "range_key");
  return {
    address,
    name,
    arn: attrs.resolver(["aws_dynamodb_table", resource.name, "arn"])!,
    hashKey: keyAttribute("hash_key", at(resource.config, "hash_key")),
    ...(rangeKey !== undefined ? { rangeKey: keyAttribute("range_key", rangeKey) } : {}),
    attributes,
    globalSecondaryIndexes: blocks(at(resource.config, "global_secondary_index")).map((b, i) => index(b, `global_secondary_index[${i}]`, "global")),
    localSecondaryIndexes: blocks(at(resource.config, "local_secondary_index")).map((b, i) => index(b, `local_secondary_index[${i}]`, "local")),
  };
}

/** The stack's tables, by name. */
export function loadTables(resources: readonly TerraformResource[], attrs: StackAttributes): Map<string, TableModel> {
  const tables = new Map<string, TableModel>();
  for (const resource of resources.filter((r) => r.type === "aws_dynamodb_table")) {
    const table = loadTable(resource, attrs);
    const other = tables.get(table.name);
    if (other) throw new StackLoadError(resource.address, `table name '${table.name}' is also used by ${other.address}`);
    tables.set(table.name, table);
  }
  return tables;
}
