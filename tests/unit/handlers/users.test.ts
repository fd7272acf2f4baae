import { expect } from "chai";
import type { User } from "../../../lambdas/users/contract.js";
import { createUsersHandler } from "../../../lambdas/users/handler.js";
import { UserExistsError, type UserStore } from "../../../lambdas/users/store.js";
import { proxyEvent } from "./proxy-event.js";

const callerArn = "arn:aws:sts::123456789012:assumed-role/sia-me-role/sia-me";
const ADA: User = { id: "8f6d2c1e-3a4b-4c5d-9e6f-a1d0a1d01001", name: "Ada Lovelace", email: "ada@example.com" };
const GRACE_ID = "0c9a3b7e-1f2d-4e5a-8b6c-7d8e9f0a1b2c";

/** The store contract in memory, so these cases test the HTTP handling alone. */
class MemoryUserStore implements UserStore {
  readonly users = new Map<string, User>([[ADA.id, ADA]]);
  failure?: Error;
  async get(id: string) {
    if (this.failure) throw this.failure;
    return this.users.get(id);
  }
  async put(user: User) {
    if (this.failure) throw this.failure;
    this.users.set(user.id, user);
  }
  async create(user: User) {
    if (this.failure) throw this.failure;
    if (this.users.has(user.id)) throw new UserExistsError(user.id);
    this.users.set(user.id, user);
  }
}

describe("users handler (internal users service)", () => {
  let store: MemoryUserStore;
  let handler: ReturnType<typeof createUsersHandler>;
  beforeEach(() => {
    store = new MemoryUserStore();
    handler = createUsersHandler(() => store);
  });
  const get = (id: string) => handler(proxyEvent({ method: "GET", resource: "/users/{id}", pathParameters: { id }, userArn: callerArn }));
  const put = (id: string, body: unknown, endUser: string | null = id, headers: Record<string, string> = {}, multiValueHeaders?: Record<string, string[]>) =>
    handler(
      proxyEvent({
        method: "PUT",
        resource: "/users/{id}",
        pathParameters: { id },
        userArn: callerArn,
        body: typeof body === "string" || body === null ? (body as string | null) : JSON.stringify(body),
        headers: { ...(endUser === null ? {} : { "X-End-User-Id": endUser }), ...headers },
        multiValueHeaders,
      }),
    );
  const createOnly = (id: string, body: unknown) => put(id, body, id, { "If-None-Match": "*" });

  it("returns a stored user and echoes the verified caller", async () => {
    const res = await get(ADA.id);
    expect(res.statusCode).to.equal(200);
    expect(JSON.parse(res.body)).to.deep.equal(ADA);
    expect(res.headers?.["x-caller-arn"]).to.equal(callerArn);
  });

  it("answers 404 with a JSON error for an unknown user", async () => {
    const res = await get("00000000-0000-4000-8000-000000000404");
    expect(res.statusCode).to.equal(404);
    expect(JSON.parse(res.body)).to.deep.equal({ message: "user not found" });
  });

  for (const id of ["u-1001", ADA.id.toUpperCase(), `${ADA.id};drop`, ADA.id.slice(1), "../admin"]) {
    it(`rejects the malformed id ${JSON.stringify(id)} with 400`, async () => {
      const res = await get(id);
      expect(res.statusCode).to.equal(400);
      expect(JSON.parse(res.body).message).to.match(/^user id must be a user pool sub/);
    });
  }

  it("PUT creates a record that can then be read, and replaces it on the next PUT", async () => {
    const created = await put(GRACE_ID, { name: " Grace Hopper ", email: "grace@example.com" });
    expect(created.statusCode).to.equal(200);
    expect(JSON.parse(created.body)).to.deep.equal({ id: GRACE_ID, name: "Grace Hopper", email: "grace@example.com" });
    await put(GRACE_ID, { name: "Rear Admiral Hopper", email: "grace@example.com" });
    expect(store.users.get(GRACE_ID)).to.deep.equal({ id: GRACE_ID, name: "Rear Admiral Hopper", email: "grace@example.com" });
    expect(JSON.parse((await get(GRACE_ID)).body).name).to.equal("Rear Admiral Hopper");
  });

  describe("PUT with If-None-Match: * (create only if absent)", () => {
    it("creates a record that did not exist and answers 201 with it", async () => {
      const res = await createOnly(GRACE_ID, { name: "Grace Hopper", email: "grace@example.com" });
      expect(res.statusCode, res.body).to.equal(201);
      expect(JSON.parse(res.body)).to.deep.equal({ id: GRACE_ID, name: "Grace Hopper", email: "grace@example.com" });
      expect(store.users.get(GRACE_ID)).to.deep.equal({ id: GRACE_ID, name: "Grace Hopper", email: "grace@example.com" });
    });

    it("answers 409 naming the user when the record exists, and leaves it unchanged", async () => {
      const res = await createOnly(ADA.id, { name: "Mallory", email: "mallory@example.com" });
      expect(res.statusCode).to.equal(409);
      expect(JSON.parse(res.body)).to.deep.equal({ message: `user ${ADA.id} already exists` });
      expect(store.users.get(ADA.id)).to.deep.equal(ADA);
    });

    it("reads the header name case-insensitively, and from multiValueHeaders as API Gateway sends it", async () => {
      expect((await put(ADA.id, { name: "A", email: ADA.email }, ADA.id, { "if-none-match": "*" })).statusCode).to.equal(409);
      expect((await put(ADA.id, { name: "A", email: ADA.email }, ADA.id, {}, { "IF-NONE-MATCH": [" * "] })).statusCode).to.equal(409);
    });

    it("answers 500 without details when the store fails a create", async () => {
      store.failure = Object.assign(new Error("throttled"), { name: "ProvisionedThroughputExceededException" });
      const original = console.error;
      console.error = () => {};
      try {
        const res = await createOnly(GRACE_ID, { name: "Grace", email: "grace@example.com" });
        expect(res.statusCode).to.equal(500);
        expect(JSON.parse(res.body)).to.deep.equal({ message: "internal error" });
      } finally {
        console.error = original;
      }
    });

    const badPreconditions: Array<[string, Record<string, string>, Record<string, string[]> | undefined, RegExp]> = [
      ["an entity tag in If-None-Match", { "If-None-Match": '"v1"' }, undefined, /^If-None-Match must be \* /],
      ["a list mixing * and a tag", { "If-None-Match": '*, "v1"' }, undefined, /^If-None-Match must be \* /],
      ["an empty If-None-Match", { "If-None-Match": "" }, undefined, /^If-None-Match must be \* /],
      ["If-None-Match sent twice", {}, { "If-None-Match": ["*", "*"] }, /^If-None-Match must be \* /],
      ["If-Match: *", { "If-Match": "*" }, undefined, /^If-Match is not supported/],
      ["If-Match with a tag beside If-None-Match: *", { "If-Match": '"v1"', "If-None-Match": "*" }, undefined, /^If-Match is not supported/],
    ];
    for (const [label, headers, multiValueHeaders, message] of badPreconditions) {
      it(`refuses ${label} with 400, and writes nothing`, async () => {
        for (const id of [ADA.id, GRACE_ID]) {
          const res = await put(id, { name: "Eve", email: "eve@example.com" }, id, headers, multiValueHeaders);
          expect(res.statusCode, `${id}: ${res.body}`).to.equal(400);
          expect(JSON.parse(res.body).message).to.match(message);
        }
        expect(store.users.get(ADA.id)).to.deep.equal(ADA);
        expect(store.users.has(GRACE_ID)).to.equal(false);
      });
    }
  });

  it("logs the end user the calling role acts for", async () => {
    const lines: string[] = [];
    const log = console.log;
    console.log = (line: string) => lines.push(line);
    try {
      await put(GRACE_ID, { name: "Grace", email: "grace@example.com" });
    } finally {
      console.log = log;
    }
    expect(JSON.parse(lines[0]!)).to.deep.include({ route: "PUT /users/{id}", caller: callerArn, endUser: GRACE_ID });
  });

  it("refuses a PUT whose end-user header does not name the user written, or is missing, and writes nothing", async () => {
    for (const endUser of [ADA.id, null]) {
      const res = await put(GRACE_ID, { name: "Eve", email: "eve@example.com" }, endUser);
      expect(res.statusCode).to.equal(400);
      expect(JSON.parse(res.body).message).to.equal("x-end-user-id must name the user being written");
    }
    expect(store.users.has(GRACE_ID)).to.equal(false);
  });

  it("answers 500 without details when the store fails, and logs the failure's name", async () => {
    store.failure = Object.assign(new Error("User: arn:… is not authorized to perform: dynamodb:GetItem"), { name: "AccessDeniedException" });
    const logged: string[] = [];
    const original = console.error;
    console.error = (line: string) => logged.push(line);
    try {
      for (const res of [await get(ADA.id), await put(ADA.id, { name: "Ada", email: ADA.email })]) {
        expect(res.statusCode).to.equal(500);
        expect(JSON.parse(res.body)).to.deep.equal({ message: "internal error" });
      }
    } finally {
      console.error = original;
    }
    expect(JSON.parse(logged[0]!)).to.include({ msg: "user store failed", error: "AccessDeniedException" });
  });

  const badBodies: Array<[string, unknown, RegExp]> = [
    ["no body", null, /required/],
    ["invalid JSON", "{name:", /not valid JSON/],
    ["a JSON array", "[]", /JSON object/],
    ["a missing name", { email: "a@b.co" }, /^name/],
    ["a bad email", { name: "A", email: "not-an-email" }, /^email/],
    ["an id in the body", { id: ADA.id, name: "A", email: "a@b.co" }, /^unknown fields: id/],
  ];
  for (const [label, body, message] of badBodies) {
    it(`rejects a PUT with ${label} with 400`, async () => {
      const res = await put(GRACE_ID, body);
      expect(res.statusCode).to.equal(400);
      expect(JSON.parse(res.body).message).to.match(message);
    });
  }

  it("answers 404 for a route it does not serve", async () => {
    for (const [method, resource] of [["DELETE", "/users/{id}"], ["POST", "/users"]]) {
      const res = await handler(proxyEvent({ method: method!, resource: resource!, pathParameters: { id: ADA.id } }));
      expect(res.statusCode, `${method} ${resource}`).to.equal(404);
    }
  });
});
