import { BatchWriteItemCommand, GetItemCommand, PutItemCommand, type DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { expect } from "chai";
import { startEndpointFixture, tableArn, ACCOUNT, type EndpointFixture } from "./endpoint-fixture.js";

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";

/** What a rejected SDK call carried: DynamoDB's error type, message and status. */
async function rejection(client: DynamoDBClient, command: PutItemCommand | BatchWriteItemCommand) {
  try {
    await client.send(command as PutItemCommand);
  } catch (error) {
    const e = error as Error & { $metadata?: { httpStatusCode?: number }; __type?: string };
    return { name: e.name, message: e.message, status: e.$metadata?.httpStatusCode };
  }
  throw new Error("the call was allowed");
}

const put = (id: string, table = "users") => new PutItemCommand({ TableName: table, Item: { id: { S: id } } });

describe("local AWS endpoint: DynamoDB with SigV4 and IAM", function () {
  this.timeout(20_000);
  let fx: EndpointFixture;
  before(async () => {
    fx = await startEndpointFixture();
  });
  after(async () => fx?.close());

  it("lets a role granted PutItem and GetItem write and read", async () => {
    await fx.client("writer").send(put("u-1"));
    const { Item } = await fx.client("writer").send(new GetItemCommand({ TableName: "users", Key: { id: { S: "u-1" } } }));
    expect(Item).to.deep.equal({ id: { S: "u-1" } });
  });

  it("denies a role without the write grant exactly as DynamoDB does", async () => {
    const denied = await rejection(fx.client("reader"), put("u-2"));
    expect(denied).to.deep.equal({
      name: "AccessDeniedException",
      status: 400,
      message: `User: arn:aws:sts::${ACCOUNT}:assumed-role/reader/test is not authorized to perform: dynamodb:PutItem on resource: ${tableArn("users")} because no identity-based policy allows the dynamodb:PutItem action`,
    });
  });

  it("answers the denial body with DynamoDB's __type and Message", async () => {
    const { SignatureV4 } = await import("@smithy/signature-v4");
    const { Hash } = await import("@smithy/hash-node");
    const { HttpRequest } = await import("@smithy/protocol-http");
    const creds = fx.credentials("reader");
    const url = new URL(fx.url);
    const body = JSON.stringify({ TableName: "users", Item: { id: { S: "u-3" } } });
    const signed = await new SignatureV4({ service: "dynamodb", region: "eu-west-1", sha256: Hash.bind(null, "sha256"), credentials: creds }).sign(
      new HttpRequest({ method: "POST", protocol: "http:", hostname: url.hostname, port: Number(url.port), path: "/", headers: { host: url.host, "content-type": "application/x-amz-json-1.0", "x-amz-target": "DynamoDB_20120810.PutItem" }, body }),
    );
    const res = await fetch(fx.url, { method: "POST", headers: signed.headers as Record<string, string>, body });
    expect(res.status).to.equal(400);
    expect(res.headers.get("content-type")).to.equal("application/x-amz-json-1.0");
    expect(await res.json()).to.deep.equal({
      __type: "com.amazon.coral.service#AccessDeniedException",
      Message: `User: arn:aws:sts::${ACCOUNT}:assumed-role/reader/test is not authorized to perform: dynamodb:PutItem on resource: ${tableArn("users")} because no identity-based policy allows the dynamodb:PutItem action`,
    });
  });

  it("says 'with an explicit deny' when a Deny statement decides", async () => {
    const denied = await rejection(fx.client("denied-writer"), put("u-4"));
    expect(denied.message).to.match(/is not authorized to perform: dynamodb:PutItem on resource: \S+ with an explicit deny in an identity-based policy$/);
  });

  it("denies a batch write touching a table the role is not granted, naming that table, and writes nothing", async () => {
    const denied = await rejection(
      fx.client("batcher"),
      new BatchWriteItemCommand({ RequestItems: { users: [{ PutRequest: { Item: { id: { S: "u-5" } } } }], audit: [{ PutRequest: { Item: { id: { S: "a-1" } } } }] } }),
    );
    expect(denied.name).to.equal("AccessDeniedException");
    expect(denied.message).to.contain(`dynamodb:BatchWriteItem on resource: ${tableArn("audit")}`);
    const { Item } = await fx.client("writer").send(new GetItemCommand({ TableName: "users", Key: { id: { S: "u-5" } } }));
    expect(Item).to.equal(undefined);
  });

  it("evaluates dynamodb:LeadingKeys: a role limited to its own item may write it and no other", async () => {
    await fx.client("own-items").send(put("u-own"));
    const denied = await rejection(fx.client("own-items"), put("u-other"));
    expect(denied.name).to.equal("AccessDeniedException");
  });

  describe("authentication, as DynamoDB answers it", () => {
    it("refuses a signature made with the wrong secret: InvalidSignatureException", async () => {
      const denied = await rejection(fx.client("writer", { secretAccessKey: "not-the-secret" }), put("u-6"));
      expect(denied).to.include({ name: "InvalidSignatureException", status: 400 });
      expect(denied.message).to.match(/^The request signature we calculated does not match the signature you provided/);
    });

    it("refuses an access key it did not issue: UnrecognizedClientException", async () => {
      const denied = await rejection(fx.client("writer", { accessKeyId: "LOCALFAKENOTISSUED01" }), put("u-7"));
      expect(denied).to.deep.equal({ name: "UnrecognizedClientException", status: 400, message: "The security token included in the request is invalid." });
    });

    it("refuses an unsigned call: MissingAuthenticationTokenException", async () => {
      const res = await fetch(fx.url, { method: "POST", headers: { "x-amz-target": "DynamoDB_20120810.GetItem", "content-type": "application/x-amz-json-1.0" }, body: "{}" });
      expect(res.status).to.equal(400);
      expect(await res.json()).to.deep.equal({ __type: "com.amazon.coral.service#MissingAuthenticationTokenException", message: "Request is missing Authentication Token" });
    });
  });

  describe("a body over 16 MiB", () => {
    const TOO_LARGE = { __type: "com.amazon.coral.validate#ValidationException", message: `the request is larger than ${16 * 1024 * 1024} bytes` };
    const headers = { "x-amz-target": "DynamoDB_20120810.PutItem", "content-type": "application/x-amz-json-1.0" };

    it("refuses one its content-length declares: ValidationException", async () => {
      const res = await fetch(fx.url, { method: "POST", headers, body: Buffer.alloc(16 * 1024 * 1024 + 1, 0x20) });
      expect(res.status).to.equal(400);
      expect(res.headers.get("x-amzn-errortype")).to.equal("ValidationException");
      expect(await res.json()).to.deep.equal(TOO_LARGE);
    });

    it("refuses one sent chunked, with no content-length: ValidationException", async () => {
      const chunk = Buffer.alloc(1024 * 1024, 0x20);
      let sent = 0;
      const body = new ReadableStream<Uint8Array>({
        pull(controller) {
          if (sent++ < 17) controller.enqueue(chunk);
          else controller.close();
        },
      });
      const res = await fetch(fx.url, { method: "POST", headers, body, duplex: "half" } as RequestInit);
      expect(res.status).to.equal(400);
      expect(res.headers.get("x-amzn-errortype")).to.equal("ValidationException");
      expect(await res.json()).to.deep.equal(TOO_LARGE);
    });
  });

  describe("the catch-all", () => {
    it("answers any other service with 'not emulated offline: <service>', and never forwards it", async () => {
      const res = await fetch(`${fx.url}/2012-11-05/queues`, {
        method: "POST",
        headers: { authorization: "AWS4-HMAC-SHA256 Credential=LOCALFAKEX/20260101/eu-west-1/sqs/aws4_request, SignedHeaders=host, Signature=00", "x-amz-date": "20260101T000000Z" },
        body: "{}",
      });
      expect(res.status).to.equal(501);
      expect(((await res.json()) as { message: string }).message).to.match(/^not emulated offline: sqs/);
    });

    it("names an unidentifiable service 'unknown'", async () => {
      const res = await fetch(`${fx.url}/anything`);
      expect(res.status).to.equal(501);
      expect(((await res.json()) as { message: string }).message).to.match(/^not emulated offline: unknown/);
    });
  });

  it("logs each DynamoDB call: service, action, tables, decision, principal, latency", () => {
    const line = fx.logs.find((l) => l.includes(" BatchWriteItem "));
    expect(line).to.match(new RegExp(`^\\S+ dynamodb BatchWriteItem users,audit 400 Deny arn:aws:sts::${ACCOUNT}:assumed-role/batcher/test \\d+ms \\(.+\\)$`));
    expect(fx.logs.join("\n")).not.to.match(/secret|Signature=/i);
  });
});
