import { expect } from "chai";
import { handler } from "../../../lambdas/users/handler.js";
import { proxyEvent } from "./proxy-event.js";

const callerArn = "arn:aws:sts::123456789012:assumed-role/sia-profile-role/sia-profile";

describe("users handler (internal users service)", () => {
  it("returns a seeded user and echoes the verified caller", async () => {
    const res = await handler(proxyEvent({ method: "GET", resource: "/users/{id}", pathParameters: { id: "u-1001" }, userArn: callerArn }));
    expect(res.statusCode).to.equal(200);
    expect(JSON.parse(res.body)).to.deep.equal({ id: "u-1001", name: "Ada Lovelace", email: "ada@example.com" });
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

  it("creates a user that can then be read", async () => {
    const created = await handler(
      proxyEvent({ method: "POST", resource: "/users", body: JSON.stringify({ name: " Grace Hopper ", email: "grace@example.com" }) }),
    );
    expect(created.statusCode).to.equal(201);
    const user = JSON.parse(created.body);
    expect(user).to.include({ name: "Grace Hopper", email: "grace@example.com" });
    expect(user.id).to.match(/^u-[a-f0-9]{12}$/);
    const read = await handler(proxyEvent({ method: "GET", resource: "/users/{id}", pathParameters: { id: user.id } }));
    expect(JSON.parse(read.body)).to.deep.equal(user);
  });

  const badBodies: Array<[string, string | null, RegExp]> = [
    ["no body", null, /required/],
    ["invalid JSON", "{name:", /not valid JSON/],
    ["a JSON array", "[]", /JSON object/],
    ["a missing name", JSON.stringify({ email: "a@b.co" }), /^name/],
    ["a bad email", JSON.stringify({ name: "A", email: "not-an-email" }), /^email/],
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
