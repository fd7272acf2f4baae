import { randomBytes } from "node:crypto";
import { DynamoDBClient, PutItemCommand } from "@aws-sdk/client-dynamodb";
import { expect } from "chai";
import { send, type Reply } from "./signed-request.js";
import { openTarget, type E2eTarget } from "./target.js";

/** AWS masks account digits in 403 messages (`********1234`); the offline mode masks the resource's. */
const ACCOUNT = "[0-9*]{12}";
/** IAM's newer wording adds this to implicit denies of some services; accepted should API Gateway adopt it. */
const IMPLICIT_DENY_SUFFIX = "( because no identity-based policy allows the execute-api:Invoke action)?";
// Created through the public route by the suite itself, so the cases need no seed data on AWS.
const USER = { id: `u-e2e${randomBytes(5).toString("hex")}`, name: "Ada Lovelace" };
const CREATED = { ...USER, email: "ada@example.com" };

function expectError(reply: Reply, status: number, errorType: string | undefined, message: RegExp): void {
  expect(reply.status, JSON.stringify(reply.json)).to.equal(status);
  if (errorType) expect(reply.errorType).to.equal(errorType);
  const text = typeof reply.json === "object" ? (reply.json.message ?? reply.json.Message) : reply.json;
  expect(text).to.match(message);
}

describe("end to end: public route -> signed call -> IAM-only internal API", function () {
  this.timeout(120000);
  let target: E2eTarget;

  before(async function () {
    const opened = await openTarget();
    if ("skip" in opened) {
      console.log(`      skipped: ${opened.skip}`);
      this.skip();
    }
    target = opened as E2eTarget;
    console.log(`      target: ${target.name} (${target.usersApiUrl})`);
    const created = await send({ method: "POST", url: `${target.publicApiUrl}/signup`, body: JSON.stringify(CREATED) });
    expect(created.status, JSON.stringify(created.json)).to.equal(201);
  });
  after(async () => target?.close());

  const publicUrl = (path: string) => `${target.publicApiUrl}${path}`;
  const usersUrl = (path: string) => `${target.usersApiUrl}${path}`;
  const signedAs = (principal: E2eTarget["granted"], method: string, path: string, extra: { body?: string; signingDate?: Date } = {}) =>
    send({ method, url: usersUrl(path), credentials: principal.credentials, region: target.region, ...extra });

  describe("the public route", () => {
    it("returns only public fields, read through the signed internal call", async () => {
      const reply = await send({ method: "GET", url: publicUrl(`/users/${USER.id}/profile`) });
      expect(reply.status, JSON.stringify(reply.json)).to.equal(200);
      expect(reply.json).to.deep.equal(USER);
    });

    it("reads the created user back through other warm instances (the table, not one instance's memory)", async () => {
      const replies = await Promise.all(Array.from({ length: 10 }, () => send({ method: "GET", url: publicUrl(`/users/${USER.id}/profile`) })));
      expect(replies.map((r) => r.status)).to.deep.equal(Array(10).fill(200));
    });

    it("answers 409 to a create whose id exists, and keeps the first user", async () => {
      expectError(await send({ method: "POST", url: publicUrl("/signup"), body: JSON.stringify({ ...CREATED, name: "Eve" }) }), 409, undefined, new RegExp(`^user ${USER.id} already exists$`));
      expect((await send({ method: "GET", url: publicUrl(`/users/${USER.id}/profile`) })).json).to.deep.equal(USER);
    });

    it("answers 400 with a JSON error for a malformed id", async () => {
      expectError(await send({ method: "GET", url: publicUrl("/users/not-an-id/profile") }), 400, undefined, /^user id must look like/);
    });

    it("answers 404 with a JSON error for an unknown user", async () => {
      expectError(await send({ method: "GET", url: publicUrl("/users/u-9999/profile") }), 404, undefined, /^user not found$/);
    });

    it("serves 200 signed round trips, 20 at a time", async () => {
      const statuses: number[] = [];
      for (let batch = 0; batch < 10; batch++) {
        const replies = await Promise.all(
          Array.from({ length: 20 }, () => send({ method: "GET", url: publicUrl(`/users/${USER.id}/profile`) })),
        );
        statuses.push(...replies.map((r) => r.status));
      }
      expect(statuses).to.have.length(200);
      expect(statuses.filter((s) => s !== 200)).to.deep.equal([]);
    });
  });

  describe("the internal API, called directly", () => {
    it("refuses an unsigned request: Missing Authentication Token", async () => {
      expectError(await send({ method: "GET", url: usersUrl("/users/u-1001") }), 403, "MissingAuthenticationTokenException", /^Missing Authentication Token$/);
    });

    it("answers an unknown path the same way, signed or not", async () => {
      expectError(await send({ method: "GET", url: usersUrl("/admin") }), 403, "MissingAuthenticationTokenException", /^Missing Authentication Token$/);
      expectError(await signedAs(target.granted, "GET", "/admin"), 403, "MissingAuthenticationTokenException", /^Missing Authentication Token$/);
    });

    it("refuses a signature made with the wrong secret", async () => {
      const forged = { ...target.granted, credentials: { ...target.granted.credentials, secretAccessKey: "not-the-secret" } };
      expectError(
        await signedAs(forged, "GET", "/users/u-1001"),
        403,
        "InvalidSignatureException",
        /^The request signature we calculated does not match the signature you provided/,
      );
    });

    it("refuses a signature six minutes old: Signature expired", async () => {
      const reply = await signedAs(target.granted, "GET", "/users/u-1001", { signingDate: new Date(Date.now() - 6 * 60 * 1000) });
      expectError(reply, 403, "InvalidSignatureException", /^Signature expired: \d{8}T\d{6}Z is now earlier than \d{8}T\d{6}Z \(\d{8}T\d{6}Z - 5 min\.\)$/);
    });

    it("refuses an unknown access key: invalid security token", async () => {
      const unknown = { roleName: "unknown", credentials: { accessKeyId: "FAKEUNKNOWNKEY000000", secretAccessKey: "x".repeat(40), sessionToken: "unknown-token" } };
      expectError(await signedAs(unknown, "GET", "/users/u-1001"), 403, "UnrecognizedClientException", /^The security token included in the request is invalid\.$/);
    });

    it("denies a signed caller without a grant, naming the role and the resource", async () => {
      const reply = await signedAs(target.noGrants, "GET", "/users/u-1001");
      expectError(
        reply,
        403,
        "AccessDeniedException",
        new RegExp(
          `^User: arn:aws:sts::${ACCOUNT}:assumed-role/${target.noGrants.roleName}/[^ ]+ is not authorized to perform: execute-api:Invoke on resource: arn:aws:execute-api:${target.region}:${ACCOUNT}:[a-z0-9]+/[^/]+/GET/users/u-1001${IMPLICIT_DENY_SUFFIX}$`,
        ),
      );
    });

    it("denies the granted role a method it was not granted", async () => {
      const reply = await signedAs(target.granted, "POST", "/users", { body: JSON.stringify({ name: "Eve", email: "eve@example.com" }) });
      expectError(
        reply,
        403,
        "AccessDeniedException",
        new RegExp(`^User: arn:aws:sts::${ACCOUNT}:assumed-role/${target.granted.roleName}/[^ ]+ is not authorized to perform: execute-api:Invoke on resource: arn:aws:execute-api:[^ ]+/POST/users${IMPLICIT_DENY_SUFFIX}$`),
      );
    });

    it("denies a principal of another account through the resource policy", async function () {
      if (!target.otherAccount) {
        console.log("      skipped: no principal of another account (set SIA_E2E_OTHER_ACCOUNT_PROFILE)");
        this.skip();
      }
      expectError(
        await signedAs(target.otherAccount!, "GET", "/users/u-1001"),
        403,
        "AccessDeniedException",
        /is not authorized to perform: execute-api:Invoke on resource: arn:aws:execute-api:.* with an explicit deny$/,
      );
    });

    it("lets the granted role call its granted route, and the users function sees who called", async () => {
      const reply = await signedAs(target.granted, "GET", `/users/${USER.id}`);
      expect(reply.status, JSON.stringify(reply.json)).to.equal(200);
      expect(reply.json).to.include(USER);
      expect(reply.headers["x-caller-arn"]).to.match(new RegExp(`^arn:aws:sts::${ACCOUNT}:assumed-role/${target.granted.roleName}/[^/]+$`));
    });
  });

  describe("the users table", () => {
    it("denies a role without a table grant its PutItem, exactly as DynamoDB words it", async () => {
      const client = new DynamoDBClient({ region: target.region, endpoint: target.dynamoDbEndpoint, credentials: target.noGrants.credentials, maxAttempts: 1 });
      try {
        const error = (await client.send(new PutItemCommand({ TableName: target.usersTableName, Item: { id: { S: "u-e2e-denied" } } })).then(() => undefined, (e: unknown) => e)) as
          | (Error & { $metadata: { httpStatusCode?: number } })
          | undefined;
        expect(error?.name).to.equal("AccessDeniedException");
        expect(error!.$metadata.httpStatusCode).to.equal(400);
        expect(error!.message).to.match(
          new RegExp(
            `^User: arn:aws:sts::${ACCOUNT}:assumed-role/${target.noGrants.roleName}/[^ ]+ is not authorized to perform: dynamodb:PutItem on resource: arn:aws:dynamodb:${target.region}:${ACCOUNT}:table/${target.usersTableName} because no identity-based policy allows the dynamodb:PutItem action$`,
          ),
        );
      } finally {
        client.destroy();
      }
    });
  });
});
