import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BatchWriteItemCommand, DynamoDBClient, PutItemCommand } from "@aws-sdk/client-dynamodb";
import { App, TerraformOutput, TerraformStack } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { expect } from "chai";
import type { RoleCredentials } from "../../local/credentials/local-credentials.js";
import { poolUserFor, SEEDED_POOL_USERS } from "../../local/issuer/local-users.js";
import { startOfflineMode, type OfflineMode } from "../../local/offline-mode.js";
import { NodeFunction } from "../../modules/node-function.js";
import { PublicApi } from "../../modules/public-api.js";
import { Table } from "../../modules/table.js";
import { send } from "../unit/local/fixtures/http-client.js";

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";

const json = { "content-type": "application/json" };
const ADA = SEEDED_POOL_USERS[0]!;
const NOBODY = "00000000-0000-4000-8000-000000000404";

function dynamoDbClient(stateDir: string, role: RoleCredentials, region: string): DynamoDBClient {
  const { dynamodb } = JSON.parse(readFileSync(join(stateDir, "endpoints.json"), "utf8")) as { dynamodb: string };
  return new DynamoDBClient({ endpoint: dynamodb, region, maxAttempts: 1, credentials: { accessKeyId: role.accessKeyId, secretAccessKey: role.secretAccessKey, sessionToken: role.sessionToken } });
}

async function rejection(promise: Promise<unknown>) {
  const error = (await promise.then(() => undefined, (e: unknown) => e)) as (Error & { $metadata?: { httpStatusCode?: number } }) | undefined;
  if (!error) throw new Error("the call was allowed");
  return { name: error.name, message: error.message, status: error.$metadata?.httpStatusCode };
}

describe("offline mode: the users table", function () {
  this.timeout(90_000);
  let stateDir: string;
  let offline: OfflineMode | undefined;
  const start = async (reset = false) => {
    offline = await startOfflineMode({ port: 0, quiet: true, stateDir, throttling: false, reset });
    return offline;
  };
  const stop = async () => {
    await offline?.close();
    offline = undefined;
  };

  before(async () => {
    stateDir = mkdtempSync(join(tmpdir(), "sia-ddb-"));
    await start(true);
  });
  after(async () => {
    await stop();
    rmSync(stateDir, { recursive: true, force: true });
  });

  const publicUrl = () => offline!.outputs.public_api_url!;
  const signedIn = async (email: string) => ({ ...json, authorization: await offline!.issuer.mint({ email }) });
  const putMe = async (email: string, body: unknown) => send(`${publicUrl()}/me`, { method: "PUT", headers: await signedIn(email), body: JSON.stringify(body) });
  const profile = async (id: string) => send(`${publicUrl()}/users/${id}/profile`, { headers: await signedIn("reader@example.com") });
  const GRACE = poolUserFor("grace@example.com").sub;

  it("writes endpoints.json and outputs the table name", () => {
    const endpoints = JSON.parse(readFileSync(join(stateDir, "endpoints.json"), "utf8"));
    expect(endpoints).to.deep.equal({ dynamodb: offline!.awsEndpoint });
    expect(endpoints.dynamodb).to.match(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(offline!.outputs.users_table_name).to.equal("sia-users");
  });

  it("reads back, through other warm instances, a record created through PUT /me", async () => {
    expect((await putMe("grace@example.com", { name: "Grace Hopper" })).status).to.equal(200);
    // Concurrent reads make the pool start more instances than the one that wrote.
    const reads = await Promise.all(Array.from({ length: 8 }, () => profile(GRACE)));
    expect(reads.map((r) => r.status)).to.deep.equal(Array(8).fill(200));
    expect(reads[0]!.json()).to.deep.equal({ id: GRACE, name: "Grace Hopper" });
    expect(offline!.lambdaPids()["sia-users"]!.length).to.be.at.least(2);
  });

  it("replaces the caller's own record on the next PUT /me", async () => {
    expect((await putMe("grace@example.com", { name: "Rear Admiral Hopper" })).status).to.equal(200);
    expect((await profile(GRACE)).json().name).to.equal("Rear Admiral Hopper");
  });

  describe("PUT /me with If-None-Match: * (create only if absent)", () => {
    const LINUS = poolUserFor("linus@example.com").sub;
    const createMe = async (email: string, name: string, precondition = "*") =>
      send(`${publicUrl()}/me`, { method: "PUT", headers: { ...(await signedIn(email)), "if-none-match": precondition }, body: JSON.stringify({ name }) });

    it("creates the caller's record: 201 through the conditional PutItem", async () => {
      const created = await createMe("linus@example.com", "Linus Torvalds");
      expect(created.status, created.text).to.equal(201);
      expect(created.json()).to.deep.equal({ id: LINUS, name: "Linus Torvalds", email: "linus@example.com" });
      expect((await profile(LINUS)).json()).to.deep.equal({ id: LINUS, name: "Linus Torvalds" });
    });

    it("answers a second create 409 naming the user, identical or not, and leaves the record unchanged", async () => {
      for (const name of ["Linus Torvalds", "Usurper"]) {
        const again = await createMe("linus@example.com", name);
        expect(again.status, name).to.equal(409);
        expect(again.json()).to.deep.equal({ message: `user ${LINUS} already exists` });
      }
      expect((await profile(LINUS)).json()).to.deep.equal({ id: LINUS, name: "Linus Torvalds" });
    });

    it("answers 409 for a seeded user's create too", async () => {
      const res = await createMe(ADA.email, "Not Ada");
      expect(res.status).to.equal(409);
      expect((await profile(ADA.sub)).json().name).to.equal("Ada Lovelace");
    });

    it("refuses any other precondition with 400 and writes nothing", async () => {
      const res = await createMe("margaret@example.com", "Margaret", '"v1"');
      expect(res.status).to.equal(400);
      expect(res.json().message).to.match(/^If-None-Match must be \* /);
      expect((await profile(poolUserFor("margaret@example.com").sub)).status).to.equal(404);
    });
  });

  it("keeps the data across a restart of the offline mode, and stops its AWS endpoint on close", async () => {
    const awsEndpoint = offline!.awsEndpoint;
    await stop();
    const refused = await fetch(awsEndpoint).then(() => "answered", (e: Error) => (e.cause as NodeJS.ErrnoException | undefined)?.code);
    expect(refused).to.equal("ECONNREFUSED");
    await start();
    expect((await profile(GRACE)).status).to.equal(200);
  });

  it("starts empty (but for the seed file) with reset", async () => {
    await stop();
    await start(true);
    expect((await profile(GRACE)).status).to.equal(404);
    expect((await profile(ADA.sub)).json()).to.deep.equal({ id: ADA.sub, name: "Ada Lovelace" });
  });

  it("denies the profile role, which holds no table grant, with DynamoDB's AccessDeniedException", async () => {
    const role = offline!.credentials["sia-profile-role"]!;
    const client = dynamoDbClient(stateDir, role, offline!.model.region);
    try {
      const denied = await rejection(client.send(new PutItemCommand({ TableName: "sia-users", Item: { id: { S: "u-x" } } })));
      expect(denied).to.deep.equal({
        name: "AccessDeniedException",
        status: 400,
        message: `User: ${role.principalArn} is not authorized to perform: dynamodb:PutItem on resource: ${offline!.model.tables.get("sia-users")!.arn} because no identity-based policy allows the dynamodb:PutItem action`,
      });
    } finally {
      client.destroy();
    }
  });
});

/**
 * A variant of the stack whose users function may only read: its role holds GetItem on `users`
 * and BatchWriteItem on `users` only, and a second table, `audit`, is granted nothing.
 */
function synthReadOnlyVariant(outdir: string): string {
  const app = new App({ outdir });
  const stack = new TerraformStack(app, "read-only-variant");
  new AwsProvider(stack, "aws", { region: "us-east-1" });
  const users = new Table(stack, "users", { tableName: "variant-users", deletionProtection: false });
  const audit = new Table(stack, "audit", { tableName: "variant-audit", deletionProtection: false });
  const fn = new NodeFunction(stack, "users-function", {
    entry: "lambdas/users/handler.ts",
    functionName: "variant-users",
    environment: { USERS_TABLE_NAME: users.tableName },
    buildDir: join(outdir, "functions"),
  });
  users.grant(fn, ["GetItem", "BatchWriteItem"]);
  const api = new PublicApi(stack, "api", {
    name: "variant",
    routes: [
      { method: "GET", path: "/users/{id}", function: fn, authorization: "NONE" },
      { method: "PUT", path: "/users/{id}", function: fn, authorization: "NONE" },
    ],
  });
  new TerraformOutput(stack, "url", { value: api.url });
  new TerraformOutput(stack, "audit_table_name", { value: audit.tableName });
  app.synth();
  return join(outdir, "stacks", "read-only-variant");
}

describe("offline mode: a users function without the write grant", function () {
  this.timeout(90_000);
  let outdir: string;
  let offline: OfflineMode;
  const lines: string[] = [];

  before(async () => {
    outdir = mkdtempSync(join(tmpdir(), "sia-variant-"));
    offline = await startOfflineMode({ port: 0, stackDir: synthReadOnlyVariant(outdir), stateDir: join(outdir, "state"), seedFile: null, throttling: false, log: (line) => lines.push(line) });
  });
  after(async () => {
    await offline?.close();
    rmSync(outdir, { recursive: true, force: true });
  });

  it("is denied its PutItem as DynamoDB denies it: the write fails and the function sees AccessDeniedException", async () => {
    const res = await send(`${offline.outputs.url}/users/${NOBODY}`, { method: "PUT", headers: { ...json, "x-end-user-id": NOBODY }, body: JSON.stringify({ name: "Eve", email: "eve@example.com" }) });
    expect(res.status).to.equal(500);
    expect(res.json()).to.deep.equal({ message: "internal error" });
    const logged = lines.find((l) => l.includes('"msg":"user store failed"'));
    expect(logged, lines.join("\n")).to.contain('"error":"AccessDeniedException"');
    expect(logged).to.match(/assumed-role\/variant-users-role\/variant-users is not authorized to perform: dynamodb:PutItem on resource: arn:aws:dynamodb:us-east-1:\d{12}:table\/variant-users because no identity-based policy allows the dynamodb:PutItem action/);
    expect(lines.some((l) => / dynamodb PutItem variant-users 400 Deny arn:aws:sts::\d{12}:assumed-role\/variant-users-role\/variant-users \d+ms/.test(l))).to.equal(true);
  });

  it("still reads: GetItem is granted", async () => {
    const res = await send(`${offline.outputs.url}/users/${NOBODY}`);
    expect(res.status).to.equal(404);
  });

  it("denies a batch write that touches a table the role is not granted, naming that table", async () => {
    const role = offline.credentials["variant-users-role"]!;
    const client = dynamoDbClient(join(outdir, "state"), role, offline.model.region);
    try {
      const denied = await rejection(
        client.send(
          new BatchWriteItemCommand({
            RequestItems: {
              "variant-users": [{ PutRequest: { Item: { id: { S: "u-batch" } } } }],
              [offline.outputs.audit_table_name!]: [{ PutRequest: { Item: { id: { S: "a-1" } } } }],
            },
          }),
        ),
      );
      expect(denied.name).to.equal("AccessDeniedException");
      expect(denied.message).to.contain(`dynamodb:BatchWriteItem on resource: ${offline.model.tables.get("variant-audit")!.arn} because no identity-based policy allows`);
    } finally {
      client.destroy();
    }
  });
});
