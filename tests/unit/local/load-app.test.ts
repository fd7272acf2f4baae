import { expect } from "chai";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ORDERS_STACK_NAME, STACK_NAME, synthReferenceApp } from "../../../main.js";
import { loadApp } from "../../../local/loader/load-app.js";
import { StackLoadError } from "../../../local/loader/terraform-json.js";

const placement = { accountId: "123456789012", region: "us-east-1", endpoint: "http://127.0.0.1:3000" };

describe("loadApp: several stacks of one CDKTF app, served together", function () {
  this.timeout(60_000);
  let appDir: string;
  before(() => {
    appDir = mkdtempSync(join(tmpdir(), "sia-app-"));
    synthReferenceApp({ outdir: appDir, env: {} });
  });
  after(() => rmSync(appDir, { recursive: true, force: true }));

  /** A copy of the app whose manifest `edit` changes. */
  function editedApp(edit: (manifest: any) => void): string {
    const copy = mkdtempSync(join(tmpdir(), "sia-app-edit-"));
    cpSync(appDir, copy, { recursive: true });
    const manifest = JSON.parse(readFileSync(join(copy, "manifest.json"), "utf8"));
    edit(manifest);
    writeFileSync(join(copy, "manifest.json"), JSON.stringify(manifest));
    return copy;
  }

  it("serves every stack, resolving orders' cross-stack references to the users stack's own values", () => {
    const { model, stacks } = loadApp({ appDir, ...placement });
    expect(stacks.map((s) => s.stackName)).to.deep.equal([STACK_NAME, ORDERS_STACK_NAME]);
    expect([...model.apis.values()].map((api) => api.name).sort()).to.deep.equal(["sia-orders-public", "sia-public", "sia-users-internal"]);
    const users = stacks[0]!;
    const orders = model.functions.get("sia-orders")!;
    expect(orders.environment.USERS_API_URL).to.equal(users.outputs.users_api_url);
    const ordersRole = [...model.roles.values()].find((role) => role.name === "sia-orders-role")!;
    const granted = JSON.stringify(ordersRole.policies.map((p) => p.document));
    expect(granted).to.include(`arn:aws:execute-api:us-east-1:123456789012:${users.outputs.users_api_id}/v1/GET/users/*`);
  });

  it("serves only the stacks named, still reading the outputs of the stacks they depend on", () => {
    const { model, stacks } = loadApp({ appDir, stacks: [ORDERS_STACK_NAME], ...placement });
    expect(stacks.map((s) => s.stackName)).to.deep.equal([ORDERS_STACK_NAME]);
    expect([...model.apis.values()].map((api) => api.name)).to.deep.equal(["sia-orders-public"]);
    expect(model.functions.get("sia-orders")!.environment.USERS_API_URL).to.match(/^http:\/\/127\.0\.0\.1:3000\/restapis\/[a-z0-9]{10}\/v1$/);
  });

  it("refuses a stack name the app does not have, listing the ones it has", () => {
    expect(() => loadApp({ appDir, stacks: ["nope"], ...placement })).to.throw(StackLoadError, `no stack 'nope' in ${appDir} (stacks: ${STACK_NAME}, ${ORDERS_STACK_NAME})`);
  });

  it("refuses a cross-stack reference it cannot resolve, naming the remote state", () => {
    const copy = editedApp((manifest) => {
      delete manifest.stacks[STACK_NAME];
      manifest.stacks[ORDERS_STACK_NAME].dependencies = [];
    });
    try {
      expect(() => loadApp({ appDir: copy, ...placement })).to.throw(
        StackLoadError,
        `data.terraform_remote_state.cross-stack-reference-input-${STACK_NAME}`,
      );
      expect(() => loadApp({ appDir: copy, ...placement })).to.throw(/not among the synthesized stacks loaded/);
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  });

  it("refuses two stacks that declare the same API, naming both", () => {
    const copy = editedApp((manifest) => {
      manifest.stacks.twin = { ...manifest.stacks[STACK_NAME], dependencies: [] };
    });
    try {
      expect(() => loadApp({ appDir: copy, stacks: [STACK_NAME, "twin"], ...placement })).to.throw(StackLoadError, /declares REST API id '[a-z0-9]{10}' that aws_api_gateway_rest_api\.\S+ of another stack declares too/);
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  });
});
