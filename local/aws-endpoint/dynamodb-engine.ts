import { existsSync, readFileSync, rmSync } from "node:fs";
import type { AttributeDefinition, CreateTableCommandInput, KeySchemaElement, TableDescription, WriteRequest } from "@aws-sdk/client-dynamodb";
import dynalite from "dynalite";
import type { SecondaryIndexModel, TableModel } from "../model.js";
import { StackLoadError } from "../loader/terraform-json.js";
import { listenOnLoopback } from "../node-http.js";

export interface DynamoDbEngineOptions {
  /** The stack's tables, created as declared. */
  readonly tables: Iterable<TableModel>;
  /** LevelDB directory, kept across restarts. @default in memory */
  readonly dataDir?: string;
  /** Delete `dataDir` first, so the tables start empty. @default false */
  readonly reset?: boolean;
  /**
   * A seed file, loaded into tables created in this start (never into tables that already hold
   * data). Its shape is BatchWriteItem's `RequestItems`, as `aws dynamodb batch-write-item
   * --request-items file://…` reads it. @default no seed
   */
  readonly seedFile?: string;
  /**
   * A seed entry for a table the stack does not have stops start-up; when false it is skipped
   * with a notice (the default seed file names the reference stack's tables). @default true
   */
  readonly seedStrict?: boolean;
  /** Where notices go. @default nowhere */
  readonly notice?: (line: string) => void;
}

/** dynalite, DynamoDB's API on LevelDB, listening on loopback; only the local AWS endpoint talks to it. */
export interface DynamoDbEngine {
  /** `http://127.0.0.1:PORT`. */
  readonly url: string;
  /** Stops the server and closes LevelDB. */
  close(): Promise<void>;
}

const keySchema = (hashKey: string, rangeKey?: string): KeySchemaElement[] => [
  { AttributeName: hashKey, KeyType: "HASH" },
  ...(rangeKey !== undefined ? [{ AttributeName: rangeKey, KeyType: "RANGE" as const }] : []),
];

const projection = (index: SecondaryIndexModel) => ({
  ProjectionType: index.projectionType,
  ...(index.projectionType === "INCLUDE" ? { NonKeyAttributes: [...index.nonKeyAttributes] } : {}),
});

/** CreateTable's input for a table as Terraform declares it. */
function createTableInput(table: TableModel): CreateTableCommandInput {
  const definitions: AttributeDefinition[] = [...table.attributes].map(([AttributeName, AttributeType]) => ({ AttributeName, AttributeType }));
  return {
    TableName: table.name,
    BillingMode: "PAY_PER_REQUEST",
    AttributeDefinitions: definitions,
    KeySchema: keySchema(table.hashKey, table.rangeKey),
    ...(table.globalSecondaryIndexes.length > 0
      ? { GlobalSecondaryIndexes: table.globalSecondaryIndexes.map((i) => ({ IndexName: i.name, KeySchema: keySchema(i.hashKey, i.rangeKey), Projection: projection(i) })) }
      : {}),
    ...(table.localSecondaryIndexes.length > 0
      ? { LocalSecondaryIndexes: table.localSecondaryIndexes.map((i) => ({ IndexName: i.name, KeySchema: keySchema(i.hashKey, i.rangeKey), Projection: projection(i) })) }
      : {}),
  };
}

/** A comparable summary of keys and indexes, to tell whether stored data fits the declared table. */
function shapeOf(input: { KeySchema?: KeySchemaElement[]; GlobalSecondaryIndexes?: Array<{ IndexName?: string; KeySchema?: KeySchemaElement[] }>; LocalSecondaryIndexes?: Array<{ IndexName?: string; KeySchema?: KeySchemaElement[] }> }): string {
  const keys = (schema?: KeySchemaElement[]) => (schema ?? []).map((k) => `${k.AttributeName}:${k.KeyType}`).join(",");
  const indexes = (list?: Array<{ IndexName?: string; KeySchema?: KeySchemaElement[] }>) => (list ?? []).map((i) => `${i.IndexName}(${keys(i.KeySchema)})`).sort().join(";");
  return `${keys(input.KeySchema)} gsi[${indexes(input.GlobalSecondaryIndexes)}] lsi[${indexes(input.LocalSecondaryIndexes)}]`;
}

type EngineCall = (operation: string, body: unknown) => Promise<Record<string, unknown>>;

/** Calls dynalite's JSON API directly (it checks no signature; only the engine's owner calls it so). */
function engineCaller(url: string): EngineCall {
  return async (operation, body) => {
    const response = await fetch(url, {
      method: "POST",
      headers: {
        "content-type": "application/x-amz-json-1.0",
        "x-amz-target": `DynamoDB_20120810.${operation}`,
        authorization: "AWS4-HMAC-SHA256 Credential=LOCALENGINE/20000101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=0",
        "x-amz-date": "20000101T000000Z",
      },
      body: JSON.stringify(body),
    });
    const answer = (await response.json()) as Record<string, unknown>;
    if (!response.ok) throw new EngineError(String(answer.__type ?? "").split("#").pop() ?? "", String(answer.message ?? answer.Message ?? response.status));
    return answer;
  };
}

class EngineError extends Error {
  constructor(readonly type: string, message: string) {
    super(message);
    this.name = type || "EngineError";
  }
}

async function describe(call: EngineCall, name: string): Promise<TableDescription | undefined> {
  try {
    return (await call("DescribeTable", { TableName: name })).Table as TableDescription;
  } catch (error) {
    if (error instanceof EngineError && error.type === "ResourceNotFoundException") return undefined;
    throw error;
  }
}

/** dynalite creates tables asynchronously even with createTableMs 0. */
async function untilActive(call: EngineCall, name: string): Promise<void> {
  for (let attempt = 0; attempt < 200; attempt++) {
    if ((await describe(call, name))?.TableStatus === "ACTIVE") return;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error(`the local DynamoDB engine did not make table ${name} ACTIVE`);
}

function readSeed(file: string): Record<string, WriteRequest[]> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    throw new StackLoadError(file, `the seed file is not readable JSON (${(error as Error).message})`);
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) throw new StackLoadError(file, "the seed file must be an object: { \"<table name>\": [ { \"PutRequest\": { \"Item\": … } } ] }");
  for (const [table, requests] of Object.entries(parsed)) {
    if (!Array.isArray(requests)) throw new StackLoadError(file, `${table}: must be a list of { "PutRequest": { "Item": … } }`);
  }
  return parsed as Record<string, WriteRequest[]>;
}

/**
 * Starts dynalite on 127.0.0.1 and creates every table of the stack as declared. A table already
 * in `dataDir` with other keys or indexes stops start-up (start with --reset), so stored data is
 * never silently served under a different schema.
 */
export async function startDynamoDbEngine(options: DynamoDbEngineOptions): Promise<DynamoDbEngine> {
  const tables = [...options.tables];
  if (options.reset && options.dataDir !== undefined) rmSync(options.dataDir, { recursive: true, force: true });
  const seed = options.seedFile !== undefined && existsSync(options.seedFile) ? readSeed(options.seedFile) : {};
  for (const name of Object.keys(seed)) {
    if (tables.some((t) => t.name === name)) continue;
    const problem = `seeds table '${name}', which is not a table of this stack (${tables.map((t) => t.name).join(", ") || "none"})`;
    if (options.seedStrict ?? true) throw new StackLoadError(options.seedFile!, problem);
    options.notice?.(`Seed: ${options.seedFile} ${problem}; skipped.`);
  }

  const server = dynalite({ ...(options.dataDir !== undefined ? { path: options.dataDir } : {}), createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  const close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  const url = `http://127.0.0.1:${await listenOnLoopback(server, 0)}`;
  const call = engineCaller(url);
  try {
    for (const table of tables) {
      const wanted = createTableInput(table);
      const existing = await describe(call, table.name);
      if (existing !== undefined) {
        if (shapeOf(existing) !== shapeOf(wanted)) {
          throw new StackLoadError(table.address, `the stored table '${table.name}' has keys or indexes ${shapeOf(existing)}, the stack declares ${shapeOf(wanted)}: start with --reset to recreate it empty`);
        }
        continue;
      }
      await call("CreateTable", wanted);
      await untilActive(call, table.name);
      const items = seed[table.name] ?? [];
      // BatchWriteItem takes at most 25 requests.
      for (let i = 0; i < items.length; i += 25) {
        try {
          await call("BatchWriteItem", { RequestItems: { [table.name]: items.slice(i, i + 25) } });
        } catch (error) {
          throw new StackLoadError(options.seedFile!, `seeding ${table.name} failed: ${(error as Error).message}`);
        }
      }
    }
    return { url, close };
  } catch (error) {
    await close();
    throw error;
  }
}
