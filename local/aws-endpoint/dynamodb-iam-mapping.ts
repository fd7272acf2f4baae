/**
 * Maps one DynamoDB API call (`X-Amz-Target` + JSON body) to the IAM authorizations AWS makes
 * for it: action, resource ARN and the DynamoDB condition keys. Pure: no I/O, no engine.
 *
 * - Single-table calls: `dynamodb:<Operation>` on the table ARN, or on
 *   `…/table/NAME/index/INDEX` when `IndexName` is set (Query, Scan).
 * - BatchGetItem / BatchWriteItem: the batch action once per table in `RequestItems`.
 * - TransactGetItems / TransactWriteItems: no action of their own; each item is authorized as
 *   the item action it performs (GetItem, PutItem, UpdateItem, DeleteItem, ConditionCheckItem).
 *   https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/transaction-apis-iam.html
 * Every check must be allowed, or the whole call is denied (the first denial is reported).
 *
 * Condition keys, https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/specifying-conditions.html:
 * - `dynamodb:LeadingKeys`: the partition key values the call names (Key, Item, a Query's
 *   partition key equality); absent for Scan.
 * - `dynamodb:Attributes`: the top-level attribute names the call reads or writes (Item's names,
 *   key names, projection, update expression paths); absent when a read names no projection.
 * - `dynamodb:Select`: a Query/Scan's `Select`, else SPECIFIC_ATTRIBUTES with a projection,
 *   ALL_PROJECTED_ATTRIBUTES on an index, ALL_ATTRIBUTES otherwise; GetItem likewise without index.
 * - `dynamodb:ReturnValues`: the request's `ReturnValues`, when set.
 * A value the mapping cannot determine exactly (an `#alias` with no definition, a Query without
 * an equality on the partition key, an expression it does not parse) answers ValidationException
 * naming the key: it is never guessed. DynamoDB refuses such requests too. For a table the stack
 * does not have, `dynamodb:LeadingKeys` is absent: the call ends in AccessDenied or
 * ResourceNotFound either way, and no data exists to reach.
 */
import type { ServiceKeyValue } from "../auth/iam-request-context.js";
import { tableArnOf } from "../loader/identities.js";

/** What the mapping needs to know about the stack's tables. */
export interface TableKeys {
  readonly hashKey: string;
  readonly rangeKey?: string;
}

export interface MappingContext {
  readonly region: string;
  readonly accountId: string;
  /** Key schema of a table of the stack, by name; undefined for a table the stack does not have. */
  keysOf(tableName: string): TableKeys | undefined;
}

/** One authorization AWS makes for the call. */
export interface DynamoDbCheck {
  /** `dynamodb:PutItem`. */
  readonly action: string;
  /** Table or index ARN. */
  readonly resource: string;
  readonly tableName: string;
  /** Lower-cased DynamoDB condition keys present in this request. */
  readonly context: ReadonlyMap<string, ServiceKeyValue>;
}

export type MappedCall =
  | { readonly ok: true; readonly operation: string; readonly checks: readonly DynamoDbCheck[] }
  /** A call the endpoint does not serve: `errorType` is DynamoDB's (`UnknownOperationException`, `ValidationException`). */
  | { readonly ok: false; readonly operation: string; readonly errorType: string; readonly message: string };

const DYNAMODB_TARGET_PREFIX = "DynamoDB_20120810.";

type Json = Record<string, unknown>;

const SINGLE_TABLE_ITEM_OPERATIONS = new Set(["GetItem", "PutItem", "UpdateItem", "DeleteItem", "Query", "Scan", "DescribeTable"]);
const BATCH_OPERATIONS = new Set(["BatchGetItem", "BatchWriteItem"]);
const TRANSACT_GET_ACTIONS: Readonly<Record<string, string>> = { Get: "GetItem" };
const TRANSACT_WRITE_ACTIONS: Readonly<Record<string, string>> = { Put: "PutItem", Update: "UpdateItem", Delete: "DeleteItem", ConditionCheck: "ConditionCheckItem" };

/** Every IAM action {@link mapDynamoDbCall} authorizes a call as: the evaluator evaluates exactly these. */
export const DYNAMODB_MAPPED_ACTIONS: readonly string[] = [
  ...new Set([...SINGLE_TABLE_ITEM_OPERATIONS, "ListTables", ...BATCH_OPERATIONS, ...Object.values(TRANSACT_GET_ACTIONS), ...Object.values(TRANSACT_WRITE_ACTIONS)]),
].map((operation) => `dynamodb:${operation}`);

class MappingError extends Error {}

const isJson = (value: unknown): value is Json => typeof value === "object" && value !== null && !Array.isArray(value);

function requireJson(value: unknown, field: string): Json {
  if (!isJson(value)) throw new MappingError(`${field} must be an object`);
  return value;
}

function requireString(value: unknown, field: string): string {
  if (typeof value !== "string" || value === "") throw new MappingError(`${field} must be a non-empty string`);
  return value;
}

/** Table names may also be given as table ARNs (DynamoDB accepts both). */
function tableNameOf(nameOrArn: string): string {
  const arn = /^arn:aws[a-z-]*:dynamodb:[^:]*:\d{12}:table\/([^/]+)$/.exec(nameOrArn);
  return arn ? arn[1]! : nameOrArn;
}

/** The scalar a key attribute value holds, as IAM compares it (strings; numbers as written; binary base64). */
function scalarOf(value: unknown): string | undefined {
  if (!isJson(value)) return undefined;
  for (const type of ["S", "N", "B"]) if (typeof value[type] === "string") return value[type] as string;
  return undefined;
}

/** Resolves `#alias` through ExpressionAttributeNames; undefined when the alias is not defined. */
function resolveName(token: string, names: Json | undefined): string | undefined {
  if (!token.startsWith("#")) return token;
  const resolved = names?.[token];
  return typeof resolved === "string" ? resolved : undefined;
}

/** Top-level names of a projection expression (`a, #b.c, d[0]`). */
function projectionNames(expression: string, names: Json | undefined): string[] {
  const out: string[] = [];
  for (const path of expression.split(",")) {
    const head = /^\s*(#?[A-Za-z0-9_]+)/.exec(path)?.[1];
    const name = head === undefined ? undefined : resolveName(head, names);
    if (name === undefined) throw new MappingError(`cannot determine dynamodb:Attributes: '${path.trim()}' in ProjectionExpression names no attribute (an undefined #alias?)`);
    out.push(name);
  }
  return out;
}

const UPDATE_KEYWORDS = new Set(["set", "remove", "add", "delete"]);

/**
 * Top-level attribute names an update expression touches (written or read), e.g.
 * `SET #n = :n, visits = visits + :one REMOVE tmp` -> n, visits, tmp.
 */
function updateExpressionNames(expression: string, names: Json | undefined): string[] {
  const out = new Set<string>();
  // Tokens: placeholders, names (possibly #aliases), punctuation. A name right after '.' is a nested
  // path part, a name followed by '(' is a function (if_not_exists, list_append, size …).
  const tokens = expression.match(/:[A-Za-z0-9_]+|#[A-Za-z0-9_]+|[A-Za-z_][A-Za-z0-9_]*|\[\d+\]|[.,=+\-()]|\S/g) ?? [];
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (token.startsWith(":") || /^[.,=+\-()]$|^\[\d+\]$/.test(token)) continue;
    if (!/^#?[A-Za-z0-9_]+$/.test(token)) throw new MappingError(`cannot determine dynamodb:Attributes: unexpected '${token}' in UpdateExpression`);
    if (!token.startsWith("#") && UPDATE_KEYWORDS.has(token.toLowerCase())) continue;
    if (tokens[i + 1] === "(") continue;
    if (tokens[i - 1] === ".") continue;
    const name = resolveName(token, names);
    if (name === undefined) throw new MappingError(`cannot determine dynamodb:Attributes: ${token} in UpdateExpression is not defined in ExpressionAttributeNames`);
    out.add(name);
  }
  return [...out];
}

/** The partition key value of a Query's key condition (`#pk = :v AND …`). */
function queryPartitionValue(request: Json, hashKey: string): string {
  const missing = () => new MappingError(`cannot determine dynamodb:LeadingKeys: the key condition has no equality on the partition key '${hashKey}'`);
  const names = isJson(request.ExpressionAttributeNames) ? request.ExpressionAttributeNames : undefined;
  const values = isJson(request.ExpressionAttributeValues) ? request.ExpressionAttributeValues : undefined;
  if (typeof request.KeyConditionExpression === "string") {
    for (const part of request.KeyConditionExpression.split(/\s+AND\s+/i)) {
      const match = /^\s*\(?\s*(#?[A-Za-z0-9_]+|:[A-Za-z0-9_]+)\s*=\s*(#?[A-Za-z0-9_]+|:[A-Za-z0-9_]+)\s*\)?\s*$/.exec(part);
      if (!match) continue;
      const [left, right] = [match[1]!, match[2]!];
      const [nameToken, valueToken] = left.startsWith(":") ? [right, left] : [left, right];
      if (!valueToken.startsWith(":") || resolveName(nameToken, names) !== hashKey) continue;
      const value = scalarOf(values?.[valueToken]);
      if (value === undefined) throw missing();
      return value;
    }
    throw missing();
  }
  if (isJson(request.KeyConditions)) {
    const condition = request.KeyConditions[hashKey];
    if (isJson(condition) && condition.ComparisonOperator === "EQ" && Array.isArray(condition.AttributeValueList)) {
      const value = scalarOf(condition.AttributeValueList[0]);
      if (value !== undefined) return value;
    }
  }
  throw missing();
}

interface ItemRequestKeys {
  leadingKeys?: readonly string[];
  attributes?: readonly string[];
  select?: string;
  returnValues?: string;
}

/** The condition keys of one item-level request (a single-table call or one transact/batch entry). */
function itemKeys(operation: string, request: Json, keys: TableKeys | undefined): ItemRequestKeys {
  const names = isJson(request.ExpressionAttributeNames) ? request.ExpressionAttributeNames : undefined;
  const out: ItemRequestKeys = {};
  // Unknown table: no key schema, so no leading keys (see the header).
  const leading = (item: unknown): string[] | undefined => {
    if (keys === undefined) return undefined;
    const value = isJson(item) ? scalarOf(item[keys.hashKey]) : undefined;
    if (value === undefined) throw new MappingError(`cannot determine dynamodb:LeadingKeys: no value for the partition key '${keys.hashKey}'`);
    return [value];
  };
  const keyNames = (key: unknown): string[] => (isJson(key) ? Object.keys(key) : []);
  const projection = (): string[] | undefined => {
    if (typeof request.ProjectionExpression === "string") return projectionNames(request.ProjectionExpression, names);
    if (Array.isArray(request.AttributesToGet)) return request.AttributesToGet.filter((a): a is string => typeof a === "string");
    return undefined;
  };
  switch (operation) {
    case "GetItem": {
      out.leadingKeys = leading(request.Key);
      const projected = projection();
      if (projected !== undefined) out.attributes = [...new Set([...keyNames(request.Key), ...projected])];
      out.select = projected === undefined ? "ALL_ATTRIBUTES" : "SPECIFIC_ATTRIBUTES";
      break;
    }
    case "PutItem": {
      out.leadingKeys = leading(request.Item);
      out.attributes = keyNames(request.Item);
      break;
    }
    case "UpdateItem": {
      out.leadingKeys = leading(request.Key);
      let updated: string[] = [];
      if (typeof request.UpdateExpression === "string") updated = updateExpressionNames(request.UpdateExpression, names);
      else if (isJson(request.AttributeUpdates)) updated = Object.keys(request.AttributeUpdates);
      out.attributes = [...new Set([...keyNames(request.Key), ...updated])];
      break;
    }
    case "DeleteItem":
    case "ConditionCheckItem": {
      out.leadingKeys = leading(request.Key);
      out.attributes = keyNames(request.Key);
      break;
    }
    case "Query":
    case "Scan": {
      if (operation === "Query" && keys !== undefined) out.leadingKeys = [queryPartitionValue(request, keys.hashKey)];
      const projected = projection();
      if (projected !== undefined) out.attributes = projected;
      out.select =
        typeof request.Select === "string"
          ? request.Select
          : projected !== undefined
            ? "SPECIFIC_ATTRIBUTES"
            : request.IndexName !== undefined
              ? "ALL_PROJECTED_ATTRIBUTES"
              : "ALL_ATTRIBUTES";
      break;
    }
  }
  if (typeof request.ReturnValues === "string") out.returnValues = request.ReturnValues;
  return out;
}

function contextOf(keys: ItemRequestKeys): Map<string, ServiceKeyValue> {
  const context = new Map<string, ServiceKeyValue>();
  if (keys.leadingKeys !== undefined) context.set("dynamodb:leadingkeys", keys.leadingKeys);
  if (keys.attributes !== undefined) context.set("dynamodb:attributes", keys.attributes);
  if (keys.select !== undefined) context.set("dynamodb:select", keys.select);
  if (keys.returnValues !== undefined) context.set("dynamodb:returnvalues", keys.returnValues);
  return context;
}

/**
 * Unions the multivalued keys of a batch's entries for one table. Single-valued keys come from the
 * table's one request spec (BatchGetItem's projection), so every entry has the same value.
 */
function mergeContexts(contexts: Map<string, ServiceKeyValue>[]): Map<string, ServiceKeyValue> {
  const merged = new Map<string, ServiceKeyValue>();
  for (const context of contexts) {
    for (const [key, value] of context) {
      const before = merged.get(key);
      merged.set(key, typeof value === "string" ? value : [...new Set([...(Array.isArray(before) ? before : []), ...value])]);
    }
  }
  return merged;
}

/** Maps `X-Amz-Target` and the parsed JSON body to the checks AWS makes. */
export function mapDynamoDbCall(target: string | undefined, body: unknown, place: MappingContext): MappedCall {
  if (target === undefined || !target.startsWith(DYNAMODB_TARGET_PREFIX)) {
    return { ok: false, operation: target ?? "-", errorType: "UnknownOperationException", message: `X-Amz-Target '${target ?? ""}' is not a DynamoDB operation` };
  }
  const operation = target.slice(DYNAMODB_TARGET_PREFIX.length);
  const tableArn = (name: string) => tableArnOf(place.region, place.accountId, name);
  try {
    const request = requireJson(body, "the request body");
    if (SINGLE_TABLE_ITEM_OPERATIONS.has(operation)) {
      const tableName = tableNameOf(requireString(request.TableName, "TableName"));
      const index = request.IndexName === undefined ? undefined : requireString(request.IndexName, "IndexName");
      const resource = index === undefined ? tableArn(tableName) : `${tableArn(tableName)}/index/${index}`;
      const context = operation === "DescribeTable" ? new Map() : contextOf(itemKeys(operation, request, place.keysOf(tableName)));
      return { ok: true, operation, checks: [{ action: `dynamodb:${operation}`, resource, tableName, context }] };
    }
    if (operation === "ListTables") {
      // ListTables is authorized on "*": it names no table.
      return { ok: true, operation, checks: [{ action: "dynamodb:ListTables", resource: "*", tableName: "*", context: new Map() }] };
    }
    if (BATCH_OPERATIONS.has(operation)) {
      const items = requireJson(request.RequestItems, "RequestItems");
      const checks = Object.entries(items).map(([nameOrArn, entry]): DynamoDbCheck => {
        const tableName = tableNameOf(nameOrArn);
        const keys = place.keysOf(tableName);
        const contexts: Map<string, ServiceKeyValue>[] = [];
        if (operation === "BatchGetItem") {
          const spec = requireJson(entry, `RequestItems.${nameOrArn}`);
          const keyList = Array.isArray(spec.Keys) ? spec.Keys : [];
          for (const key of keyList) contexts.push(contextOf(itemKeys("GetItem", { ...spec, Key: key }, keys)));
        } else {
          const writes = Array.isArray(entry) ? entry : [];
          for (const write of writes) {
            const w = requireJson(write, `RequestItems.${nameOrArn}[]`);
            if (isJson(w.PutRequest)) contexts.push(contextOf(itemKeys("PutItem", w.PutRequest, keys)));
            else if (isJson(w.DeleteRequest)) contexts.push(contextOf(itemKeys("DeleteItem", w.DeleteRequest, keys)));
            else throw new MappingError(`RequestItems.${nameOrArn}[] needs a PutRequest or a DeleteRequest`);
          }
        }
        return { action: `dynamodb:${operation}`, resource: tableArn(tableName), tableName, context: mergeContexts(contexts) };
      });
      if (checks.length === 0) throw new MappingError("RequestItems names no table");
      return { ok: true, operation, checks };
    }
    if (operation === "TransactGetItems" || operation === "TransactWriteItems") {
      const entries = Array.isArray(request.TransactItems) ? request.TransactItems : [];
      if (entries.length === 0) throw new MappingError("TransactItems must list at least one item");
      const checks = entries.map((entry, i): DynamoDbCheck => {
        const item = requireJson(entry, `TransactItems[${i}]`);
        const kinds = operation === "TransactGetItems" ? TRANSACT_GET_ACTIONS : TRANSACT_WRITE_ACTIONS;
        const kind = Object.keys(kinds).find((k) => isJson(item[k]));
        if (kind === undefined) throw new MappingError(`TransactItems[${i}] needs one of ${Object.keys(kinds).join(", ")}`);
        const spec = item[kind] as Json;
        const tableName = tableNameOf(requireString(spec.TableName, `TransactItems[${i}].${kind}.TableName`));
        const action = kinds[kind]!;
        return { action: `dynamodb:${action}`, resource: tableArn(tableName), tableName, context: contextOf(itemKeys(action, spec, place.keysOf(tableName))) };
      });
      return { ok: true, operation, checks };
    }
  } catch (error) {
    if (error instanceof MappingError) return { ok: false, operation, errorType: "ValidationException", message: error.message };
    throw error;
  }
  return {
    ok: false,
    operation,
    errorType: "UnknownOperationException",
    message: `not emulated offline: dynamodb:${operation} (the offline endpoint serves item, query, scan, batch and transaction calls, DescribeTable and ListTables)`,
  };
}
