import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { expect } from "chai";
import { decodeJwt, exportJWK, generateKeyPair, SignJWT } from "jose";
import { LocalCredentialStore } from "../../../local/credentials/local-credentials.js";
import { claimDate, deliveredClaims } from "../../../local/gateway/cognito-authorizer.js";
import { Gateway, type FunctionInvoker } from "../../../local/gateway/gateway.js";
import { LocalIssuer } from "../../../local/issuer/local-issuer.js";
import { SEEDED_POOL_USERS } from "../../../local/issuer/local-users.js";
import { loadStack } from "../../../local/loader/load-stack.js";
import type { StackModel } from "../../../local/model.js";
import { send, type TestResponse } from "./fixtures/http-client.js";
import { writeStackDir } from "./fixtures/mini-stack.js";
import { userPoolStackJson } from "./fixtures/user-pool-stack.js";

const ADA = SEEDED_POOL_USERS[0]!;

/** The gateway over the user-pool stack, with the local issuer, and a fake function that records events. */
async function startGateway() {
  const stack = writeStackDir(userPoolStackJson());
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const model: StackModel = loadStack({ stackDir: stack.dir, accountId: "123456789012", region: "eu-west-1", endpoint });
  const issuer = await LocalIssuer.open(model.userPools.values(), endpoint);
  const events: any[] = [];
  const invoker: FunctionInvoker = {
    invoke: async (_name, event, context) => {
      events.push({ event, context });
      return { kind: "result", payload: { statusCode: 200, body: "{}" } };
    },
  };
  const log: string[] = [];
  const gateway = new Gateway({ model, invoker, issuer, lookupCredentials: new LocalCredentialStore().lookup, roles: model.roles, throttling: false, accessLog: (l) => log.push(l) });
  server.on("request", gateway.listener);
  const pubId = [...model.apis.values()].find((a) => a.name === "pub-api")!.id;
  const pool = (name: string) => [...model.userPools.values()].find((p) => p.name === name)!;
  const client = (poolName: string, clientName: string) => [...pool(poolName).clients.values()].find((c) => c.name === clientName)!;
  return {
    model,
    issuer,
    events,
    log,
    endpoint,
    pool,
    client,
    url: (path: string) => `${endpoint}/restapis/${pubId}/prod${path}`,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      stack.cleanup();
    },
  };
}

describe("COGNITO_USER_POOLS authorizer (offline gateway with the local issuer)", () => {
  let g: Awaited<ReturnType<typeof startGateway>>;
  before(async () => {
    g = await startGateway();
  });
  after(() => g.close());
  beforeEach(() => {
    g.events.length = 0;
  });

  const idToken = (options: { email?: string; clientName?: string; poolName?: string; expiresInSeconds?: number } = {}) =>
    g.issuer.mint({
      email: options.email ?? ADA.email,
      poolId: g.pool(options.poolName ?? "users").id,
      clientId: g.client(options.poolName ?? "users", options.clientName ?? (options.poolName === "others" ? "other-web" : "web")).id,
      expiresInSeconds: options.expiresInSeconds,
    });
  const get = (path: string, token?: string) => send(g.url(path), { headers: token === undefined ? {} : { Authorization: token } });

  function expectUnauthorized(res: TestResponse, message = "Unauthorized"): void {
    expect(res.status, res.text).to.equal(401);
    expect(res.headers["x-amzn-errortype"]).to.equal("UnauthorizedException");
    expect(res.json()).to.deep.equal({ message });
    expect(g.events, "the function must not run").to.have.length(0);
  }

  describe("refusals: 401 UnauthorizedException, as API Gateway answers them", () => {
    it("refuses a request without the Authorization header", async () => {
      expectUnauthorized(await get("/me"));
    });

    it("refuses an empty header and a value that is not a JWT", async () => {
      expectUnauthorized(await get("/me", " "));
      expectUnauthorized(await get("/me", "not-a-jwt"));
    });

    it("refuses a 'Bearer ' prefixed token: the identity source is the whole header value", async () => {
      expectUnauthorized(await get("/me", `Bearer ${await idToken()}`));
    });

    it("refuses an expired token with its own message", async () => {
      expectUnauthorized(await get("/me", await idToken({ expiresInSeconds: -1 })), "The incoming token has expired");
    });

    it("refuses a token whose signature was made by another key, even with the pool's iss and kid", async () => {
      const genuine = decodeJwt(await idToken());
      const { privateKey } = await generateKeyPair("RS256");
      const kid = JSON.parse(Buffer.from((await idToken()).split(".")[0]!, "base64url").toString()).kid;
      const forged = await new SignJWT(genuine).setProtectedHeader({ alg: "RS256", kid }).sign(privateKey);
      expectUnauthorized(await get("/me", forged));
    });

    it("refuses a token with a tampered payload", async () => {
      const [header, , signature] = (await idToken()).split(".");
      const payload = Buffer.from(JSON.stringify({ ...decodeJwt(await idToken()), sub: SEEDED_POOL_USERS[1]!.sub })).toString("base64url");
      expectUnauthorized(await get("/me", `${header}.${payload}.${signature}`));
    });

    it("refuses an unsigned (alg none) token", async () => {
      const header = Buffer.from(JSON.stringify({ alg: "none" })).toString("base64url");
      const payload = Buffer.from(JSON.stringify(decodeJwt(await idToken()))).toString("base64url");
      expectUnauthorized(await get("/me", `${header}.${payload}.`));
    });

    it("refuses a token of another pool of the same stack", async () => {
      expectUnauthorized(await get("/me", await idToken({ poolName: "others" })));
    });

    it("refuses a token of a pool outside the stack, signed by that pool's own key", async () => {
      const { privateKey, publicKey } = await generateKeyPair("RS256");
      const foreign = await new SignJWT({ ...decodeJwt(await idToken()), iss: "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Foreign01" })
        .setProtectedHeader({ alg: "RS256", kid: (await exportJWK(publicKey)).n!.slice(0, 8) })
        .sign(privateKey);
      expectUnauthorized(await get("/me", foreign));
    });

    it("refuses an ID token of another app client of the pool when the authorizer names its clients", async () => {
      expectUnauthorized(await get("/me", await idToken({ clientName: "mobile" })));
    });

    it("refuses an access token on a method without scopes (it takes ID tokens)", async () => {
      const access = await g.issuer.mint({ email: ADA.email, use: "access", poolId: g.pool("users").id, clientId: g.client("users", "web").id });
      expectUnauthorized(await get("/me", access));
    });

    it("refuses an ID token on a method with scopes, and an access token without the scope", async () => {
      expectUnauthorized(await get("/scoped", await idToken()));
      const unscoped = await g.issuer.mint({ email: ADA.email, use: "access", poolId: g.pool("users").id, clientId: g.client("users", "web").id });
      expectUnauthorized(await get("/scoped", unscoped));
    });

    it("logs why a request was refused, never the token", async () => {
      const token = await idToken({ expiresInSeconds: -1 });
      await get("/me", token);
      const line = g.log.at(-1)!;
      expect(line).to.match(/ 401 - .*\(the token has expired\)$/);
      expect(line).to.not.include(token.split(".")[2]!);
    });
  });

  describe("accepted tokens", () => {
    it("passes an ID token of the named client and delivers its claims as strings, as API Gateway does", async () => {
      const token = await idToken();
      const res = await get("/me", token);
      expect(res.status, res.text).to.equal(200);
      const payload = decodeJwt(token);
      const claims = g.events[0].event.requestContext.authorizer.claims;
      expect(claims).to.include({ sub: ADA.sub, email: ADA.email, token_use: "id", email_verified: "true", aud: g.client("users", "web").id, iss: g.pool("users").issuer });
      expect(claims.auth_time).to.equal(String(payload.auth_time));
      expect(claims.exp).to.equal(claimDate(payload.exp!));
      expect(claims.exp).to.match(/^(Sun|Mon|Tue|Wed|Thu|Fri|Sat) [A-Z][a-z]{2} \d{2} \d{2}:\d{2}:\d{2} UTC \d{4}$/);
      expect(Object.values(claims).every((v) => typeof v === "string")).to.equal(true);
      expect(g.log.at(-1)).to.include(` 200 cognito:${ADA.sub} `);
    });

    it("passes an access token holding one of the method's scopes, from any client when the authorizer names none", async () => {
      const access = await g.issuer.mint({ email: "grace@example.com", use: "access", scopes: ["openid", "api/read"], poolId: g.pool("users").id, clientId: g.client("users", "mobile").id });
      const res = await get("/scoped", access);
      expect(res.status, res.text).to.equal(200);
      expect(g.events[0].event.requestContext.authorizer.claims).to.include({ token_use: "access", scope: "openid api/read", client_id: g.client("users", "mobile").id });
    });

    it("gives methods without an authorizer no claims", async () => {
      await get("/hello", await idToken());
      expect(g.events[0].event.requestContext.authorizer).to.equal(null);
    });
  });

  describe("the pool's published keys", () => {
    it("serves each pool's JWKS at /cognito-idp/<pool id>/.well-known/jwks.json, public parts only", async () => {
      const pool = g.pool("users");
      const res = await send(`${g.endpoint}/cognito-idp/${pool.id}/.well-known/jwks.json`);
      expect(res.status).to.equal(200);
      const [key, ...more] = res.json().keys;
      expect(more).to.have.length(0);
      expect(key).to.include({ kty: "RSA", alg: "RS256", use: "sig" });
      expect(Object.keys(key).sort()).to.deep.equal(["alg", "e", "kid", "kty", "n", "use"]);
      expect(pool.issuer).to.equal(`https://cognito-idp.eu-west-1.amazonaws.com/${pool.id}`);
    });

    it("answers 404 for a pool that is not in the stack", async () => {
      expect((await send(`${g.endpoint}/cognito-idp/eu-west-1_nothere00/.well-known/jwks.json`)).status).to.equal(404);
    });
  });

  describe("the trace id", () => {
    it("starts a trace per request, passes it to the function and logs it", async () => {
      await get("/me", await idToken());
      const { event, context } = g.events[0];
      const root = /^Root=(1-[0-9a-f]{8}-[0-9a-f]{24});Parent=[0-9a-f]{16};Sampled=1$/.exec(context.traceHeader)?.[1];
      expect(root, context.traceHeader).to.be.a("string");
      expect(event.headers["X-Amzn-Trace-Id"]).to.equal(`Root=${root}`);
      expect(g.log.at(-1)).to.include(` trace=${root}`);
    });

    it("continues the caller's trace when the request carries one", async () => {
      const root = "1-5759e988-bd862e3fe1be46a994272793";
      await send(g.url("/hello"), { headers: { "X-Amzn-Trace-Id": `Root=${root};Parent=53995c3f42cd8ad8;Sampled=1` } });
      expect(g.events[0].context.traceHeader).to.match(new RegExp(`^Root=${root};`));
      expect(g.log.at(-1)).to.include(` trace=${root}`);
    });

    it("ignores a malformed trace header and starts a new trace", async () => {
      await send(g.url("/hello"), { headers: { "X-Amzn-Trace-Id": "Root=evil;Sampled=1" } });
      expect(g.events[0].context.traceHeader).to.match(/^Root=1-[0-9a-f]{8}-[0-9a-f]{24};/);
    });
  });
});

describe("claims delivery", () => {
  it("renders exp and iat as UTC dates, other numbers and booleans as text", () => {
    expect(deliveredClaims({ exp: 1714569022, iat: 1714565422, auth_time: 1714565422, email_verified: true, sub: "s" })).to.deep.equal({
      exp: "Wed May 01 13:10:22 UTC 2024",
      iat: "Wed May 01 12:10:22 UTC 2024",
      auth_time: "1714565422",
      email_verified: "true",
      sub: "s",
    });
  });
});
