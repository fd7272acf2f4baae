import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { App, TerraformStack } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { expect } from "chai";
import { buildAccessReport } from "../../local/access/access-report.js";
import { DEFAULT_OTHER_ACCOUNT_ID, OTHER_ACCOUNT_ROLE_NAME } from "../../local/credentials/other-account-role.js";
import { startOfflineMode, type OfflineMode } from "../../local/offline-mode.js";
import { InternalApi } from "../../modules/internal-api.js";
import { NodeFunction } from "../../modules/node-function.js";
import { sendSigned } from "../unit/local/fixtures/http-client.js";

/**
 * A per-route cross-account grant, served offline: the offline mode's `other-account-caller`
 * (account 444455556666) is granted GET /users/{id} by the API's resource policy, and nothing else.
 */
describe("offline mode: a cross-account grant of one route", function () {
  this.timeout(120_000);
  const partnerRole = `arn:aws:iam::${DEFAULT_OTHER_ACCOUNT_ID}:role/${OTHER_ACCOUNT_ROLE_NAME}`;
  let outdir: string;
  let offline: OfflineMode;
  let url: string;

  before(async () => {
    outdir = mkdtempSync(join(tmpdir(), "sia-xacct-"));
    const app = new App({ outdir });
    const stack = new TerraformStack(app, "xacct");
    new AwsProvider(stack, "aws", { region: "us-east-1" });
    // A handler that only echoes its caller: what is under test is who gets through.
    const users = new NodeFunction(stack, "users", { entry: "tests/local/fixtures/caller-echo-handler.ts", functionName: "xacct-users", buildDir: join(outdir, "build") });
    const api = new InternalApi(stack, "users-api", {
      name: "xacct-users",
      allowedAccountIds: [DEFAULT_OTHER_ACCOUNT_ID],
      routes: [
        { method: "GET", path: "/users/{id}", function: users },
        { method: "GET", path: "/users/{id}/audit", function: users },
        { method: "POST", path: "/users", function: users },
      ],
    });
    api.grantInvoke(partnerRole, "GET", "/users/{id}");
    app.synth();
    offline = await startOfflineMode({ port: 0, quiet: true, stackDir: join(outdir, "stacks", "xacct"), throttling: false });
    url = [...offline.model.apis.values()][0]!.stages.get("v1")!.invokeUrl;
  });
  after(async () => {
    await offline?.close();
    rmSync(outdir, { recursive: true, force: true });
  });

  const partner = () => offline.credentials[OTHER_ACCOUNT_ROLE_NAME]!;
  const region = () => offline.model.region;

  it("lets the granted role of the allowed account call its route", async () => {
    const res = await sendSigned(`${url}/users/u-1001`, partner(), { region: region() });
    expect(res.status, res.text).to.equal(200);
    expect(res.headers["x-caller-arn"]).to.equal(partner().principalArn);
  });

  it("denies it a deeper route its wildcard would match, by the exactness Deny", async () => {
    const res = await sendSigned(`${url}/users/u-1001/audit`, partner(), { region: region() });
    expect(res.status).to.equal(403);
    expect(res.json().Message).to.match(/assumed-role\/other-account-caller\/local is not authorized .*\/v1\/GET\/users\/u-1001\/audit with an explicit deny$/);
  });

  it("denies it a route it was not granted: the allowed account gets nothing account-wide", async () => {
    const res = await sendSigned(`${url}/users`, partner(), { method: "POST", body: '{"name":"x","email":"x@example.com"}', region: region() });
    expect(res.status).to.equal(403);
    expect(res.json().Message).to.match(/not authorized to perform: execute-api:Invoke on resource: .*\/v1\/POST\/users$/);
  });

  it("shows the same in the access report: no error, a warning for each route nobody holds", () => {
    const report = buildAccessReport(offline.model);
    const allowed = (id: string) => report.decisions.filter((d) => d.principal === id && d.decision === "allow").map((d) => d.route);
    expect(allowed(partnerRole)).to.deep.equal(["GET /users/{id}"]);
    expect(allowed(`arn:aws:iam::${DEFAULT_OTHER_ACCOUNT_ID}:role/any-principal`)).to.deep.equal([]);
    expect(report.findings.map((f) => `${f.severity} ${f.message}`)).to.deep.equal([
      "warning nobody can call xacct-users POST /users",
      "warning nobody can call xacct-users GET /users/{id}/audit",
    ]);
  });
});
