import { spawn } from "node:child_process";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { expect } from "chai";
import { poolUserFor, SEEDED_POOL_USERS } from "../../local/issuer/local-users.js";
import { PROJECT_ROOT, startOfflineMode, type OfflineMode } from "../../local/offline-mode.js";
import { send, sendSigned } from "../unit/local/fixtures/http-client.js";
import { isRunning, waitUntilGone } from "../unit/local/process-helpers.js";

const ADA = SEEDED_POOL_USERS[0]!;

/** The offline mode serving the real reference stack (synthesized first when stale). */
describe("offline mode: the reference stack", function () {
  this.timeout(60_000);
  let offline: OfflineMode;
  let stateDir: string;
  let publicUrl: string;
  let usersUrl: string;
  let region: string;

  before(async () => {
    stateDir = mkdtempSync(join(tmpdir(), "sia-state-"));
    offline = await startOfflineMode({ port: 0, quiet: true, stateDir, throttling: false });
    publicUrl = offline.outputs.public_api_url!;
    usersUrl = offline.outputs.users_api_url!;
    region = offline.model.region;
  });
  after(async () => {
    await offline?.close();
    rmSync(stateDir, { recursive: true, force: true });
  });

  const role = (name: string) => offline.credentials[name]!;
  /** As a 403 shows it: API Gateway masks the account to its last four digits. */
  const usersArn = (method: string, path: string) =>
    `arn:aws:execute-api:${region}:********${offline.model.accountId.slice(-4)}:${offline.outputs.users_api_id}/v1/${method}${path}`;

  it("writes outputs.json shaped like `cdktf deploy --outputs-file`, with local URLs", () => {
    const outputs = JSON.parse(readFileSync(join(stateDir, "outputs.json"), "utf8"));
    expect(outputs["secure-internal-apis"].public_api_url).to.equal(publicUrl);
    expect(publicUrl).to.match(/^http:\/\/127\.0\.0\.1:\d+\/restapis\/[a-z0-9]{10}\/v1$/);
  });

  it("writes credentials.json for every role plus another account's, readable by its owner only", () => {
    const file = join(stateDir, "credentials.json");
    const credentials = JSON.parse(readFileSync(file, "utf8"));
    expect(Object.keys(credentials)).to.have.members(["sia-users-role", "sia-profile-role", "sia-me-role", "other-account-caller"]);
    expect(credentials["sia-profile-role"]).to.have.all.keys("roleArn", "principalArn", "accessKeyId", "secretAccessKey", "sessionToken");
    expect(credentials["other-account-caller"].roleArn).to.equal("arn:aws:iam::444455556666:role/other-account-caller");
    expect(statSync(file).mode & 0o077).to.equal(0);
  });

  const signedIn = async (email: string) => ({ authorization: await offline.issuer.mint({ email }) });

  it("serves GET /me to a signed-in user: their own record, through the me function's signed call", async () => {
    const res = await send(`${publicUrl}/me`, { headers: await signedIn(ADA.email) });
    expect(res.status, res.text).to.equal(200);
    expect(res.json()).to.deep.equal({ id: ADA.sub, name: "Ada Lovelace", email: ADA.email });
  });

  it("refuses every public route without a token: 401 Unauthorized", async () => {
    for (const path of ["/me", `/users/${ADA.sub}/profile`]) {
      const res = await send(`${publicUrl}${path}`);
      expect(res.status, path).to.equal(401);
      expect(res.headers["x-amzn-errortype"]).to.equal("UnauthorizedException");
      expect(res.json()).to.deep.equal({ message: "Unauthorized" });
    }
  });

  it("serves public fields of another user to any signed-in user", async () => {
    const res = await send(`${publicUrl}/users/${ADA.sub}/profile`, { headers: await signedIn("grace@example.com") });
    expect(res.status, res.text).to.equal(200);
    expect(res.json()).to.deep.equal({ id: ADA.sub, name: "Ada Lovelace" });
  });

  it("creates a new local user's record with PUT /me (me role, granted PUT /users/{id})", async () => {
    const headers = { ...(await signedIn("grace@example.com")), "content-type": "application/json" };
    const res = await send(`${publicUrl}/me`, { method: "PUT", body: JSON.stringify({ name: "Grace Hopper" }), headers });
    expect(res.status, res.text).to.equal(200);
    expect(res.json()).to.deep.equal({ id: poolUserFor("grace@example.com").sub, name: "Grace Hopper", email: "grace@example.com" });
  });

  it("answers the public API's own 404 for an unknown public path", async () => {
    const res = await send(`${publicUrl}/admin`);
    expect(res.status).to.equal(404);
    expect(res.json()).to.deep.equal({ message: "Not Found" });
  });

  it("refuses an unsigned call to the internal API with MissingAuthenticationToken", async () => {
    const res = await send(`${usersUrl}/users/${ADA.sub}`);
    expect(res.status).to.equal(403);
    expect(res.headers["x-amzn-errortype"]).to.equal("MissingAuthenticationTokenException");
    expect(res.json()).to.deep.equal({ message: "Missing Authentication Token" });
  });

  it("lets the profile role read a user, and the users service sees who called", async () => {
    const res = await sendSigned(`${usersUrl}/users/${ADA.sub}`, role("sia-profile-role"), { region });
    expect(res.status, res.text).to.equal(200);
    expect(res.headers["x-caller-arn"]).to.equal(role("sia-profile-role").principalArn);
  });

  it("denies the profile role PUT /users/{id}, naming its session and the request ARN", async () => {
    const res = await sendSigned(`${usersUrl}/users/${ADA.sub}`, role("sia-profile-role"), { method: "PUT", body: '{"name":"x","email":"x@example.com"}', region });
    expect(res.status).to.equal(403);
    expect(res.headers["x-amzn-errortype"]).to.equal("AccessDeniedException");
    expect(res.json()).to.deep.equal({
      Message: `User: arn:aws:sts::${offline.model.accountId}:assumed-role/sia-profile-role/local is not authorized to perform: execute-api:Invoke on resource: ${usersArn("PUT", `/users/${ADA.sub}`)}`,
    });
  });

  it("denies the users role, which has no grant at all", async () => {
    const res = await sendSigned(`${usersUrl}/users/${ADA.sub}`, role("sia-users-role"), { region });
    expect(res.status).to.equal(403);
    expect(res.json().Message).to.contain("assumed-role/sia-users-role/local is not authorized");
  });

  it("denies another account's role through the resource policy, with an explicit deny", async () => {
    const res = await sendSigned(`${usersUrl}/users/${ADA.sub}`, role("other-account-caller"), { region });
    expect(res.status).to.equal(403);
    expect(res.json()).to.deep.equal({
      Message: `User: arn:aws:sts::444455556666:assumed-role/other-account-caller/local is not authorized to perform: execute-api:Invoke on resource: ${usersArn("GET", `/users/${ADA.sub}`)} with an explicit deny`,
    });
  });

  it("answers MissingAuthenticationToken for an unknown internal path, even when signed", async () => {
    const res = await sendSigned(`${usersUrl}/admin`, role("sia-profile-role"), { region });
    expect(res.status).to.equal(403);
    expect(res.json()).to.deep.equal({ message: "Missing Authentication Token" });
  });

  it("refuses a signature from credentials it did not issue", async () => {
    const res = await sendSigned(`${usersUrl}/users/${ADA.sub}`, { accessKeyId: "FAKENOTISSUED0000000", secretAccessKey: "x", sessionToken: "y" }, { region });
    expect(res.status).to.equal(403);
    expect(res.headers["x-amzn-errortype"]).to.equal("UnrecognizedClientException");
  });

  it("answers 413 to a body over 10 MB", async () => {
    const res = await send(`${publicUrl}/me`, { method: "PUT", body: Buffer.alloc(10 * 1024 * 1024 + 1, 0x61) });
    expect(res.status).to.equal(413);
  });

  it("stops every function instance on close()", async () => {
    const own = await startOfflineMode({ port: 0, quiet: true });
    await send(`${own.outputs.public_api_url}/me`, { headers: { authorization: await own.issuer.mint({ email: ADA.email }) } });
    const pids = Object.values(own.lambdaPids()).flat();
    expect(pids.length).to.be.at.least(2); // profile and users
    await own.close();
    expect(pids.filter(isRunning)).to.deep.equal([]);
  });
});

describe("npm start (the CLI)", function () {
  this.timeout(60_000);

  it("serves the stack; a token from npm run token reads Ada's record at /me, none gets 401; Ctrl-C stops it all", async () => {
    const stateDir = mkdtempSync(join(tmpdir(), "sia-cli-"));
    const cli = spawn(process.execPath, ["--import", "tsx", "local/start.ts", "--port", "0", "--quiet", "--state-dir", stateDir], {
      cwd: PROJECT_ROOT,
      stdio: ["ignore", "pipe", "inherit"],
    });
    try {
      const lines: string[] = [];
      await new Promise<void>((resolve, reject) => {
        createInterface({ input: cli.stdout! }).on("line", (line) => {
          lines.push(line);
          if (line.startsWith("Ctrl-C")) resolve();
        });
        cli.once("exit", (code) => reject(new Error(`the CLI exited (${code}): ${lines.join("\n")}`)));
      });
      const outputs = JSON.parse(readFileSync(join(stateDir, "outputs.json"), "utf8"))["secure-internal-apis"];
      expect(lines.join("\n")).to.contain(outputs.public_api_url);
      // The README's quick start: curl -H "Authorization: $(npm run -s token -- --email ada@example.com)" <public>/me
      const token = execFileSync(process.execPath, ["--import", "tsx", "local/issuer/token-cli.ts", "--email", ADA.email, "--state-dir", stateDir], { cwd: PROJECT_ROOT, encoding: "utf8" }).trim();
      const res = await send(`${outputs.public_api_url}/me`, { headers: { authorization: token } });
      expect(res.status, res.text).to.equal(200);
      expect(res.json()).to.deep.equal({ id: ADA.sub, name: "Ada Lovelace", email: ADA.email });
      expect((await send(`${outputs.public_api_url}/me`)).status).to.equal(401);
      const children = execFileSync("ps", ["-o", "pid=", "--ppid", String(cli.pid)], { encoding: "utf8" }).trim().split(/\s+/).map(Number);
      expect(children.length).to.be.at.least(2);
      const exited = new Promise<number | null>((resolve) => cli.once("exit", (code) => resolve(code)));
      cli.kill("SIGINT");
      expect(await exited).to.equal(0);
      expect(await waitUntilGone(children)).to.deep.equal([]);
    } finally {
      if (cli.exitCode === null) cli.kill("SIGKILL");
      rmSync(stateDir, { recursive: true, force: true });
    }
  });
});
