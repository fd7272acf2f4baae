import { expect } from "chai";
import { otherPoolToken, type E2eUser, type E2eUserPool } from "./end-users.js";
import { send, type Reply } from "./signed-request.js";
import { openTargetOrSkip, type E2eTarget } from "./target.js";

function expectUnauthorized(reply: Reply, message = "Unauthorized"): void {
  expect(reply.status, JSON.stringify(reply.json)).to.equal(401);
  expect(reply.json).to.deep.equal({ message });
}

describe("end to end: signed-in users at the public door, their identity through the hop", function () {
  this.timeout(120000);
  let target: E2eTarget;
  let pool: E2eUserPool;
  let ada: E2eUser;
  let bob: E2eUser;
  let carol: E2eUser;

  before(async function () {
    target = await openTargetOrSkip(this);
    if ("skip" in target.userPool) {
      console.log(`      skipped: ${target.userPool.skip}`);
      this.skip();
    }
    pool = target.userPool as E2eUserPool;
    [ada, bob, carol] = await Promise.all([pool.signIn("ada"), pool.signIn("bob"), pool.signIn("carol")]);
  });
  after(async () => target?.close());

  const url = (path: string) => `${target.publicApiUrl}${path}`;
  const as = (user: E2eUser | string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
    send({
      method,
      url: url(path),
      headers: { authorization: typeof user === "string" ? user : user.idToken, ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });

  describe("the door: 401 before any function runs", () => {
    it("refuses GET /me without a token", async () => {
      expectUnauthorized(await send({ method: "GET", url: url("/me") }));
    });

    it("refuses every signed-in route without a token", async () => {
      expectUnauthorized(await send({ method: "PUT", url: url("/me"), body: JSON.stringify({ name: "Nobody" }) }));
      expectUnauthorized(await send({ method: "GET", url: url(`/users/${ada.sub}/profile`) }));
    });

    it("refuses an expired token", async function () {
      const expired = await pool.expiredIdToken(ada);
      if (typeof expired !== "string") {
        console.log(`      skipped: ${expired.skip}`);
        this.skip();
      }
      expectUnauthorized(await as(expired as string, "GET", "/me"), "The incoming token has expired");
    });

    it("refuses a token of another user pool", async () => {
      expectUnauthorized(await as(await otherPoolToken(ada, pool.issuer), "GET", "/me"));
    });

    it("refuses a token whose payload was changed to another user", async () => {
      const [header, payload, signature] = ada.idToken.split(".");
      const claims = JSON.parse(Buffer.from(payload!, "base64url").toString());
      const tampered = Buffer.from(JSON.stringify({ ...claims, sub: bob.sub })).toString("base64url");
      expectUnauthorized(await as(`${header}.${tampered}.${signature}`, "GET", "/me"));
    });
  });

  describe("the caller's own record", () => {
    it("has none before the first PUT /me", async () => {
      const reply = await as(ada, "GET", "/me");
      expect(reply.status, JSON.stringify(reply.json)).to.equal(404);
    });

    it("PUT /me creates it from the token's sub and email, then GET /me returns it", async () => {
      const put = await as(ada, "PUT", "/me", { name: "Ada Lovelace" });
      expect(put.status, JSON.stringify(put.json)).to.equal(200);
      expect(put.json).to.deep.equal({ id: ada.sub, name: "Ada Lovelace", email: ada.email });
      const got = await as(ada, "GET", "/me");
      expect(got.status).to.equal(200);
      expect(got.json).to.deep.equal({ id: ada.sub, name: "Ada Lovelace", email: ada.email });
    });

    it("PUT /me again updates it", async () => {
      expect((await as(ada, "PUT", "/me", { name: "Countess of Lovelace" })).status).to.equal(200);
      expect((await as(ada, "GET", "/me")).json).to.deep.equal({ id: ada.sub, name: "Countess of Lovelace", email: ada.email });
    });

    it("GET /me returns only the caller's data", async () => {
      expect((await as(bob, "PUT", "/me", { name: "Bob" })).status).to.equal(200);
      const asAda = await as(ada, "GET", "/me");
      const asBob = await as(bob, "GET", "/me");
      expect(asAda.json.id).to.equal(ada.sub);
      expect(asBob.json).to.deep.equal({ id: bob.sub, name: "Bob", email: bob.email });
      expect(JSON.stringify(asAda.json)).to.not.include(bob.email);
    });

    it("GET /users/{id}/profile shows another signed-in user public fields only", async () => {
      const reply = await as(bob, "GET", `/users/${ada.sub}/profile`);
      expect(reply.status, JSON.stringify(reply.json)).to.equal(200);
      expect(reply.json).to.deep.equal({ id: ada.sub, name: "Countess of Lovelace" });
    });
  });

  describe("creating only if absent: PUT /me with If-None-Match: *", () => {
    const createOnly = { "If-None-Match": "*" };

    it("creates the caller's record: 201", async () => {
      const reply = await as(carol, "PUT", "/me", { name: "Carol Shaw" }, createOnly);
      expect(reply.status, JSON.stringify(reply.json)).to.equal(201);
      expect(reply.json).to.deep.equal({ id: carol.sub, name: "Carol Shaw", email: carol.email });
    });

    it("answers a duplicate create 409, and the record stays as it was", async () => {
      for (const name of ["Carol Shaw", "Mallory"]) {
        const reply = await as(carol, "PUT", "/me", { name }, createOnly);
        expect(reply.status, JSON.stringify(reply.json)).to.equal(409);
        expect(reply.json).to.deep.equal({ message: `user ${carol.sub} already exists` });
      }
      expect((await as(carol, "GET", "/me")).json).to.deep.equal({ id: carol.sub, name: "Carol Shaw", email: carol.email });
    });

    it("refuses any other precondition with 400, and changes nothing", async () => {
      for (const headers of [{ "If-None-Match": '"v1"' }, { "If-Match": "*" }] as Array<Record<string, string>>) {
        const reply = await as(carol, "PUT", "/me", { name: "Mallory" }, headers);
        expect(reply.status, JSON.stringify(headers)).to.equal(400);
      }
      expect((await as(carol, "GET", "/me")).json.name).to.equal("Carol Shaw");
    });

    it("without the header, PUT /me still replaces the record", async () => {
      expect((await as(carol, "PUT", "/me", { name: "Carol Shaw Hess" })).status).to.equal(200);
      expect((await as(carol, "GET", "/me")).json.name).to.equal("Carol Shaw Hess");
    });
  });

  describe("no route lets a user write another user's record", () => {
    it("refuses a PUT /me body that names another id or email, and changes nothing", async () => {
      for (const body of [{ name: "Mallory", id: ada.sub }, { name: "Mallory", email: ada.email }]) {
        const reply = await as(bob, "PUT", "/me", body);
        expect(reply.status, JSON.stringify(body)).to.equal(400);
      }
      expect((await as(ada, "GET", "/me")).json).to.deep.equal({ id: ada.sub, name: "Countess of Lovelace", email: ada.email });
      expect((await as(bob, "GET", "/me")).json.name).to.equal("Bob");
    });

    it("has no public write route by id, nor the old sign-up route", async () => {
      for (const [method, path] of [["PUT", `/users/${ada.sub}`], ["PUT", `/users/${ada.sub}/profile`], ["POST", `/users/${ada.sub}/profile`], ["POST", "/signup"], ["PUT", `/me/${ada.sub}`]] as const) {
        const reply = await as(bob, method, path, { name: "Mallory" });
        expect(reply.status, `${method} ${path}`).to.equal(404);
      }
      expect((await as(ada, "GET", "/me")).json.name).to.equal("Countess of Lovelace");
    });

    it("the internal write route refuses a role that was not granted it", async () => {
      const reply = await send({
        method: "PUT",
        url: `${target.usersApiUrl}/users/${ada.sub}`,
        credentials: target.granted.credentials,
        region: target.region,
        body: JSON.stringify({ name: "Mallory", email: "mallory@example.com" }),
      });
      expect(reply.status).to.equal(403);
      expect(reply.errorType).to.equal("AccessDeniedException");
    });
  });

  describe("tracing", () => {
    it("logs one trace id on the public request and on the internal call it made (offline)", async function () {
      if (!target.accessLog) {
        console.log(`      skipped: target ${target.name} has no access log to read here (X-Ray shows the trace)`);
        this.skip();
      }
      const before = target.accessLog!().length;
      expect((await as(ada, "GET", "/me")).status).to.equal(200);
      const lines = target.accessLog!().slice(before).filter((line) => / trace=1-[0-9a-f]{8}-[0-9a-f]{24}/.test(line));
      const publicLine = lines.find((line) => / GET \/restapis\/[a-z0-9]+\/v1\/me 200 cognito:/.test(line));
      const internalLine = lines.find((line) => new RegExp(` GET /restapis/[a-z0-9]+/v1/users/${ada.sub} 200 arn:aws:sts::`).test(line));
      expect(publicLine, lines.join("\n")).to.be.a("string");
      expect(internalLine, lines.join("\n")).to.be.a("string");
      const traceOf = (line: string) => / trace=(\S+)/.exec(line)![1];
      expect(traceOf(internalLine!)).to.equal(traceOf(publicLine!));
    });
  });
});
