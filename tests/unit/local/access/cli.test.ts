import { spawnSync } from "node:child_process";
import { expect } from "chai";
import { PROJECT_ROOT } from "../../../../local/offline-mode.js";
import { writeStackDir } from "../fixtures/mini-stack.js";
import { exactGrantStack, serverlessStyleStack } from "./fixtures.js";

function access(args: string[]) {
  return spawnSync(process.execPath, ["--import", "tsx", "local/access/cli.ts", ...args], { cwd: PROJECT_ROOT, encoding: "utf8" });
}

describe("npm run access (the command)", function () {
  this.timeout(30_000);

  it("--check exits 1 on error findings and names them", () => {
    const stack = writeStackDir(serverlessStyleStack());
    try {
      const run = access(["--check", "--stack-dir", stack.dir]);
      expect(run.status).to.equal(1);
      expect(run.stdout).to.match(/error bogus-action: .*'execute-api:GET'/);
      expect(run.stderr).to.match(/access check failed: 6 error finding\(s\)/);
    } finally {
      stack.cleanup();
    }
  });

  it("--check exits 0 when only warnings are found, and --markdown prints a table", () => {
    const stack = writeStackDir(exactGrantStack());
    try {
      const run = access(["--check", "--markdown", "--stack-dir", stack.dir]);
      expect(run.status, run.stderr).to.equal(0);
      expect(run.stdout).to.match(/^\| API \| route \| fn-role \| caller-role \| anonymous \|$/m);
      expect(run.stdout).to.include("⚠️ `uncallable-route`");
    } finally {
      stack.cleanup();
    }
  });

  it("refuses unknown flags and --json with --markdown, with its usage (exit 2)", () => {
    expect(access(["--frobnicate"]).status).to.equal(2);
    const both = access(["--json", "--markdown", "--stack-dir", "."]);
    expect(both.status).to.equal(2);
    expect(both.stderr).to.match(/--json and --markdown exclude each other\nusage: npm run access/);
  });

  it("says clearly when the stack cannot be read (exit 1, no stack trace)", () => {
    const run = access(["--stack-dir", "/nonexistent-stack-dir"]);
    expect(run.status).to.equal(1);
    expect(run.stderr).to.match(/^The access report cannot read this stack: /);
    expect(run.stderr).not.to.match(/\n\s+at /);
  });
});
