import type { ServerResponse } from "node:http";
import { expect } from "chai";
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from "aws-lambda";
import { proxyEvent } from "./proxy-event.js";
import { sendJson, startUpstream, type SeenRequest } from "./upstream-stub.js";

type Handler = (event: APIGatewayProxyEvent) => Promise<APIGatewayProxyResult>;

// The handler reads its settings when it loads, as in Lambda: set them first, then import.
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
const me: Handler = (await import("../../../lambdas/me/handler.js")).handler;

const ADA = { id: "8f6d2c1e-3a4b-4c5d-9e6f-a1d0a1d01001", name: "Ada Lovelace", email: "ada@example.com" };
const ALAN_ID = "2b7e4f90-5c6d-4e8f-a1b2-a1a0a1a01002";

/** A /me event as API Gateway delivers it behind the user pool authorizer (claims as strings). */
function meEvent(method: "GET" | "PUT", init: { body?: string; claims?: Record<string, string> | null; pathParameters?: Record<string, string> } = {}): APIGatewayProxyEvent {
  const event = proxyEvent({ method, resource: "/me", body: init.body, pathParameters: init.pathParameters });
  const claims = init.claims === undefined ? { sub: ADA.id, email: ADA.email, token_use: "id", email_verified: "true" } : init.claims;
  return { ...event, requestContext: { ...event.requestContext, authorizer: claims === null ? null : { claims } } } as APIGatewayProxyEvent;
}

describe("me handler (GET /me, PUT /me) against a stand-in users API", () => {
  beforeEach(() => {
    upstream.seen.length = 0;
  });
  after(async () => {
    await upstream.close();
    for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
    Object.assign(process.env, saved);
  });

  it("GET reads the record of the token's sub, naming the end user in the documented header", async () => {
    respond = (_req, res) => sendJson(res, 200, ADA);
    const res = await me(meEvent("GET"));
    expect(res.statusCode).to.equal(200);
    expect(JSON.parse(res.body)).to.deep.equal(ADA);
    const [call] = upstream.seen;
    expect([call!.method, call!.url]).to.deep.equal(["GET", `/v1/users/${ADA.id}`]);
    expect(call!.headers["x-end-user-id"]).to.equal(ADA.id);
    expect(call!.headers.authorization).to.match(/^AWS4-HMAC-SHA256 /);
  });

  it("GET answers 404 with what to do when the user has no record yet", async () => {
    respond = (_req, res) => sendJson(res, 404, { message: "user not found" });
    const res = await me(meEvent("GET"));
    expect(res.statusCode).to.equal(404);
    expect(JSON.parse(res.body).message).to.match(/PUT \/me/);
  });

  it("PUT writes the token's sub with the token's email and the body's name only", async () => {
    respond = (req, res) => sendJson(res, 200, { id: ADA.id, ...JSON.parse(req.body) });
    const res = await me(meEvent("PUT", { body: JSON.stringify({ name: "  Countess Ada " }) }));
    expect(res.statusCode, res.body).to.equal(200);
    const [call] = upstream.seen;
    expect([call!.method, call!.url]).to.deep.equal(["PUT", `/v1/users/${ADA.id}`]);
    expect(JSON.parse(call!.body)).to.deep.equal({ name: "Countess Ada", email: ADA.email });
    expect(call!.headers["x-end-user-id"]).to.equal(ADA.id);
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
    respond = (_req, res) => sendJson(res, 200, ADA);
    const event = meEvent("GET", { pathParameters: { id: ALAN_ID } });
    event.headers = { "x-end-user-id": ALAN_ID };
    await me(event);
    expect(upstream.seen[0]!.url).to.equal(`/v1/users/${ADA.id}`);
    expect(upstream.seen[0]!.headers["x-end-user-id"]).to.equal(ADA.id);
  });

  it("answers 401 without calling the users API when the request carries no verified claims", async () => {
    for (const claims of [null, {}, { sub: "" }]) {
      const res = await me(meEvent("GET", { claims: claims as Record<string, string> | null }));
      expect(res.statusCode).to.equal(401);
    }
    expect(upstream.seen).to.have.length(0);
  });

  it("answers 500, not a call, for a sub that is not a users service id", async () => {
    const res = await me(meEvent("GET", { claims: { sub: "../admin", email: ADA.email } }));
    expect(res.statusCode).to.equal(500);
    expect(upstream.seen).to.have.length(0);
  });

  it("PUT needs the email an ID token carries", async () => {
    const res = await me(meEvent("PUT", { body: JSON.stringify({ name: "Ada" }), claims: { sub: ADA.id, token_use: "access" } }));
    expect(res.statusCode).to.equal(400);
    expect(upstream.seen).to.have.length(0);
  });

  it("turns a refusal of the internal call into a 502 that does not leak it", async () => {
    respond = (_req, res) => sendJson(res, 403, { Message: "User: arn:aws:sts::1:assumed-role/x/y is not authorized" }, { "x-amzn-ErrorType": "AccessDeniedException" });
    const res = await me(meEvent("PUT", { body: JSON.stringify({ name: "Ada" }) }));
    expect(res.statusCode).to.equal(502);
    expect(res.body).to.not.match(/arn:aws|AccessDenied/);
  });
});
