import { createServer, type Server } from "node:http";
import { connect, type AddressInfo } from "node:net";
import { expect } from "chai";
import { LocalCredentialStore, type RoleCredentials } from "../../../local/credentials/local-credentials.js";
import { otherAccountRole } from "../../../local/credentials/other-account-role.js";
import { Gateway, type FunctionInvoker } from "../../../local/gateway/gateway.js";
import { loadStack } from "../../../local/loader/load-stack.js";
import type { RoleModel, StackModel } from "../../../local/model.js";
import type { InvokeOutcome } from "../../../local/runner/lambda-instance.js";
import { send, sendSigned } from "./fixtures/http-client.js";
import { miniStackJson, writeStackDir } from "./fixtures/mini-stack.js";

const REGION = "eu-west-1";
const ok = (body: unknown, headers: Record<string, string> = {}): InvokeOutcome => ({
  kind: "result",
  payload: { statusCode: 200, headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) },
});

/** A gateway over a hand-written stack, a fake function, and credentials for its roles. */
async function startGateway(json: Record<string, any>, options: { maxBodyBytes?: number; integrationTimeoutMs?: number; maxEventBytes?: number; throttling?: boolean } = {}) {
  const stack = writeStackDir(json);
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const model: StackModel = loadStack({ stackDir: stack.dir, accountId: "123456789012", region: REGION, endpoint });
  const store = new LocalCredentialStore();
  const roles = new Map<string, RoleModel>(model.roles);
  const foreign = otherAccountRole();
  roles.set(foreign.arn, foreign);
  const role = (name: string) => [...roles.values()].find((r) => r.name === name)!;
  const credentials: Record<string, RoleCredentials> = {
    caller: store.issue(role("caller-role"), "test"),
    fn: store.issue(role("fn-role"), "test"),
    foreign: store.issue(foreign, "test"),
  };
  const events: any[] = [];
  const fake = { next: (event: any): InvokeOutcome | Promise<InvokeOutcome> => ok({ echoed: event.path }) };
  const invoker: FunctionInvoker = {
    invoke: async (_name, event) => {
      events.push(event);
      return fake.next(event);
    },
  };
  const warnings: string[] = [];
  const accessLog: string[] = [];
  const gateway = new Gateway({
    model,
    invoker,
    lookupCredentials: store.lookup,
    roles,
    throttling: options.throttling ?? false,
    maxBodyBytes: options.maxBodyBytes,
    integrationTimeoutMs: options.integrationTimeoutMs,
    maxEventBytes: options.maxEventBytes,
    warn: (l) => warnings.push(l),
    accessLog: (l) => accessLog.push(l),
  });
  server.on("request", gateway.listener);
  server.on("clientError", gateway.clientErrorListener);
  const apiId = (name: string) => [...model.apis.values()].find((a) => a.name === name)!.id;
  return {
    model,
    credentials,
    events,
    fake,
    warnings,
    accessLog,
    iamUrl: `${endpoint}/restapis/${apiId("iam-api")}/prod`,
    pubUrl: `${endpoint}/restapis/${apiId("pub-api")}/prod`,
    iamApiId: apiId("iam-api"),
    endpoint,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      stack.cleanup();
    },
  };
}

describe("Gateway", () => {
  let g: Awaited<ReturnType<typeof startGateway>>;
  before(async () => {
    g = await startGateway(miniStackJson(), { maxBodyBytes: 1024, integrationTimeoutMs: 200 });
  });
  after(() => g.close());
  beforeEach(() => {
    g.events.length = 0;
    g.fake.next = (event) => ok({ echoed: event.path });
  });

  describe("proxy events", () => {
    it("builds a REST v1 event for a public method: path without the stage, null for empty maps", async () => {
      const res = await send(`${g.pubUrl}/hello`, { headers: { "X-Custom": "one", "user-agent": "test-agent" } });
      expect(res.status).to.equal(200);
      const event = g.events[0];
      expect(event).to.include({ resource: "/hello", path: "/hello", httpMethod: "GET", body: null, isBase64Encoded: false });
      expect(event.queryStringParameters).to.equal(null);
      expect(event.multiValueQueryStringParameters).to.equal(null);
      expect(event.pathParameters).to.equal(null);
      expect(event.stageVariables).to.deep.equal({ mode: "test" });
      expect(event.headers["X-Custom"]).to.equal("one");
      expect(event.multiValueHeaders["X-Custom"]).to.deep.equal(["one"]);
      expect(event.requestContext).to.include({ path: "/prod/hello", stage: "prod", resourcePath: "/hello", accountId: "123456789012", httpMethod: "GET" });
      expect(event.requestContext.identity).to.include({ userArn: null, caller: null, accessKey: null, sourceIp: "127.0.0.1", userAgent: "test-agent" });
      expect(event.requestContext.requestTime).to.match(/^\d{2}\/[A-Z][a-z]{2}\/\d{4}:\d{2}:\d{2}:\d{2} \+0000$/);
    });

    it("keeps every value of a repeated query parameter, the last one in the single-value map", async () => {
      await send(`${g.pubUrl}/hello?a=1&a=2&b=x%20y`);
      expect(g.events[0].queryStringParameters).to.deep.equal({ a: "2", b: "x y" });
      expect(g.events[0].multiValueQueryStringParameters).to.deep.equal({ a: ["1", "2"], b: ["x y"] });
    });

    it("fills path parameters and the IAM identity for a signed call", async () => {
      const res = await sendSigned(`${g.iamUrl}/items/42`, g.credentials.caller!, { region: REGION });
      expect(res.status, res.text).to.equal(200);
      const event = g.events[0];
      expect(event).to.include({ resource: "/items/{id}", path: "/items/42" });
      expect(event.pathParameters).to.deep.equal({ id: "42" });
      const identity = event.requestContext.identity;
      expect(identity).to.include({
        accessKey: g.credentials.caller!.accessKeyId,
        accountId: "123456789012",
        userArn: "arn:aws:sts::123456789012:assumed-role/caller-role/test",
      });
      expect(identity.caller).to.match(/^AROA[A-Z2-7]{17}:test$/);
      expect(identity.user).to.equal(identity.caller);
    });

    it("passes the body through as text", async () => {
      await send(`${g.pubUrl}/hello`, { method: "GET", body: '{"a":1}', headers: { "content-type": "application/json" } });
      expect(g.events[0].body).to.equal('{"a":1}');
    });
  });

  describe("authorization", () => {
    it("answers MissingAuthenticationToken to an unsigned call of an AWS_IAM method, without invoking", async () => {
      const res = await send(`${g.iamUrl}/items/42`);
      expect(res.status).to.equal(403);
      expect(res.headers["x-amzn-errortype"]).to.equal("MissingAuthenticationTokenException");
      expect(res.json()).to.deep.equal({ message: "Missing Authentication Token" });
      expect(g.events).to.have.length(0);
    });

    it("denies a signed caller whose role has no grant, naming the session and the request ARN", async () => {
      const res = await sendSigned(`${g.iamUrl}/items/42`, g.credentials.fn!, { region: REGION });
      expect(res.status).to.equal(403);
      expect(res.headers["x-amzn-errortype"]).to.equal("AccessDeniedException");
      expect(res.json()).to.deep.equal({
        Message: `User: arn:aws:sts::123456789012:assumed-role/fn-role/test is not authorized to perform: execute-api:Invoke on resource: arn:aws:execute-api:${REGION}:********9012:${g.iamApiId}/prod/GET/items/42`,
      });
      expect(g.events).to.have.length(0);
    });

    it("denies another account's role by the resource policy's explicit deny", async () => {
      const res = await sendSigned(`${g.iamUrl}/items/42`, g.credentials.foreign!, { region: REGION });
      expect(res.status).to.equal(403);
      expect(res.json().Message).to.match(/^User: arn:aws:sts::444455556666:assumed-role\/other-account-caller\/test .* with an explicit deny$/);
    });

    it("answers a signature for the wrong region with InvalidSignatureException", async () => {
      const res = await sendSigned(`${g.iamUrl}/items/42`, g.credentials.caller!, { region: "us-west-2" });
      expect(res.status).to.equal(403);
      expect(res.headers["x-amzn-errortype"]).to.equal("InvalidSignatureException");
    });
  });

  describe("routes", () => {
    it("answers an unknown path of the IAM API with Missing Authentication Token", async () => {
      const res = await sendSigned(`${g.iamUrl}/nothing/here`, g.credentials.caller!, { region: REGION });
      expect(res.status).to.equal(403);
      expect(res.json()).to.deep.equal({ message: "Missing Authentication Token" });
    });

    it("applies the public API's gateway response to unknown paths and methods (404 Not Found)", async () => {
      for (const res of [await send(`${g.pubUrl}/nothing`), await send(`${g.pubUrl}/hello`, { method: "DELETE" })]) {
        expect(res.status).to.equal(404);
        expect(res.json()).to.deep.equal({ message: "Not Found" });
      }
    });

    it("answers a stage that does not exist with 403 Forbidden", async () => {
      const res = await send(`${g.pubUrl.replace(/\/prod$/, "/dev")}/hello`);
      expect(res.status).to.equal(403);
      expect(res.json()).to.deep.equal({ message: "Forbidden" });
    });

    it("answers 404 for an API id it does not serve, and lists the APIs on GET /", async () => {
      expect((await send(`${g.endpoint}/restapis/zzzzzzzzzz/prod/hello`)).status).to.equal(404);
      const index = (await send(`${g.endpoint}/`)).json();
      expect(index.apis.map((a: { name: string }) => a.name)).to.have.members(["iam-api", "pub-api"]);
    });
  });

  describe("integration", () => {
    it("returns the function's status, headers and body", async () => {
      g.fake.next = () => ({ kind: "result", payload: { statusCode: 201, headers: { "x-one": "1" }, multiValueHeaders: { "x-many": ["a", "b"] }, body: "created" } });
      const res = await send(`${g.pubUrl}/hello`);
      expect(res.status).to.equal(201);
      expect(res.text).to.equal("created");
      expect(res.headers["x-one"]).to.equal("1");
      expect(res.headers["x-many"]).to.equal("a, b");
      expect(res.headers["content-type"]).to.equal("application/json");
      expect(res.headers["x-amzn-requestid"]).to.match(/^[0-9a-f-]{36}$/);
    });

    const failures: Array<[string, InvokeOutcome, number, string]> = [
      ["a malformed proxy response", { kind: "result", payload: { statusCode: 200, body: { not: "a string" } } }, 502, "Internal server error"],
      ["a proxy response with unknown keys", { kind: "result", payload: { statusCode: 200, body: "", extra: 1 } }, 502, "Internal server error"],
      ["a handler error", { kind: "error", errorType: "TypeError", errorMessage: "boom" }, 502, "Internal server error"],
      ["a crashed instance", { kind: "crash", detail: "exited" }, 502, "Internal server error"],
      ["a timeout", { kind: "timeout" }, 504, "Endpoint request timed out"],
    ];
    for (const [label, outcome, status, message] of failures) {
      it(`answers ${status} for ${label}`, async () => {
        g.fake.next = () => outcome;
        const res = await send(`${g.pubUrl}/hello`);
        expect(res.status).to.equal(status);
        expect(res.json()).to.deep.equal({ message });
      });
    }

    it("answers 504 when the function outlasts the integration timeout", async () => {
      g.fake.next = () => new Promise(() => undefined);
      const res = await send(`${g.pubUrl}/hello`);
      expect(res.status).to.equal(504);
      expect(res.json()).to.deep.equal({ message: "Endpoint request timed out" });
    });

    it("answers 413 to a body over the limit, through the API's DEFAULT_4XX response", async () => {
      const res = await send(`${g.pubUrl}/hello`, { method: "GET", body: "x".repeat(1025) });
      expect(res.status).to.equal(413);
      expect(res.json()).to.deep.equal({ message: "Request Too Long" });
      expect(g.events).to.have.length(0);
    });
  });
});

describe("Gateway and Lambda permissions", () => {
  it("answers 500 when no permission lets the API invoke the function, and invokes when one does", async () => {
    const json = miniStackJson();
    json.resource.aws_lambda_permission.hello.source_arn = "${aws_api_gateway_rest_api.pub_api.execution_arn}/prod/POST/hello";
    const g = await startGateway(json);
    try {
      const denied = await send(`${g.pubUrl}/hello`);
      expect(denied.status).to.equal(500);
      expect(denied.json()).to.deep.equal({ message: "Internal server error" });
      expect(g.events).to.have.length(0);
      const allowed = await sendSigned(`${g.iamUrl}/items/1`, g.credentials.caller!, { region: REGION });
      expect(allowed.status).to.equal(200);
    } finally {
      await g.close();
    }
  });
});

describe("Gateway: payload limits and clients that go away", () => {
  let g: Awaited<ReturnType<typeof startGateway>>;
  before(async () => {
    g = await startGateway(miniStackJson());
  });
  after(() => g.close());
  beforeEach(() => {
    g.events.length = 0;
    g.accessLog.length = 0;
    g.warnings.length = 0;
    g.fake.next = (event) => ok({ echoed: event.path });
  });

  /** Waits (bounded) for the access-log line of the request just made. */
  async function nextAccessLine(): Promise<string> {
    for (let i = 0; i < 200 && g.accessLog.length === 0; i += 1) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(g.accessLog, "an access-log line").to.have.length(1, g.accessLog.join("\n"));
    return g.accessLog[0]!;
  }

  /** Raw bytes on a socket: what the client receives before the server closes. */
  function sendRaw(bytes: string, hangUpAfterWrite = false): Promise<string> {
    const { port } = new URL(g.endpoint);
    return new Promise((resolve) => {
      const socket = connect(Number(port), "127.0.0.1");
      let received = "";
      socket.on("data", (d) => (received += d.toString("latin1")));
      socket.on("error", () => resolve(received));
      socket.on("close", () => resolve(received));
      socket.write(bytes, () => {
        if (hangUpAfterWrite) setTimeout(() => socket.destroy(), 50);
      });
    });
  }

  const requestTarget = () => new URL(g.pubUrl).pathname;

  it("answers 413 Request Too Long (BadRequestException) when the proxy event is over Lambda's 6 MB, without invoking", async function () {
    this.timeout(20_000);
    // 6291556 bytes of body alone already make an event over the limit (headers and context add to it).
    const res = await send(`${g.pubUrl}/hello`, { method: "GET", body: "x".repeat(6_291_556) });
    expect(res.status).to.equal(413);
    expect(res.headers["x-amzn-errortype"]).to.equal("BadRequestException");
    expect(res.json()).to.deep.equal({ message: "Request Too Long" });
    expect(g.events).to.have.length(0);
    expect(await nextAccessLine()).to.match(/ 413 anonymous \d+ms trace=1-[0-9a-f]{8}-[0-9a-f]{24} \(the proxy event for [\w-]+ is \d+ bytes, over Lambda's synchronous payload limit\)$/);
  });

  it("invokes the function with a 6 MB body whose event stays under the limit", async function () {
    this.timeout(20_000);
    g.fake.next = () => ok({ ok: true });
    const res = await send(`${g.pubUrl}/hello`, { method: "GET", body: "x".repeat(6_000_000) });
    expect(res.status).to.equal(200);
    expect(g.events[0].body).to.have.length(6_000_000);
  });

  it("logs a client that hangs up mid-body as 499, not as a 500 or a gateway error", async () => {
    await sendRaw(`GET ${requestTarget()}/hello HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\nabc`, true);
    expect(await nextAccessLine()).to.match(/ GET \/restapis\/\w+\/prod\/hello 499 - \d+ms \(the client hung up while sending its request\)$/);
    expect(g.warnings).to.deep.equal([]);
    expect(g.events).to.have.length(0);
  });

  it("logs a client that hangs up while the function runs as 499, naming the answer it missed", async () => {
    let release!: () => void;
    g.fake.next = () => new Promise((resolve) => (release = () => resolve(ok({ late: true }))));
    const sent = sendRaw(`GET ${requestTarget()}/hello HTTP/1.1\r\nHost: x\r\n\r\n`, true);
    await sent;
    release();
    expect(await nextAccessLine()).to.match(/ GET \/restapis\/\w+\/prod\/hello 499 anonymous \d+ms trace=1-[0-9a-f]{8}-[0-9a-f]{24} \(the client hung up before its answer \(200\)\)$/);
    expect(g.warnings).to.deep.equal([]);
  });

  it("answers bytes that are not HTTP with node's 400 and logs them as a 400", async () => {
    const received = await sendRaw("NOT HTTP AT ALL\r\n\r\n");
    expect(received).to.match(/^HTTP\/1\.1 400 Bad Request\r\n/);
    expect(await nextAccessLine()).to.match(/ - - 400 - 0ms \(malformed HTTP request \(HPE_[A-Z_]+\)\)$/);
  });

  it("answers oversized headers with 431 and logs them as a 431", async () => {
    const received = await sendRaw(`GET / HTTP/1.1\r\nHost: x\r\nX-Big: ${"a".repeat(20_000)}\r\n\r\n`);
    expect(received).to.match(/^HTTP\/1\.1 431 Request Header Fields Too Large\r\n/);
    expect(await nextAccessLine()).to.match(/ 431 - 0ms \(malformed HTTP request \(HPE_HEADER_OVERFLOW\)\)$/);
  });
});

describe("Gateway: throttling comes before authorization", () => {
  it("lets unsigned calls spend the stage's tokens, so a signed caller then gets 429, and never evaluates a throttled call", async () => {
    const json = miniStackJson();
    // A burst of 3 and a refill far slower than the test: the bucket only empties.
    json.resource.aws_api_gateway_method_settings = {
      iam_all: { rest_api_id: "${aws_api_gateway_rest_api.iam_api.id}", stage_name: "${aws_api_gateway_stage.iam.stage_name}", method_path: "*/*", settings: { throttling_rate_limit: 0.001, throttling_burst_limit: 3 } },
    };
    const g = await startGateway(json, { throttling: true });
    try {
      const unsigned = [];
      for (let i = 0; i < 3; i += 1) unsigned.push((await send(`${g.iamUrl}/items/42`)).status);
      expect(unsigned).to.deep.equal([403, 403, 403]); // each one refused by IAM, and each one took a token
      const signed = await sendSigned(`${g.iamUrl}/items/42`, g.credentials.caller!, { region: REGION });
      expect(signed.status).to.equal(429);
      expect(signed.json()).to.deep.equal({ message: "Too Many Requests" });
      const unknownKey = await sendSigned(`${g.iamUrl}/items/42`, { ...g.credentials.caller!, accessKeyId: "LOCALFAKEUNKNOWN0000" }, { region: REGION });
      expect(unknownKey.status, "a throttled call is not authenticated at all").to.equal(429);
      expect(g.events).to.have.length(0);
      // The other stage has its own bucket (none here): the flood on one API does not throttle the other.
      expect((await send(`${g.pubUrl}/hello`)).status).to.equal(200);
    } finally {
      await g.close();
    }
  });
});

describe("Gateway: the request context reaches IAM", () => {
  let g: Awaited<ReturnType<typeof startGateway>>;
  before(async () => {
    const json = miniStackJson();
    json.resource.aws_iam_role.caller_role.tags = { team: "callers" };
    json.resource.aws_iam_role_policy.grant.policy = JSON.stringify({
      Version: "2012-10-17",
      Statement: [
        {
          Effect: "Allow",
          Action: "execute-api:Invoke",
          Resource: "${aws_api_gateway_rest_api.iam_api.execution_arn}/prod/GET/items/*",
          Condition: { Bool: { "aws:SecureTransport": "true" }, StringEquals: { "aws:PrincipalTag/team": "callers" }, StringLike: { "aws:UserAgent": "trusted-client/*" } },
        },
      ],
    });
    g = await startGateway(json);
  });
  after(() => g.close());

  it("allows when the header and the role's tag satisfy the grant's conditions", async () => {
    const res = await sendSigned(`${g.iamUrl}/items/42`, g.credentials.caller!, { region: REGION, headers: { "user-agent": "trusted-client/1.0" } });
    expect(res.status).to.equal(200);
  });

  it("denies when aws:UserAgent does not match, naming no internals in the answer", async () => {
    const res = await sendSigned(`${g.iamUrl}/items/42`, g.credentials.caller!, { region: REGION, headers: { "user-agent": "curl/8.0" } });
    expect(res.status).to.equal(403);
    expect(res.headers["x-amzn-errortype"]).to.equal("AccessDeniedException");
  });
});
