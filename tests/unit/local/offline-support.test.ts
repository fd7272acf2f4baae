import { spawnSync } from "node:child_process";
import { StackLoadError } from "../../../local/loader/terraform-json.js";
import { PROJECT_ROOT, startOfflineMode } from "../../../local/offline-mode.js";
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { expect } from "chai";
import { assumedRoleArn, LocalCredentialStore } from "../../../local/credentials/local-credentials.js";
import { isSynthFresh, synthSettingsStamp } from "../../../local/fresh-synth.js";

/** What secret scanners flag as an AWS access key id (long-term `AKIA`, temporary `ASIA`). */
const AWS_KEY_ID_SHAPE = /(AKIA|ASIA)[0-9A-Z]{16}/;

describe("local credentials", () => {
  const role = { arn: "arn:aws:iam::123456789012:role/app/svc-role", name: "svc-role", accountId: "123456789012", uniqueId: "AROAEXAMPLEEXAMPLE12", tags: { team: "payments" } };

  it("issues distinct temporary credentials per session, known to the verifier's lookup", () => {
    const store = new LocalCredentialStore();
    const a = store.issue(role, "one");
    const b = store.issue(role, "two");
    expect(a.accessKeyId).to.match(/^LOCALFAKE[A-Z2-7]{11}$/);
    expect(a.accessKeyId).to.not.equal(b.accessKeyId);
    expect(a.secretAccessKey).to.not.equal(b.secretAccessKey);
    const known = store.lookup(a.accessKeyId)!;
    expect(known.sessionToken).to.equal(a.sessionToken);
    expect(known.principal).to.deep.equal({
      arn: "arn:aws:sts::123456789012:assumed-role/svc-role/one",
      roleArn: role.arn,
      accountId: "123456789012",
      userId: "AROAEXAMPLEEXAMPLE12:one",
      tokenIssuedAt: known.principal.tokenIssuedAt,
      tags: { team: "payments" },
    });
    expect(Date.now() - known.principal.tokenIssuedAt.getTime()).to.be.within(0, 60_000);
    expect(store.lookup("LOCALFAKEUNKNOWN")).to.equal(undefined);
  });

  it("issues key ids that secret scanners cannot mistake for AWS keys", () => {
    const store = new LocalCredentialStore();
    for (let i = 0; i < 50; i += 1) {
      const { accessKeyId } = store.issue(role, `s${i}`);
      expect(accessKeyId).to.have.length(20);
      expect(accessKeyId).to.not.match(AWS_KEY_ID_SHAPE);
    }
  });

  it("leaves no string shaped like an AWS access key id anywhere in the repository but the vendored SigV4 suite", function () {
    const grep = spawnSync("git", ["grep", "-nIE", AWS_KEY_ID_SHAPE.source, "--", ".", ":!tests/fixtures/sigv4-test-suite"], { cwd: PROJECT_ROOT, encoding: "utf8" });
    if (grep.error || grep.status === 128) this.skip(); // not a git checkout: nothing to scan
    expect(grep.stdout, "git grep found AWS-shaped key ids").to.equal("");
    expect(grep.status).to.equal(1); // 1 = no match
  });

  it("puts the sessions of an organization's account in it (aws:PrincipalOrgID), and no other", () => {
    const store = new LocalCredentialStore((account) => (account === "123456789012" ? "o-a1b2c3d4e5" : undefined));
    expect(store.lookup(store.issue(role, "one").accessKeyId)!.principal.orgId).to.equal("o-a1b2c3d4e5");
    const outside = { ...role, arn: "arn:aws:iam::444455556666:role/x", accountId: "444455556666" };
    expect(store.lookup(store.issue(outside, "one").accessKeyId)!.principal).not.to.have.property("orgId");
  });

  it("drops the role path from the session ARN, as STS does", () => {
    expect(assumedRoleArn(role, "s")).to.equal("arn:aws:sts::123456789012:assumed-role/svc-role/s");
  });
});

describe("synth freshness", () => {
  let root: string;
  const stackJson = () => join(root, "cdktf.out", "cdk.tf.json");
  const touch = (file: string, secondsAgo: number) => {
    const at = new Date(Date.now() - secondsAgo * 1000);
    utimesSync(file, at, at);
  };
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), "sia-fresh-"));
    mkdirSync(join(root, "modules"));
    mkdirSync(join(root, "lambdas", "users"), { recursive: true });
    mkdirSync(join(root, "cdktf.out"));
    for (const file of ["main.ts", "modules/a.ts", "lambdas/users/handler.ts"]) {
      writeFileSync(join(root, file), "x");
      touch(join(root, file), 60);
    }
    for (const dir of ["modules", "lambdas", "lambdas/users"]) touch(join(root, dir), 60);
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it("is stale without a synth", () => {
    expect(isSynthFresh(root, stackJson())).to.equal(false);
  });

  const env = { SIA_STAGE: "v1", HOME: "/root" };
  const synthWith = (settings: NodeJS.ProcessEnv) => {
    writeFileSync(stackJson(), "{}");
    writeFileSync(join(dirname(stackJson()), ".synth-settings.json"), synthSettingsStamp(settings));
  };

  it("is fresh when the synth is newer than every input and made with the same settings", () => {
    synthWith(env);
    expect(isSynthFresh(root, stackJson(), { ...env, HOME: "/elsewhere" })).to.equal(true);
  });

  it("is stale when a setting the synth reads changed (SIA_*, AWS_REGION)", () => {
    synthWith(env);
    expect(isSynthFresh(root, stackJson(), { ...env, SIA_TEST_PRINCIPALS: "true" })).to.equal(false);
    expect(isSynthFresh(root, stackJson(), { ...env, AWS_REGION: "eu-west-1" })).to.equal(false);
  });

  it("is stale when a synth carries no record of its settings", () => {
    writeFileSync(stackJson(), "{}");
    expect(isSynthFresh(root, stackJson(), env)).to.equal(false);
  });

  it("is stale when a handler deep under lambdas/ changed after the synth", () => {
    synthWith(env);
    touch(stackJson(), 30);
    touch(join(root, "lambdas/users/handler.ts"), 0);
    expect(isSynthFresh(root, stackJson(), env)).to.equal(false);
  });
});

describe("offline mode options", () => {
  it("refuses a --stack-dir without cdk.tf.json, naming the flag", async () => {
    const empty = mkdtempSync(join(tmpdir(), "sia-no-stack-"));
    try {
      await startOfflineMode({ stackDir: empty, quiet: true }).then(
        () => expect.fail("expected a refusal"),
        (error: Error) => {
          expect(error).to.be.instanceOf(StackLoadError);
          expect(error.message).to.match(/^--stack-dir: .* holds no cdk\.tf\.json/);
        },
      );
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });

  for (const id of ["o-short", "O-ABCDEFGHIJ", "o-abcdefghij!", "r-abcdefghij"]) {
    it(`refuses the organization id '${id}' (o- and 10 to 32 lower-case letters or digits)`, async () => {
      await startOfflineMode({ organizationId: id, stackDir: "/nonexistent", quiet: true }).then(
        () => expect.fail("expected a refusal"),
        (error: Error) => expect(error.message).to.match(/^--organization-id: /),
      );
    });
  }

  it("documents --stack-dir and --organization-id in --help", () => {
    const help = spawnSync(process.execPath, ["--import", "tsx", "local/start.ts", "--help"], { cwd: PROJECT_ROOT, encoding: "utf8" });
    expect(help.status).to.equal(0);
    expect(help.stdout).to.contain("--stack-dir <dir>").and.to.contain("--organization-id o-");
  });
});
