import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
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
async function startGateway(json: Record<string, any>, options: { maxBodyBytes?: number; integrationTimeoutMs?: number } = {}) {
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
  const gateway = new Gateway({ model, invoker, lookupCredentials: store.lookup, roles, throttling: false, maxBodyBytes: options.maxBodyBytes, integrationTimeoutMs: options.integrationTimeoutMs, warn: (l) => warnings.push(l) });
  server.on("request", gateway.listener);
  const apiId = (name: string) => [...model.apis.values()].find((a) => a.name === name)!.id;
  return {
    model,
    credentials,
    events,
    fake,
    warnings,
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
