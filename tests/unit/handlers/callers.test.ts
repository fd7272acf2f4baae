import type { ServerResponse } from "node:http";
import { expect } from "chai";
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from "aws-lambda";
import { proxyEvent } from "./proxy-event.js";
import { sendJson, startUpstream, type SeenRequest } from "./upstream-stub.js";

type Handler = (event: APIGatewayProxyEvent) => Promise<APIGatewayProxyResult>;

// The callers read their settings when they load, as in Lambda: set them first, then import.
const saved = { ...process.env };
let respond: (req: SeenRequest, res: ServerResponse) => void = () => {};
const upstream = await startUpstream((req, res) => respond(req, res));
Object.assign(process.env, {
  USERS_API_URL: upstream.url,
  USERS_API_TIMEOUT_MS: "300",
  AWS_REGION: "us-east-1",
  AWS_ACCESS_KEY_ID: "AKIDCALLERTEST",
  AWS_SECRET_ACCESS_KEY: "caller-test-secret",
  AWS_SESSION_TOKEN: "caller-test-token",
});
const profile: Handler = (await import("../../../lambdas/profile/handler.js")).handler;
const me: Handler = (await import("../../../lambdas/me/handler.js")).handler;
const orders: Handler = (await import("../../../lambdas/orders/handler.js")).handler;

const ada = { id: "8f6d2c1e-3a4b-4c5d-9e6f-a1d0a1d01001", name: "Ada Lovelace", email: "ada@example.com" };
const profileEvent = (id: string) => proxyEvent({ method: "GET", resource: "/users/{id}/profile", pathParameters: { id } });

function expectJsonError(res: APIGatewayProxyResult, status: number, message: RegExp): void {
  expect(res.statusCode).to.equal(status);
  const body = JSON.parse(res.body);
  expect(Object.keys(body)).to.deep.equal(["message"]);
  expect(body.message).to.match(message);
  expect(res.body).not.to.match(/AccessDenied|arn:aws|at .*\.js|stack/i);
}

// Root hook of this file's suites: the stand-in and the environment outlive every caller suite.
after(async () => {
  await upstream.close();
  for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
  Object.assign(process.env, saved);
});

describe("profile handler (GET /users/{id}/profile) against a stand-in users API", () => {
  beforeEach(() => {
    upstream.seen.length = 0;
  });

  describe("GET /users/{id}/profile", () => {
    it("returns only public fields of the user the signed call read", async () => {
      respond = (_req, res) => sendJson(res, 200, ada);
      const res = await profile(profileEvent(ada.id));
      expect(res.statusCode).to.equal(200);
      expect(JSON.parse(res.body)).to.deep.equal({ id: ada.id, name: "Ada Lovelace" });
      expect(upstream.seen).to.have.length(1);
      const [call] = upstream.seen;
      expect(call!.method).to.equal("GET");
      expect(call!.url).to.equal(`/v1/users/${ada.id}`);
      expect(call!.headers.authorization).to.match(/^AWS4-HMAC-SHA256 Credential=AKIDCALLERTEST\/\d{8}\/us-east-1\/execute-api\/aws4_request, SignedHeaders=[a-z0-9;-]*host[a-z0-9;-]*, Signature=[0-9a-f]{64}$/);
      expect(call!.headers["x-amz-security-token"]).to.equal("caller-test-token");
    });

    it("rejects a malformed id with 400 without calling the users API", async () => {
      const res = await profile(profileEvent("../admin"));
      expectJsonError(res, 400, /^user id must be a user pool sub/);
      expect(upstream.seen).to.have.length(0);
    });

    it("maps the users API's 404 to 404", async () => {
      respond = (_req, res) => sendJson(res, 404, { message: "user not found" });
      expectJsonError(await profile(profileEvent("00000000-0000-4000-8000-000000000404")), 404, /^user not found$/);
    });

    it("turns a 403 from the users API into a 502 that does not leak it", async () => {
      respond = (_req, res) =>
        sendJson(res, 403, { Message: "User: arn:aws:sts::1:assumed-role/x/y is not authorized" }, { "x-amzn-ErrorType": "AccessDeniedException" });
      expectJsonError(await profile(profileEvent(ada.id)), 502, /^users service is unavailable$/);
    });

    it("retries a 5xx, then answers 502", async function () {
      this.timeout(15000);
      respond = (_req, res) => sendJson(res, 500, { message: "boom" });
      expectJsonError(await profile(profileEvent(ada.id)), 502, /^users service is unavailable$/);
      expect(upstream.seen.length).to.be.greaterThan(1);
    });

    it("answers 504 when the users API does not answer in time", async function () {
      this.timeout(15000);
      respond = () => {}; // never answers
      expectJsonError(await profile(profileEvent(ada.id)), 504, /did not answer in time$/);
    });

    it("answers 502 when the users API returns something that is not JSON", async () => {
      respond = (_req, res) => {
        res.writeHead(200, { "content-type": "text/html" });
        res.end("<html>");
      };
      expectJsonError(await profile(profileEvent(ada.id)), 502, /unavailable/);
    });
  });
});

const ALAN_ID = "2b7e4f90-5c6d-4e8f-a1b2-a1a0a1a01002";

/** A /me event as API Gateway delivers it behind the user pool authorizer (claims as strings). */
function meEvent(method: "GET" | "PUT", init: { body?: string; claims?: Record<string, string> | null; pathParameters?: Record<string, string>; headers?: Record<string, string> } = {}): APIGatewayProxyEvent {
  const event = proxyEvent({ method, resource: "/me", body: init.body, pathParameters: init.pathParameters, headers: init.headers });
  const claims = init.claims === undefined ? { sub: ada.id, email: ada.email, token_use: "id", email_verified: "true" } : init.claims;
  return { ...event, requestContext: { ...event.requestContext, authorizer: claims === null ? null : { claims } } } as APIGatewayProxyEvent;
}

describe("me handler (GET /me, PUT /me) against a stand-in users API", () => {
  beforeEach(() => {
    upstream.seen.length = 0;
  });

  it("GET reads the record of the token's sub, naming the end user in the documented header", async () => {
    respond = (_req, res) => sendJson(res, 200, ada);
    const res = await me(meEvent("GET"));
    expect(res.statusCode).to.equal(200);
    expect(JSON.parse(res.body)).to.deep.equal(ada);
    const [call] = upstream.seen;
    expect([call!.method, call!.url]).to.deep.equal(["GET", `/v1/users/${ada.id}`]);
    expect(call!.headers["x-end-user-id"]).to.equal(ada.id);
    expect(call!.headers.authorization).to.match(/^AWS4-HMAC-SHA256 /);
  });

  it("GET answers 404 with what to do when the user has no record yet", async () => {
    respond = (_req, res) => sendJson(res, 404, { message: "user not found" });
    const res = await me(meEvent("GET"));
    expect(res.statusCode).to.equal(404);
    expect(JSON.parse(res.body).message).to.match(/PUT \/me/);
  });

  it("PUT writes the token's sub with the token's email and the body's name only", async () => {
    respond = (req, res) => sendJson(res, 200, { id: ada.id, ...JSON.parse(req.body) });
    const res = await me(meEvent("PUT", { body: JSON.stringify({ name: "  Countess Ada " }) }));
    expect(res.statusCode, res.body).to.equal(200);
    const [call] = upstream.seen;
    expect([call!.method, call!.url]).to.deep.equal(["PUT", `/v1/users/${ada.id}`]);
    expect(JSON.parse(call!.body)).to.deep.equal({ name: "Countess Ada", email: ada.email });
    expect(call!.headers["x-end-user-id"]).to.equal(ada.id);
  });

  it("PUT refuses a body naming an id, an email or anything but name, without calling the users API", async () => {
    for (const body of [{ name: "Eve", id: ALAN_ID }, { name: "Eve", email: "eve@example.com" }, { name: "Eve", admin: true }]) {
      const res = await me(meEvent("PUT", { body: JSON.stringify(body) }));
      expect(res.statusCode, JSON.stringify(body)).to.equal(400);
      expect(JSON.parse(res.body).message).to.match(/^only name can be set/);
    }
    expect(upstream.seen).to.have.length(0);
  });

  it("ignores path parameters and headers: only the verified claims say who the user is", async () => {
    respond = (_req, res) => sendJson(res, 200, ada);
    const event = meEvent("GET", { pathParameters: { id: ALAN_ID } });
    event.headers = { "x-end-user-id": ALAN_ID };
    await me(event);
    expect(upstream.seen[0]!.url).to.equal(`/v1/users/${ada.id}`);
    expect(upstream.seen[0]!.headers["x-end-user-id"]).to.equal(ada.id);
  });

  it("answers 401 without calling the users API when the request carries no verified claims", async () => {
    for (const claims of [null, {}, { sub: "" }]) {
      const res = await me(meEvent("GET", { claims: claims as Record<string, string> | null }));
      expect(res.statusCode).to.equal(401);
    }
    expect(upstream.seen).to.have.length(0);
  });

  it("answers 500, not a call, for a sub that is not a users service id", async () => {
    const res = await me(meEvent("GET", { claims: { sub: "../admin", email: ada.email } }));
    expect(res.statusCode).to.equal(500);
    expect(upstream.seen).to.have.length(0);
  });

  it("PUT needs the email an ID token carries", async () => {
    const res = await me(meEvent("PUT", { body: JSON.stringify({ name: "Ada" }), claims: { sub: ada.id, token_use: "access" } }));
    expect(res.statusCode).to.equal(400);
    expect(upstream.seen).to.have.length(0);
  });

  describe("PUT /me with If-None-Match: * (create my record only if it does not exist yet)", () => {
    const createMe = (name = "Ada", headers: Record<string, string> = { "If-None-Match": "*" }) => me(meEvent("PUT", { body: JSON.stringify({ name }), headers }));

    it("forwards the precondition on the signed internal PUT and answers 201 with the created record", async () => {
      respond = (req, res) => sendJson(res, 201, { id: ada.id, ...JSON.parse(req.body) });
      const res = await createMe();
      expect(res.statusCode, res.body).to.equal(201);
      expect(JSON.parse(res.body)).to.deep.equal({ id: ada.id, name: "Ada", email: ada.email });
      const [call] = upstream.seen;
      expect([call!.method, call!.url]).to.deep.equal(["PUT", `/v1/users/${ada.id}`]);
      expect(call!.headers["if-none-match"]).to.equal("*");
      expect(call!.headers.authorization).to.match(/SignedHeaders=[a-z0-9;-]*if-none-match[a-z0-9;-]*,/);
    });

    it("does not send the precondition on a plain PUT (create or replace)", async () => {
      respond = (req, res) => sendJson(res, 200, { id: ada.id, ...JSON.parse(req.body) });
      expect((await me(meEvent("PUT", { body: JSON.stringify({ name: "Ada" }) }))).statusCode).to.equal(200);
      expect(upstream.seen[0]!.headers).to.not.have.property("if-none-match");
    });

    it("maps the users service's 409 to 409 with its message, and nothing else of its body", async () => {
      respond = (_req, res) => sendJson(res, 409, { message: `user ${ada.id} already exists`, detail: "arn:aws:dynamodb:us-east-1:1:table/x" });
      const res = await createMe();
      expect(res.statusCode).to.equal(409);
      expect(JSON.parse(res.body)).to.deep.equal({ message: `user ${ada.id} already exists` });
    });

    it("does not retry a create (a retry after a lost answer would report a false conflict)", async () => {
      respond = (_req, res) => sendJson(res, 503, { message: "busy" });
      const original = console.error;
      console.error = () => {};
      try {
        expectJsonError(await createMe(), 502, /^users service is unavailable$/);
      } finally {
        console.error = original;
      }
      expect(upstream.seen).to.have.length(1);
    });

    it("turns a 409 to a plain PUT, which the users service never sends, into a 502", async () => {
      respond = (_req, res) => sendJson(res, 409, { message: "secret internal state" });
      const original = console.error;
      console.error = () => {};
      try {
        expectJsonError(await me(meEvent("PUT", { body: JSON.stringify({ name: "Ada" }) })), 502, /^users service is unavailable$/);
      } finally {
        console.error = original;
      }
    });

    const badPreconditions: Array<[string, Record<string, string>, RegExp]> = [
      ["an entity tag", { "If-None-Match": '"v1"' }, /^If-None-Match must be \* /],
      ["a weak entity tag", { "if-none-match": 'W/"v1"' }, /^If-None-Match must be \* /],
      ["a list with *", { "If-None-Match": '*, "v1"' }, /^If-None-Match must be \* /],
      ["If-Match: *", { "If-Match": "*" }, /^If-Match is not supported/],
      ["If-Match with If-None-Match: *", { "If-Match": '"v1"', "If-None-Match": "*" }, /^If-Match is not supported/],
    ];
    for (const [label, headers, message] of badPreconditions) {
      it(`refuses ${label} with 400 without calling the users API`, async () => {
        expectJsonError(await createMe("Ada", headers), 400, message);
        expect(upstream.seen).to.have.length(0);
      });
    }
  });

  it("turns a refusal of the internal call into a 502 that does not leak it", async () => {
    respond = (_req, res) => sendJson(res, 403, { Message: "User: arn:aws:sts::1:assumed-role/x/y is not authorized" }, { "x-amzn-ErrorType": "AccessDeniedException" });
    const res = await me(meEvent("PUT", { body: JSON.stringify({ name: "Ada" }) }));
    expect(res.statusCode).to.equal(502);
    expect(res.body).to.not.match(/arn:aws|AccessDenied/);
  });
});

describe("orders handler (POST /orders, another stack) against a stand-in users API", () => {
  beforeEach(() => {
    upstream.seen.length = 0;
  });
  /** A POST /orders event behind the user pool authorizer, as the orders API delivers it. */
  const orderEvent = (body: unknown, claims?: Record<string, string> | null) => {
    const event = meEvent("GET", { claims });
    return { ...event, httpMethod: "POST", resource: "/orders", path: "/orders", body: JSON.stringify(body) } as APIGatewayProxyEvent;
  };

  it("orders for the token's sub, read with a signed GET naming the end user", async () => {
    respond = (_req, res) => sendJson(res, 200, ada);
    const res = await orders(orderEvent({ item: " tea " }));
    expect(res.statusCode).to.equal(201);
    const order = JSON.parse(res.body);
    expect(order).to.include({ userId: ada.id, userName: ada.name, item: "tea" });
    expect(order.orderId).to.match(/^o-[0-9a-f-]{36}$/);
    const [call] = upstream.seen;
    expect([call!.method, call!.url, call!.headers["x-end-user-id"]]).to.deep.equal(["GET", `/v1/users/${ada.id}`, ada.id]);
    expect(call!.headers.authorization).to.match(/^AWS4-HMAC-SHA256 /);
  });

  it("ignores a user id in the body: only the verified claims say whose order it is", async () => {
    respond = (_req, res) => sendJson(res, 200, ada);
    await orders(orderEvent({ item: "tea", userId: ALAN_ID }));
    expect(upstream.seen.map((c) => c.url)).to.deep.equal([`/v1/users/${ada.id}`]);
  });

  it("answers 409 with what to do when the user has no record, 400 for a bad item, 401 without claims", async () => {
    respond = (_req, res) => sendJson(res, 404, { message: "user not found" });
    expectJsonError(await orders(orderEvent({ item: "tea" })), 409, /PUT \/me/);
    upstream.seen.length = 0;
    expectJsonError(await orders(orderEvent({ item: "" })), 400, /^item must be/);
    expect((await orders(orderEvent({ item: "tea" }, null))).statusCode).to.equal(401);
    expect(upstream.seen).to.have.length(0);
  });

  it("turns a refusal of the internal call into a 502 that does not leak it", async () => {
    respond = (_req, res) => sendJson(res, 403, { Message: "User: arn:aws:sts::123456789012:assumed-role/x is not authorized" });
    expectJsonError(await orders(orderEvent({ item: "tea" })), 502, /unavailable/);
  });
});
