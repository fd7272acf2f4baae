import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import { CreateTableCommand, DynamoDBClient, PutItemCommand } from "@aws-sdk/client-dynamodb";
import { expect } from "chai";
import dynalite from "dynalite";
import { DynamoDbUserStore, MalformedUserItemError } from "../../../lambdas/users/dynamodb-store.js";
import { UserExistsError } from "../../../lambdas/users/store.js";

/** The store against dynalite (DynamoDB's API on an in-memory LevelDB), no AWS involved. */
describe("DynamoDbUserStore", () => {
  let server: Server;
  let client: DynamoDBClient;
  let store: DynamoDbUserStore;

  before(async () => {
    server = dynalite({ createTableMs: 0 });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    client = new DynamoDBClient({
      endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      region: "us-east-1",
      credentials: { accessKeyId: "TESTKEY", secretAccessKey: "test-secret" },
    });
    await client.send(
      new CreateTableCommand({ TableName: "users", BillingMode: "PAY_PER_REQUEST", AttributeDefinitions: [{ AttributeName: "id", AttributeType: "S" }], KeySchema: [{ AttributeName: "id", KeyType: "HASH" }] }),
    );
    await new Promise((resolve) => setTimeout(resolve, 20)); // dynalite activates the table on its next tick
    store = new DynamoDbUserStore("users", client);
  });
  after(async () => {
    client.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it("reads back a user it put", async () => {
    await store.put({ id: "u-ada", name: "Ada", email: "ada@example.com" });
    expect(await store.get("u-ada")).to.deep.equal({ id: "u-ada", name: "Ada", email: "ada@example.com" });
  });

  it("answers undefined for an id it does not hold", async () => {
    expect(await store.get("u-nobody")).to.equal(undefined);
  });

  it("replaces the whole record on a second put of the same id (PUT /users/{id} semantics)", async () => {
    await store.put({ id: "u-twice", name: "First", email: "first@example.com" });
    await store.put({ id: "u-twice", name: "Second", email: "second@example.com" });
    expect(await store.get("u-twice")).to.deep.equal({ id: "u-twice", name: "Second", email: "second@example.com" });
  });

  it("creates a record that did not exist (conditional PutItem)", async () => {
    await store.create({ id: "u-new", name: "New", email: "new@example.com" });
    expect(await store.get("u-new")).to.deep.equal({ id: "u-new", name: "New", email: "new@example.com" });
  });

  it("refuses to create over an existing record with UserExistsError, and leaves it unchanged", async () => {
    await store.put({ id: "u-taken", name: "Owner", email: "owner@example.com" });
    const error = await store.create({ id: "u-taken", name: "Usurper", email: "usurper@example.com" }).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(UserExistsError);
    expect((error as UserExistsError).message).to.equal("user u-taken already exists");
    expect(await store.get("u-taken")).to.deep.equal({ id: "u-taken", name: "Owner", email: "owner@example.com" });
  });

  it("lets exactly one of several concurrent creates of one id win", async () => {
    const results = await Promise.allSettled(["A", "B", "C", "D"].map((name) => store.create({ id: "u-race", name, email: "race@example.com" })));
    expect(results.filter((r) => r.status === "fulfilled")).to.have.length(1);
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
    expect(refused.map((r) => r.reason)).to.have.length(3).and.satisfy((reasons: unknown[]) => reasons.every((r) => r instanceof UserExistsError));
    const winner = ["A", "B", "C", "D"][results.findIndex((r) => r.status === "fulfilled")];
    expect((await store.get("u-race"))!.name).to.equal(winner);
  });

  it("passes on other failures of a create as they are (not as a conflict)", async () => {
    const missing = new DynamoDbUserStore("no-such-table", client);
    const error = await missing.create({ id: "u-x", name: "X", email: "x@example.com" }).catch((e: unknown) => e);
    expect(error).to.not.be.instanceOf(UserExistsError);
    expect((error as Error).name).to.equal("ResourceNotFoundException");
  });

  it("refuses to read an item that is not a user", async () => {
    await client.send(new PutItemCommand({ TableName: "users", Item: { id: { S: "u-odd" }, name: { N: "1" } } }));
    const error = await store.get("u-odd").catch((e: unknown) => e);
    expect(error).to.be.instanceOf(MalformedUserItemError);
  });
});
