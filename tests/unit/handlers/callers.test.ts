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
const signup: Handler = (await import("../../../lambdas/signup/handler.js")).handler;

const ada = { id: "u-1001", name: "Ada Lovelace", email: "ada@example.com" };
const profileEvent = (id: string) => proxyEvent({ method: "GET", resource: "/users/{id}/profile", pathParameters: { id } });
const signupEvent = (body: unknown) => proxyEvent({ method: "POST", resource: "/signup", body: typeof body === "string" ? body : JSON.stringify(body) });

function expectJsonError(res: APIGatewayProxyResult, status: number, message: RegExp): void {
  expect(res.statusCode).to.equal(status);
  const body = JSON.parse(res.body);
  expect(Object.keys(body)).to.deep.equal(["message"]);
  expect(body.message).to.match(message);
  expect(res.body).not.to.match(/AccessDenied|arn:aws|at .*\.js|stack/i);
}

describe("caller handlers (profile, signup) against a stand-in users API", () => {
  beforeEach(() => {
    upstream.seen.length = 0;
  });
  after(async () => {
    await upstream.close();
    for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
    Object.assign(process.env, saved);
  });

  describe("GET /users/{id}/profile", () => {
    it("returns only public fields of the user the signed call read", async () => {
      respond = (_req, res) => sendJson(res, 200, ada);
      const res = await profile(profileEvent("u-1001"));
      expect(res.statusCode).to.equal(200);
      expect(JSON.parse(res.body)).to.deep.equal({ id: "u-1001", name: "Ada Lovelace" });
      expect(upstream.seen).to.have.length(1);
      const [call] = upstream.seen;
      expect(call!.method).to.equal("GET");
      expect(call!.url).to.equal("/v1/users/u-1001");
      expect(call!.headers.authorization).to.match(/^AWS4-HMAC-SHA256 Credential=AKIDCALLERTEST\/\d{8}\/us-east-1\/execute-api\/aws4_request, SignedHeaders=[a-z0-9;-]*host[a-z0-9;-]*, Signature=[0-9a-f]{64}$/);
      expect(call!.headers["x-amz-security-token"]).to.equal("caller-test-token");
    });

    it("rejects a malformed id with 400 without calling the users API", async () => {
      const res = await profile(profileEvent("../admin"));
      expectJsonError(res, 400, /^user id must look like/);
      expect(upstream.seen).to.have.length(0);
    });

    it("maps the users API's 404 to 404", async () => {
      respond = (_req, res) => sendJson(res, 404, { message: "user not found" });
      expectJsonError(await profile(profileEvent("u-404")), 404, /^user not found$/);
    });

    it("turns a 403 from the users API into a 502 that does not leak it", async () => {
      respond = (_req, res) =>
        sendJson(res, 403, { Message: "User: arn:aws:sts::1:assumed-role/x/y is not authorized" }, { "x-amzn-ErrorType": "AccessDeniedException" });
      expectJsonError(await profile(profileEvent("u-1001")), 502, /^users service is unavailable$/);
    });

    it("retries a 5xx, then answers 502", async function () {
      this.timeout(15000);
      respond = (_req, res) => sendJson(res, 500, { message: "boom" });
      expectJsonError(await profile(profileEvent("u-1001")), 502, /^users service is unavailable$/);
      expect(upstream.seen.length).to.be.greaterThan(1);
    });

    it("answers 504 when the users API does not answer in time", async function () {
      this.timeout(15000);
      respond = () => {}; // never answers
      expectJsonError(await profile(profileEvent("u-1001")), 504, /did not answer in time$/);
    });

    it("answers 502 when the users API returns something that is not JSON", async () => {
      respond = (_req, res) => {
        res.writeHead(200, { "content-type": "text/html" });
        res.end("<html>");
      };
      expectJsonError(await profile(profileEvent("u-1001")), 502, /unavailable/);
    });
  });

  describe("POST /signup", () => {
    it("creates the user with a signed POST and returns public fields", async () => {
      respond = (req, res) => sendJson(res, 201, { id: "u-abc", ...JSON.parse(req.body) });
      const res = await signup(signupEvent({ name: "Grace Hopper", email: "grace@example.com" }));
      expect(res.statusCode).to.equal(201);
      expect(JSON.parse(res.body)).to.deep.equal({ id: "u-abc", name: "Grace Hopper" });
      const [call] = upstream.seen;
      expect(call!.method).to.equal("POST");
      expect(call!.url).to.equal("/v1/users");
      expect(JSON.parse(call!.body)).to.deep.equal({ name: "Grace Hopper", email: "grace@example.com" });
      expect(call!.headers.authorization).to.match(/^AWS4-HMAC-SHA256 /);
    });

    for (const [label, body] of [["invalid JSON", "{"], ["a bad email", { name: "x", email: "nope" }]] as const) {
      it(`rejects ${label} with 400 without calling the users API`, async () => {
        expectJsonError(await signup(signupEvent(body)), 400, /./);
        expect(upstream.seen).to.have.length(0);
      });
    }

    it("passes a chosen id through, and the users service's 409 for a taken id back as 409", async () => {
      respond = (_req, res) => sendJson(res, 409, { message: "user u-grace already exists" });
      expectJsonError(await signup(signupEvent({ id: "u-grace", name: "Grace", email: "grace@example.com" })), 409, /^user u-grace already exists$/);
      expect(JSON.parse(upstream.seen[0]!.body)).to.deep.equal({ id: "u-grace", name: "Grace", email: "grace@example.com" });
    });

    it("does not retry a failed POST and answers 502", async () => {
      respond = (_req, res) => sendJson(res, 503, { message: "unavailable" });
      expectJsonError(await signup(signupEvent({ name: "A", email: "a@example.com" })), 502, /unavailable$/);
      expect(upstream.seen).to.have.length(1);
    });
  });
});
