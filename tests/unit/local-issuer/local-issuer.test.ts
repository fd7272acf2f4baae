import { execFile } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { expect } from "chai";
import { createLocalJWKSet, decodeJwt, decodeProtectedHeader, jwtVerify } from "jose";
import { ISSUER_KEYS_FILE } from "../../../local/issuer/issuer-keys.js";
import { LocalIssuer, mintFromStateDir, USER_POOLS_FILE } from "../../../local/issuer/local-issuer.js";
import { poolUserFor, SEEDED_POOL_USERS } from "../../../local/issuer/local-users.js";
import type { UserPoolModel } from "../../../local/model.js";
import { PROJECT_ROOT } from "../../../local/offline-mode.js";

const run = promisify(execFile);

const POOL: UserPoolModel = {
  address: "aws_cognito_user_pool.users",
  id: "eu-west-1_Abcdefgh1",
  arn: "arn:aws:cognito-idp:eu-west-1:123456789012:userpool/eu-west-1_Abcdefgh1",
  name: "users",
  issuer: "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Abcdefgh1",
  clients: new Map([
    ["web0000000000000000000000a", { address: "c.web", id: "web0000000000000000000000a", name: "web", idTokenSeconds: 900, accessTokenSeconds: 600 }],
    ["e2e0000000000000000000000b", { address: "c.e2e", id: "e2e0000000000000000000000b", name: "e2e", idTokenSeconds: 3600, accessTokenSeconds: 3600 }],
  ]),
};

describe("the local token issuer", () => {
  let stateDir: string;
  beforeEach(() => {
    stateDir = mkdtempSync(join(tmpdir(), "sia-issuer-"));
  });
  afterEach(() => rmSync(stateDir, { recursive: true, force: true }));

  it("mints an ID token shaped like Cognito's, verifiable with the pool's JWKS", async () => {
    const issuer = await LocalIssuer.open([POOL], "http://127.0.0.1:1");
    const token = await issuer.mint({ email: "Ada@Example.com" });
    const { payload, protectedHeader } = await jwtVerify(token, createLocalJWKSet(issuer.jwks(POOL.id)!), { issuer: POOL.issuer, audience: "web0000000000000000000000a" });
    expect(protectedHeader.alg).to.equal("RS256");
    expect(protectedHeader.kid).to.equal(issuer.jwks(POOL.id)!.keys[0]!.kid);
    const ada = SEEDED_POOL_USERS[0]!;
    expect(payload).to.include({ sub: ada.sub, email: ada.email, "cognito:username": ada.sub, token_use: "id", email_verified: true });
    expect(payload.exp! - payload.iat!).to.equal(900);
    expect(payload.auth_time).to.equal(payload.iat);
    for (const claim of ["jti", "origin_jti", "event_id"]) expect(payload[claim]).to.match(/^[0-9a-f-]{36}$/);
  });

  it("mints an access token with client_id and scope, no aud and no email", async () => {
    const issuer = await LocalIssuer.open([POOL], "http://127.0.0.1:1");
    const payload = decodeJwt(await issuer.mint({ email: "ada@example.com", use: "access", clientId: "e2e0000000000000000000000b" }));
    expect(payload).to.include({ token_use: "access", client_id: "e2e0000000000000000000000b", scope: "aws.cognito.signin.user.admin" });
    expect(payload.aud).to.equal(undefined);
    expect(payload.email).to.equal(undefined);
    expect(payload.exp! - payload.iat!).to.equal(3600);
  });

  it("refuses a client or pool that is not the stack's, scopes on ID tokens and absurd lifetimes", async () => {
    const issuer = await LocalIssuer.open([POOL], "http://127.0.0.1:1");
    await expectRejection(issuer.mint({ email: "a@b.co", clientId: "nope" }), /'nope' is not an app client of pool eu-west-1_Abcdefgh1/);
    await expectRejection(issuer.mint({ email: "a@b.co", poolId: "nope" }), /'nope' is not a user pool of the stack/);
    await expectRejection(issuer.mint({ email: "a@b.co", scopes: ["x"] }), /scopes belong to access tokens/);
    await expectRejection(issuer.mint({ email: "a@b.co", expiresInSeconds: 10 ** 9 }), /within a day/);
    await expectRejection(issuer.mint({ email: "not an email" }), /is not an email address/);
  });

  it("keeps the pool key in the state dir, readable by its owner only, and reuses it on restart", async () => {
    const first = await LocalIssuer.open([POOL], "http://127.0.0.1:1", stateDir);
    const file = join(stateDir, ISSUER_KEYS_FILE);
    expect(statSync(file).mode & 0o777).to.equal(0o600);
    const second = await LocalIssuer.open([POOL], "http://127.0.0.1:2", stateDir);
    expect(second.jwks(POOL.id)).to.deep.equal(first.jwks(POOL.id));
    const token = await first.mint({ email: "ada@example.com" });
    await jwtVerify(token, createLocalJWKSet(second.jwks(POOL.id)!));
  });

  it("opens for a stack without user pools, writing no key file", async () => {
    const issuer = await LocalIssuer.open([], "http://127.0.0.1:1", stateDir);
    expect(issuer.pools).to.deep.equal([]);
    expect(existsSync(join(stateDir, ISSUER_KEYS_FILE))).to.equal(false);
    await expectRejection(issuer.mint({ email: "ada@example.com" }), /the stack has no Cognito user pool/);
  });

  it("tightens a key file whose mode was loosened", async () => {
    await LocalIssuer.open([POOL], "http://127.0.0.1:1", stateDir);
    chmodSync(join(stateDir, ISSUER_KEYS_FILE), 0o644);
    await LocalIssuer.open([POOL], "http://127.0.0.1:1", stateDir);
    expect(statSync(join(stateDir, ISSUER_KEYS_FILE)).mode & 0o777).to.equal(0o600);
  });

  it("refuses a corrupt key file without printing what is in it", async () => {
    writeFileSync(join(stateDir, ISSUER_KEYS_FILE), '{"eu-west-1_Abcdefgh1": {"kty":"RSA","d":"c2VjcmV0"');
    await expectRejection(LocalIssuer.open([POOL], "http://127.0.0.1:1", stateDir), /is not a JSON object of pool keys/, "c2VjcmV0");
  });

  it("gives an unknown email a stable sub, different from every seeded user's", () => {
    const grace = poolUserFor("grace@example.com");
    expect(grace.sub).to.equal(poolUserFor("GRACE@example.com").sub);
    expect(grace.sub).to.match(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(SEEDED_POOL_USERS.map((u) => u.sub)).to.not.include(grace.sub);
    expect(poolUserFor("alan@example.com").sub).to.not.equal(grace.sub);
  });

  it("seeds the same people the offline users table is seeded with, by id and email", () => {
    const seed = JSON.parse(readFileSync(join(PROJECT_ROOT, "local/seed/dynamodb.json"), "utf8")) as Record<string, Array<{ PutRequest: { Item: Record<string, { S: string }> } }>>;
    const seeded = seed["sia-users"]!.map(({ PutRequest: { Item } }) => [Item.id!.S, Item.email!.S]);
    expect(SEEDED_POOL_USERS.map((u) => [u.sub, u.email])).to.deep.equal(seeded);
  });

  describe("npm run token", function () {
    this.timeout(30_000);
    const cli = (...args: string[]) => run(process.execPath, ["--import", "tsx", join(PROJECT_ROOT, "local/issuer/token-cli.ts"), ...args], { cwd: PROJECT_ROOT });

    it("prints one token and nothing else, signed with the key the offline mode keeps", async () => {
      const issuer = await LocalIssuer.open([POOL], "http://127.0.0.1:1", stateDir);
      expect(JSON.parse(readFileSync(join(stateDir, USER_POOLS_FILE), "utf8"))[0].jwksUrl).to.equal(`http://127.0.0.1:1/cognito-idp/${POOL.id}/.well-known/jwks.json`);
      const { stdout, stderr } = await cli("--email", "ada@example.com", "--access", "--expires-in", "60", "--state-dir", stateDir);
      expect(stderr).to.equal("");
      expect(stdout).to.match(/^[\w-]+\.[\w-]+\.[\w-]+\n$/);
      const { payload } = await jwtVerify(stdout.trim(), createLocalJWKSet(issuer.jwks(POOL.id)!));
      expect(payload).to.include({ token_use: "access", sub: SEEDED_POOL_USERS[0]!.sub });
      expect(payload.exp! - payload.iat!).to.equal(60);
      expect(decodeProtectedHeader(stdout.trim()).kid).to.equal(issuer.jwks(POOL.id)!.keys[0]!.kid);
    });

    it("fails with a message on stderr and nothing on stdout when no offline mode wrote the state dir", async () => {
      const error = await cli("--email", "ada@example.com", "--state-dir", stateDir).then(
        () => undefined,
        (e: { code: number; stdout: string; stderr: string }) => e,
      );
      expect(error?.code).to.equal(1);
      expect(error?.stdout).to.equal("");
      expect(error?.stderr).to.match(/no offline mode has written .*user-pools\.json: start it \(npm start\) first/);
    });

    it("mints from the state dir without starting the offline mode", async () => {
      await LocalIssuer.open([POOL], "http://127.0.0.1:1", stateDir);
      expect(decodeJwt(await mintFromStateDir(stateDir, { email: "alan@example.com" })).email).to.equal("alan@example.com");
    });
  });
});

async function expectRejection(promise: Promise<unknown>, message: RegExp, mustNotContain?: string): Promise<void> {
  const error = await promise.then(
    () => undefined,
    (e: Error) => e,
  );
  expect(error, "should reject").to.be.instanceOf(Error);
  expect(error!.message).to.match(message);
  if (mustNotContain) expect(error!.message).to.not.include(mustNotContain);
}
