import { expect } from "chai";
import { createUsersHandler } from "../../../lambdas/users/handler.js";
import type { User } from "../../../lambdas/users/contract.js";
import { UserExistsError, type UserStore } from "../../../lambdas/users/store.js";
import { proxyEvent } from "./proxy-event.js";

const callerArn = "arn:aws:sts::123456789012:assumed-role/sia-profile-role/sia-profile";
const ADA: User = { id: "u-1001", name: "Ada Lovelace", email: "ada@example.com" };

/** The store contract in memory, so these cases test the HTTP handling alone. */
class MemoryUserStore implements UserStore {
  readonly users = new Map<string, User>([[ADA.id, ADA]]);
  failure?: Error;
  async get(id: string) {
    if (this.failure) throw this.failure;
    return this.users.get(id);
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
  const post = (body: unknown) => handler(proxyEvent({ method: "POST", resource: "/users", body: typeof body === "string" ? body : JSON.stringify(body) }));

  it("returns a stored user and echoes the verified caller", async () => {
    const res = await handler(proxyEvent({ method: "GET", resource: "/users/{id}", pathParameters: { id: "u-1001" }, userArn: callerArn }));
    expect(res.statusCode).to.equal(200);
    expect(JSON.parse(res.body)).to.deep.equal(ADA);
    expect(res.headers?.["x-caller-arn"]).to.equal(callerArn);
  });

  it("answers 404 with a JSON error for an unknown user", async () => {
    const res = await handler(proxyEvent({ method: "GET", resource: "/users/{id}", pathParameters: { id: "u-9999" } }));
    expect(res.statusCode).to.equal(404);
    expect(JSON.parse(res.body)).to.deep.equal({ message: "user not found" });
  });

  for (const id of ["1001", "u-", "U-1001", "u-1001;drop", "u-" + "a".repeat(33)]) {
    it(`rejects the malformed id ${JSON.stringify(id)} with 400`, async () => {
      const res = await handler(proxyEvent({ method: "GET", resource: "/users/{id}", pathParameters: { id } }));
      expect(res.statusCode).to.equal(400);
      expect(JSON.parse(res.body).message).to.match(/^user id must look like u-1001/);
    });
  }

  it("creates a user with a fresh id that can then be read", async () => {
    const created = await post({ name: " Grace Hopper ", email: "grace@example.com" });
    expect(created.statusCode).to.equal(201);
    const user = JSON.parse(created.body);
    expect(user).to.include({ name: "Grace Hopper", email: "grace@example.com" });
    expect(user.id).to.match(/^u-[a-f0-9]{12}$/);
    const read = await handler(proxyEvent({ method: "GET", resource: "/users/{id}", pathParameters: { id: user.id } }));
    expect(JSON.parse(read.body)).to.deep.equal(user);
  });

  it("creates a user under the id the caller names", async () => {
    const created = await post({ id: "u-grace", name: "Grace Hopper", email: "grace@example.com" });
    expect(created.statusCode).to.equal(201);
    expect(store.users.get("u-grace")).to.deep.equal({ id: "u-grace", name: "Grace Hopper", email: "grace@example.com" });
  });

  it("answers 409 to a create whose id exists, and leaves the stored user unchanged", async () => {
    const res = await post({ id: "u-1001", name: "Impostor", email: "eve@example.com" });
    expect(res.statusCode).to.equal(409);
    expect(JSON.parse(res.body)).to.deep.equal({ message: "user u-1001 already exists" });
    expect(store.users.get("u-1001")).to.deep.equal(ADA);
  });

  it("answers 500 without details when the store fails, and logs the failure's name", async () => {
    store.failure = Object.assign(new Error("User: arn:… is not authorized to perform: dynamodb:GetItem"), { name: "AccessDeniedException" });
    const logged: string[] = [];
    const original = console.error;
    console.error = (line: string) => logged.push(line);
    try {
      const res = await handler(proxyEvent({ method: "GET", resource: "/users/{id}", pathParameters: { id: "u-1001" } }));
      expect(res.statusCode).to.equal(500);
      expect(JSON.parse(res.body)).to.deep.equal({ message: "internal error" });
    } finally {
      console.error = original;
    }
    expect(JSON.parse(logged[0]!)).to.include({ msg: "user store failed", error: "AccessDeniedException" });
  });

  const badBodies: Array<[string, string | null, RegExp]> = [
    ["no body", null, /required/],
    ["invalid JSON", "{name:", /not valid JSON/],
    ["a JSON array", "[]", /JSON object/],
    ["a missing name", JSON.stringify({ email: "a@b.co" }), /^name/],
    ["a bad email", JSON.stringify({ name: "A", email: "not-an-email" }), /^email/],
    ["a malformed id", JSON.stringify({ id: "admin", name: "A", email: "a@b.co" }), /^user id must look like/],
  ];
  for (const [label, body, message] of badBodies) {
    it(`rejects a POST with ${label} with 400`, async () => {
      const res = await handler(proxyEvent({ method: "POST", resource: "/users", body }));
      expect(res.statusCode).to.equal(400);
      expect(JSON.parse(res.body).message).to.match(message);
    });
  }

  it("answers 404 for a route it does not serve", async () => {
    const res = await handler(proxyEvent({ method: "DELETE", resource: "/users/{id}", pathParameters: { id: "u-1001" } }));
    expect(res.statusCode).to.equal(404);
  });
});
