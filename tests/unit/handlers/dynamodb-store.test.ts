import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import { CreateTableCommand, DynamoDBClient, PutItemCommand } from "@aws-sdk/client-dynamodb";
import { expect } from "chai";
import dynalite from "dynalite";
import { DynamoDbUserStore, MalformedUserItemError } from "../../../lambdas/users/dynamodb-store.js";

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

  it("refuses to read an item that is not a user", async () => {
    await client.send(new PutItemCommand({ TableName: "users", Item: { id: { S: "u-odd" }, name: { N: "1" } } }));
    const error = await store.get("u-odd").catch((e: unknown) => e);
    expect(error).to.be.instanceOf(MalformedUserItemError);
  });
});
