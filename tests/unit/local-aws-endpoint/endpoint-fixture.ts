import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { parsePolicyDocument } from "../../../local/auth/iam-policy.js";
import { AwsEndpoint } from "../../../local/aws-endpoint/aws-endpoint.js";
import { startDynamoDbEngine, type DynamoDbEngine } from "../../../local/aws-endpoint/dynamodb-engine.js";
import { LocalCredentialStore, type RoleCredentials } from "../../../local/credentials/local-credentials.js";
import type { RoleModel, TableModel } from "../../../local/model.js";

export const REGION = "eu-west-1";
export const ACCOUNT = "123456789012";
export const tableArn = (name: string) => `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/${name}`;

function table(name: string): TableModel {
  return { address: `aws_dynamodb_table.${name}`, name, arn: tableArn(name), hashKey: "id", attributes: new Map([["id", "S"]]), globalSecondaryIndexes: [], localSecondaryIndexes: [] };
}

/** Roles by name, each with one identity policy's statements. */
export const ROLES: Record<string, object[]> = {
  writer: [{ Effect: "Allow", Action: ["dynamodb:GetItem", "dynamodb:PutItem"], Resource: tableArn("users") }],
  reader: [{ Effect: "Allow", Action: "dynamodb:GetItem", Resource: tableArn("users") }],
  batcher: [{ Effect: "Allow", Action: "dynamodb:BatchWriteItem", Resource: tableArn("users") }],
  "own-items": [
    { Effect: "Allow", Action: ["dynamodb:GetItem", "dynamodb:PutItem"], Resource: tableArn("users"), Condition: { "ForAllValues:StringEquals": { "dynamodb:LeadingKeys": ["u-own"] } } },
  ],
  "denied-writer": [
    { Effect: "Allow", Action: ["dynamodb:GetItem", "dynamodb:PutItem"], Resource: tableArn("users") },
    { Effect: "Deny", Action: "dynamodb:PutItem", Resource: "*" },
  ],
};

export interface EndpointFixture {
  readonly url: string;
  readonly engine: DynamoDbEngine;
  readonly logs: string[];
  credentials(role: string): RoleCredentials;
  client(role: string, overrides?: Partial<RoleCredentials>): DynamoDBClient;
  close(): Promise<void>;
}

/** The endpoint over an in-memory engine with tables `users` and `audit`, and the roles above. */
export async function startEndpointFixture(): Promise<EndpointFixture> {
  const engine = await startDynamoDbEngine({ tables: [table("users"), table("audit")] });
  const store = new LocalCredentialStore();
  const roles = new Map<string, RoleModel>();
  const issued: Record<string, RoleCredentials> = {};
  for (const [name, statements] of Object.entries(ROLES)) {
    const arn = `arn:aws:iam::${ACCOUNT}:role/${name}`;
    const role: RoleModel = {
      address: `aws_iam_role.${name}`,
      name,
      arn,
      uniqueId: "AROATESTROLE00000001",
      accountId: ACCOUNT,
      tags: {},
      policies: [{ source: `aws_iam_role_policy.${name}`, document: parsePolicyDocument({ Version: "2012-10-17", Statement: statements }, "identity") }],
    };
    roles.set(arn, role);
    issued[name] = store.issue(role, "test");
  }
  const logs: string[] = [];
  const endpoint = new AwsEndpoint({
    region: REGION,
    accountId: ACCOUNT,
    tables: new Map([["users", table("users")], ["audit", table("audit")]]),
    engineUrl: engine.url,
    lookupCredentials: store.lookup,
    roles,
    accessLog: (line) => logs.push(line),
    warn: (line) => logs.push(line),
  });
  const server: Server = createServer(endpoint.listener);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const clients: DynamoDBClient[] = [];
  return {
    url,
    engine,
    logs,
    credentials: (role) => issued[role]!,
    client: (role, overrides = {}) => {
      const c = { ...issued[role]!, ...overrides };
      const client = new DynamoDBClient({ endpoint: url, region: REGION, maxAttempts: 1, credentials: { accessKeyId: c.accessKeyId, secretAccessKey: c.secretAccessKey, sessionToken: c.sessionToken } });
      clients.push(client);
      return client;
    },
    close: async () => {
      for (const client of clients) client.destroy();
      endpoint.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await engine.close();
    },
  };
}
