import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "chai";
import { hclValue, readModuleInterface, renderDocs, typeExpression, updateModuleDocs } from "../../terraform/module-docs.js";
import { TERRAFORM_MODULES_DIR } from "../../terraform/modules.js";

describe("module README tables (npm run tf:docs)", function () {
  this.timeout(60_000);

  it("every committed README's Inputs/Outputs tables match variables.tf and outputs.tf", async () => {
    expect(await updateModuleDocs({ check: true }), "stale READMEs: run npm run tf:docs").to.deep.equal([]);
  });

  it("reports a README as stale when a variable is added, and rewrites only its tables", async () => {
    const root = mkdtempSync(join(tmpdir(), "sia-docs-"));
    try {
      cpSync(TERRAFORM_MODULES_DIR, root, { recursive: true, filter: (src) => !/\.terraform/.test(src) });
      const variables = join(root, "node-function", "variables.tf");
      writeFileSync(variables, readFileSync(variables, "utf8") + '\nvariable "layers" {\n  description = "Layer ARNs."\n  type        = list(string)\n  default     = []\n}\n');
      expect(await updateModuleDocs({ root, check: true })).to.deep.equal([join(root, "node-function", "README.md")]);
      const before = readFileSync(join(root, "node-function", "README.md"), "utf8");
      await updateModuleDocs({ root });
      const after = readFileSync(join(root, "node-function", "README.md"), "utf8");
      expect(after).to.include("| layers | Layer ARNs. | `list(string)` | `[]` | no |");
      expect(after.slice(0, after.indexOf("<!-- BEGIN_TF_DOCS -->"))).to.equal(before.slice(0, before.indexOf("<!-- BEGIN_TF_DOCS -->")));
      expect(await updateModuleDocs({ root, check: true })).to.deep.equal([]);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it("lists inputs in declaration order, required ones marked, defaults as HCL", async () => {
    const { inputs, outputs } = await readModuleInterface(join(TERRAFORM_MODULES_DIR, "internal-api"));
    expect(inputs.slice(0, 2).map((i) => [i.name, i.default])).to.deep.equal([["name", undefined], ["routes", undefined]]);
    expect(inputs.find((i) => i.name === "stage_name")!.default).to.equal('"v1"');
    expect(outputs.map((o) => o.name)).to.include("route_arns");
    expect(renderDocs(inputs, outputs)).to.match(/\| name \| The REST API's name\. \| `string` \| n\/a \| yes \|/);
  });

  it("writes a multi-line type on one line and a default as HCL", () => {
    expect(typeExpression("${map(object({\n    role_name = string\n    routes    = list(string)\n  }))}")).to.equal("map(object({ role_name = string, routes = list(string) }))");
    expect([hclValue(null), hclValue({}), hclValue([]), hclValue({ a: 1 }), hclValue("v1")]).to.deep.equal(["null", "{}", "[]", "{ a = 1 }", '"v1"']);
  });
});
