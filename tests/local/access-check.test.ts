import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "chai";
import { STACK_NAME, synthReferenceApp } from "../../main.js";
import type { AccessReport } from "../../local/access/access-report.js";
import { renderMarkdown } from "../../local/access/render.js";
import { PROJECT_ROOT, startOfflineMode } from "../../local/offline-mode.js";
import { send, sendSigned } from "../unit/local/fixtures/http-client.js";

/** `npm run access -- --check` on the reference stack, as CI runs it, with its test principals. */
describe("npm run access -- --check on the reference stack", function () {
  this.timeout(120_000);
  let outdir: string;
  let run: ReturnType<typeof spawnSync>;
  let report: AccessReport;

  before(() => {
    outdir = mkdtempSync(join(tmpdir(), "sia-access-"));
    synthReferenceApp({ outdir, env: { SIA_TEST_PRINCIPALS: "true" } });
    run = spawnSync(process.execPath, ["--import", "tsx", "local/access/cli.ts", "--check", "--json", "--stack-dir", join(outdir, "stacks", STACK_NAME)], {
      cwd: PROJECT_ROOT,
      encoding: "utf8",
      env: { ...process.env, CHECKPOINT_DISABLE: "1" },
    });
    report = JSON.parse(String(run.stdout)) as AccessReport;
  });
  after(() => rmSync(outdir, { recursive: true, force: true }));

  const internalRoutes = (roleName: string) => {
    const id = report.principals.find((p) => p.label === roleName)!.id;
    return report.decisions.filter((d) => d.principal === id && d.api === "sia-users-internal" && d.decision === "allow").map((d) => d.route);
  };

  it("exits 0 with no finding, and prints exactly the documented JSON keys", () => {
    expect(run.status, String(run.stderr)).to.equal(0);
    expect(Object.keys(report)).to.deep.equal(["apis", "principals", "decisions", "findings"]);
    expect(Object.keys(report.decisions[0]!)).to.deep.equal(["principal", "api", "route", "decision", "reason"]);
    expect(report.findings).to.deep.equal([]);
  });

  it("lets each function call exactly its granted internal routes", () => {
    expect(internalRoutes("sia-profile-role")).to.deep.equal(["GET /users/{id}"]);
    expect(internalRoutes("sia-me-role")).to.deep.equal(["GET /users/{id}", "PUT /users/{id}"]);
    expect(internalRoutes("sia-users-role")).to.deep.equal([]);
  });

  it("gives the test roles what the end-to-end suite expects, and anonymous and signed-in users nothing internal", () => {
    expect(internalRoutes("sia-test-caller")).to.deep.equal(["GET /users/{id}"]);
    expect(internalRoutes("sia-test-no-grants")).to.deep.equal([]);
    expect(internalRoutes("anonymous")).to.deep.equal([]);
    expect(internalRoutes("sia-users user")).to.deep.equal([]);
  });

  it("lets only the user pool's signed-in users call the public routes", () => {
    const publicCallers = (route: string) =>
      report.decisions.filter((d) => d.api === "sia-public" && d.route === route && d.decision === "allow").map((d) => report.principals.find((p) => p.id === d.principal)!.label);
    for (const route of report.apis.find((a) => a.name === "sia-public")!.routes) expect(publicCallers(route), route).to.deep.equal(["sia-users user"]);
  });

  it("evaluates every role of the stack, the user pool's users and every route of both APIs", () => {
    expect(report.principals.map((p) => p.label).sort()).to.deep.equal(
      ["anonymous", "sia-me-role", "sia-profile-role", "sia-test-caller", "sia-test-no-grants", "sia-users user", "sia-users-role"],
    );
    expect(report.apis.map((a) => [a.name, a.routes])).to.deep.equal([
      ["sia-public", ["GET /me", "PUT /me", "GET /users/{id}/profile"]],
      ["sia-users-internal", ["GET /users/{id}", "PUT /users/{id}"]],
    ]);
    expect(report.decisions).to.have.length(7 * 5);
  });

  it("is the matrix the README shows", () => {
    const readme = readFileSync(join(PROJECT_ROOT, "README.md"), "utf8");
    const shown = /<!-- access:start -->\n([\s\S]*?)\n<!-- access:end -->/.exec(readme)?.[1];
    const table = renderMarkdown(report, { stack: STACK_NAME, accountId: "123456789012", region: "us-east-1" }).split("\n").filter((line) => line.startsWith("| ")).join("\n");
    expect(shown).to.equal(table);
  });

  it("agrees with the offline gateway: each principal gets through exactly where the report says allow", async () => {
    const offline = await startOfflineMode({ port: 0, quiet: true, stackDir: join(outdir, "stacks", STACK_NAME), throttling: false });
    try {
      const baseUrl = (apiName: string) => [...offline.model.apis.values()].find((a) => a.name === apiName)!.stages.get("v1")!.invokeUrl;
      const body = JSON.stringify({ name: "Ada", email: "ada@example.com" });
      const mismatches: string[] = [];
      for (const decision of report.decisions) {
        const [method, path] = decision.route.split(" ") as [string, string];
        const url = baseUrl(decision.api) + path.replace(/\{[^}]+\}/g, "u-1001");
        const principal = report.principals.find((p) => p.id === decision.principal)!;
        const options = { method, ...(method === "POST" ? { body, headers: { "content-type": "application/json" } } : {}) };
        // A signed-in user needs a token from the offline issuer; the unit tests cover that kind.
        if (principal.kind === "user-pool-user") continue;
        const res =
          principal.kind === "anonymous"
            ? await send(url, options)
            : await sendSigned(url, offline.credentials[principal.label]!, { ...options, region: offline.model.region });
        // 403 from IAM, 401 from a user pool authorizer.
        const gateway = res.status === 403 || res.status === 401 ? "deny" : "allow";
        if (gateway !== decision.decision) mismatches.push(`${principal.label} ${decision.api} ${decision.route}: report ${decision.decision}, gateway ${res.status}`);
      }
      expect(mismatches).to.deep.equal([]);
    } finally {
      await offline.close();
    }
  });
});
