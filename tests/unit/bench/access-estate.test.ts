import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "chai";
import { synthEstate } from "../../../bench/access/estate.js";
import { buildAccessReport } from "../../../local/access/access-report.js";
import { loadStack } from "../../../local/loader/load-stack.js";

/** The benchmark's generated estate, small: exact grants hold across many routes and roles. */
describe("bench: the generated access estate", function () {
  this.timeout(120_000);
  let outdir: string;
  before(() => {
    outdir = mkdtempSync(join(tmpdir(), "sia-estate-"));
  });
  after(() => rmSync(outdir, { recursive: true, force: true }));

  it("lets every role call exactly its granted routes, except where synth warned that IAM cannot, which --check then flags", () => {
    const estate = synthEstate({ apis: 3, resourcesPerApi: 8, roles: 12, grantsPerRole: 4 }, outdir);
    const report = buildAccessReport(loadStack({ stackDir: estate.stackDir, accountId: "123456789012", region: "us-east-1", endpoint: "http://127.0.0.1" }));
    expect(report.apis.flatMap((a) => a.routes)).to.have.length(estate.routes);
    let exact = 0;
    for (const [roleName, granted] of estate.grants) {
      const id = report.principals.find((p) => p.label === roleName)!.id;
      const allowed = report.decisions.filter((d) => d.principal === id && d.decision === "allow").map((d) => `${d.api} ${d.route}`).sort();
      expect(allowed, roleName).to.include.members(granted);
      const extra = allowed.filter((route) => !granted.includes(route));
      if (extra.length === 0) {
        exact++;
        continue;
      }
      // e.g. GET /r0/{id} and GET /r0/{id}/items/{itemId} held: no IAM pattern denies GET /r0/{id}/items without the latter.
      expect(estate.warnings.some((w) => w.includes(`to estate/role-${roleName.split("-").pop()}`)), `${roleName} warned`).to.equal(true);
      for (const route of extra) {
        expect(report.findings.some((f) => f.code === "ungranted-access" && f.message.startsWith(`${roleName} can call ${route} `)), route).to.equal(true);
      }
    }
    expect(exact, "roles whose grants IAM keeps exact").to.be.greaterThan(estate.grants.size / 2);
    expect(report.findings.filter((f) => f.severity === "error").every((f) => f.code === "ungranted-access")).to.equal(true);
  });
});
