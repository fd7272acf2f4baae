import { DynamoDBClient, PutItemCommand } from "@aws-sdk/client-dynamodb";
import { expect } from "chai";
import type { E2eUser } from "./end-users.js";
import { send, type Reply } from "./signed-request.js";
import { openTargetOrSkip, type E2eTarget } from "./target.js";

/** AWS masks account digits in 403 messages (`********1234`); the offline mode masks the resource's. */
const ACCOUNT = "[0-9*]{12}";
/** IAM's newer wording adds this to implicit denies of some services; accepted should API Gateway adopt it. */
const IMPLICIT_DENY_SUFFIX = "( because no identity-based policy allows the execute-api:Invoke action)?";
/** Any well-formed user id (a pool sub): the 403 cases are decided before the id matters. */
const SOME_ID = "8f6d2c1e-3a4b-4c5d-9e6f-a1d0a1d01001";

function expectError(reply: Reply, status: number, errorType: string | undefined, message: RegExp): void {
  expect(reply.status, JSON.stringify(reply.json)).to.equal(status);
  if (errorType) expect(reply.errorType).to.equal(errorType);
  const text = typeof reply.json === "object" ? (reply.json.message ?? reply.json.Message) : reply.json;
  expect(text).to.match(message);
}

describe("end to end: public route -> signed call -> IAM-only internal API", function () {
  this.timeout(120000);
  let target: E2eTarget;
  /** A signed-in user whose record the suite created through PUT /me (no seeds needed on AWS). */
  let known: { readonly user: E2eUser; readonly record: { readonly id: string; readonly name: string } } | undefined;

  before(async function () {
    target = await openTargetOrSkip(this);
    if ("skip" in target.userPool) return;
    const user = await target.userPool.signIn("reader");
    const put = await send({ method: "PUT", url: `${target.publicApiUrl}/me`, headers: { authorization: user.idToken }, body: JSON.stringify({ name: "Ada Lovelace" }) });
    expect(put.status, JSON.stringify(put.json)).to.equal(200);
    known = { user, record: { id: user.sub, name: "Ada Lovelace" } };
  });

  /** The signed-in user, or skip (printed) when the target has no user pool to sign in with. */
  const knownOrSkip = (context: Mocha.Context) => {
    if (!known) {
      console.log(`      skipped: ${(target.userPool as { skip: string }).skip}`);
      context.skip();
    }
    return known!;
  };
  after(async () => target?.close());

  const publicUrl = (path: string) => `${target.publicApiUrl}${path}`;
  const usersUrl = (path: string) => `${target.usersApiUrl}${path}`;
  const signedAs = (principal: E2eTarget["granted"], method: string, path: string, extra: { body?: string; signingDate?: Date } = {}) =>
    send({ method, url: usersUrl(path), credentials: principal.credentials, region: target.region, ...extra });

  describe("the public route (signed in)", () => {
    const asKnown = (path: string) => send({ method: "GET", url: publicUrl(path), headers: { authorization: known!.user.idToken } });

    it("returns only public fields, read through the signed internal call", async function () {
      const { record } = knownOrSkip(this);
      const reply = await asKnown(`/users/${record.id}/profile`);
      expect(reply.status, JSON.stringify(reply.json)).to.equal(200);
      expect(reply.json).to.deep.equal(record);
    });

    it("reads the record back through other warm instances (the table, not one instance's memory)", async function () {
      const { record } = knownOrSkip(this);
      const replies = await Promise.all(Array.from({ length: 10 }, () => asKnown(`/users/${record.id}/profile`)));
      expect(replies.map((r) => r.status)).to.deep.equal(Array(10).fill(200));
    });

    it("answers 400 with a JSON error for a malformed id", async function () {
      knownOrSkip(this);
      expectError(await asKnown("/users/not-an-id/profile"), 400, undefined, /^user id must be a user pool sub/);
    });

    it("answers 404 with a JSON error for an unknown user", async function () {
      knownOrSkip(this);
      expectError(await asKnown("/users/00000000-0000-4000-8000-000000000404/profile"), 404, undefined, /^user not found$/);
    });

    it("serves 200 signed round trips, 20 at a time", async function () {
      const { record } = knownOrSkip(this);
      const statuses: number[] = [];
      for (let batch = 0; batch < 10; batch++) {
        const replies = await Promise.all(
          Array.from({ length: 20 }, () => asKnown(`/users/${record.id}/profile`)),
        );
        statuses.push(...replies.map((r) => r.status));
      }
      expect(statuses).to.have.length(200);
      expect(statuses.filter((s) => s !== 200)).to.deep.equal([]);
    });
  });

  describe("the internal API, called directly", () => {
    it("refuses an unsigned request: Missing Authentication Token", async () => {
      expectError(await send({ method: "GET", url: usersUrl(`/users/${SOME_ID}`) }), 403, "MissingAuthenticationTokenException", /^Missing Authentication Token$/);
    });

    it("answers an unknown path the same way, signed or not", async () => {
      expectError(await send({ method: "GET", url: usersUrl("/admin") }), 403, "MissingAuthenticationTokenException", /^Missing Authentication Token$/);
      expectError(await signedAs(target.granted, "GET", "/admin"), 403, "MissingAuthenticationTokenException", /^Missing Authentication Token$/);
    });

    it("refuses a signature made with the wrong secret", async () => {
      const forged = { ...target.granted, credentials: { ...target.granted.credentials, secretAccessKey: "not-the-secret" } };
      expectError(
        await signedAs(forged, "GET", `/users/${SOME_ID}`),
        403,
        "InvalidSignatureException",
        /^The request signature we calculated does not match the signature you provided/,
      );
    });

    it("refuses a signature six minutes old: Signature expired", async () => {
      const reply = await signedAs(target.granted, "GET", `/users/${SOME_ID}`, { signingDate: new Date(Date.now() - 6 * 60 * 1000) });
      expectError(reply, 403, "InvalidSignatureException", /^Signature expired: \d{8}T\d{6}Z is now earlier than \d{8}T\d{6}Z \(\d{8}T\d{6}Z - 5 min\.\)$/);
    });

    it("refuses an unknown access key: invalid security token", async () => {
      const unknown = { roleName: "unknown", credentials: { accessKeyId: "FAKEUNKNOWNKEY000000", secretAccessKey: "x".repeat(40), sessionToken: "unknown-token" } };
      expectError(await signedAs(unknown, "GET", `/users/${SOME_ID}`), 403, "UnrecognizedClientException", /^The security token included in the request is invalid\.$/);
    });

    it("denies a signed caller without a grant, naming the role and the resource", async () => {
      const reply = await signedAs(target.noGrants, "GET", `/users/${SOME_ID}`);
      expectError(
        reply,
        403,
        "AccessDeniedException",
        new RegExp(
          `^User: arn:aws:sts::${ACCOUNT}:assumed-role/${target.noGrants.roleName}/[^ ]+ is not authorized to perform: execute-api:Invoke on resource: arn:aws:execute-api:${target.region}:${ACCOUNT}:[a-z0-9]+/[^/]+/GET/users/${SOME_ID}${IMPLICIT_DENY_SUFFIX}$`,
        ),
      );
    });

    it("denies the granted role a method it was not granted", async () => {
      const reply = await signedAs(target.granted, "PUT", `/users/${SOME_ID}`, { body: JSON.stringify({ name: "Eve", email: "eve@example.com" }) });
      expectError(
        reply,
        403,
        "AccessDeniedException",
        new RegExp(`^User: arn:aws:sts::${ACCOUNT}:assumed-role/${target.granted.roleName}/[^ ]+ is not authorized to perform: execute-api:Invoke on resource: arn:aws:execute-api:[^ ]+/PUT/users/${SOME_ID}${IMPLICIT_DENY_SUFFIX}$`),
      );
    });

    it("denies a principal of another account through the resource policy", async function () {
      if (!target.otherAccount) {
        console.log("      skipped: no principal of another account (set SIA_E2E_OTHER_ACCOUNT_PROFILE)");
        this.skip();
      }
      expectError(
        await signedAs(target.otherAccount!, "GET", `/users/${SOME_ID}`),
        403,
        "AccessDeniedException",
        /is not authorized to perform: execute-api:Invoke on resource: arn:aws:execute-api:.* with an explicit deny$/,
      );
    });

    it("lets the granted role call its granted route, and the users function sees who called", async function () {
      const { record } = knownOrSkip(this);
      const reply = await signedAs(target.granted, "GET", `/users/${record.id}`);
      expect(reply.status, JSON.stringify(reply.json)).to.equal(200);
      expect(reply.json).to.include(record);
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
