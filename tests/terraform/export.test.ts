import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "chai";
import { TerraformStack, Testing } from "cdktf";
import { Construct } from "constructs";
import { exportedModules, exportModules } from "../../modules/export/export.js";
import { ExportShapeError, ModuleDraft } from "../../modules/export/module-draft.js";
import { AWS_PROVIDER_RANGE } from "../../modules/export/module-files.js";
import { ROUTE_KEY_PATTERN } from "../../modules/export/route-table.js";
import { InternalApi } from "../../modules/internal-api.js";
import { NodeFunction } from "../../modules/node-function.js";
import { PublicApi } from "../../modules/public-api.js";

describe("module export", function () {
  this.timeout(60_000);
  let outDir: string;
  let modules: ReturnType<typeof exportedModules>;

  before(() => {
    outDir = mkdtempSync(join(tmpdir(), "sia-export-"));
    exportModules(outDir);
    modules = exportedModules();
  });
  after(() => rmSync(outDir, { recursive: true, force: true }));

  it("writes the internal API, the public API and the Node function, each a complete module folder", () => {
    expect(readdirSync(outDir).sort()).to.deep.equal(["internal-api", "node-function", "public-api"]);
    for (const name of readdirSync(outDir)) {
      expect(readdirSync(join(outDir, name)).sort()).to.deep.equal(["README.md", "main.tf", "outputs.tf", "tests", "variables.tf", "versions.tf"]);
      expect(readdirSync(join(outDir, name, "tests")).some((f) => f.endsWith(".tftest.hcl"))).to.equal(true);
    }
  });

  it("has no provider or backend blocks and no hash-suffixed names", () => {
    for (const name of readdirSync(outDir)) {
      for (const file of ["main.tf", "outputs.tf", "variables.tf", "versions.tf"]) {
        const text = readFileSync(join(outDir, name, file), "utf8");
        expect(text, `${name}/${file}`).not.to.match(/^\s*(provider\s+"|backend\s+")/m);
        // cdktf's logical ids end in _ and 8 hex digits; none may leak into a module.
        expect(text, `${name}/${file}`).not.to.match(/\b[a-z_]+\.[A-Za-z0-9_-]+_[0-9A-F]{8}\b/);
      }
      const resources = [...readFileSync(join(outDir, name, "main.tf"), "utf8").matchAll(/^resource "([a-z0-9_]+)" "([^"]+)"/gm)];
      expect(resources.length).to.be.greaterThan(2);
      for (const [, , resourceName] of resources) expect(resourceName).to.match(/^[a-z][a-z0-9_]*$/);
    }
    expect(readFileSync(join(outDir, "internal-api", "main.tf"), "utf8")).to.include('resource "aws_api_gateway_rest_api" "this"');
  });

  it("gives every variable a description and a type, and pins hashicorp/aws to the supported range", () => {
    for (const module of modules) {
      for (const variable of module.variables) {
        expect(variable.description, `${module.name}.${variable.name}`).to.match(/\S/);
        expect(variable.type, `${module.name}.${variable.name}`).to.match(/\S/);
      }
      const variablesTf = readFileSync(join(outDir, module.name, "variables.tf"), "utf8");
      expect(variablesTf.match(/^variable "/gm)).to.have.length(module.variables.length);
      expect(variablesTf.match(/^  description /gm)).to.have.length(module.variables.length);
      expect(variablesTf.match(/^  type /gm)).to.have.length(module.variables.length);
      expect(readFileSync(join(outDir, module.name, "versions.tf"), "utf8")).to.include(`version = "${AWS_PROVIDER_RANGE}"`);
    }
    expect(AWS_PROVIDER_RANGE).to.equal(">= 5.100, < 7.0");
  });

  it("documents every input and output in the README tables", () => {
    for (const module of modules) {
      const readme = readFileSync(join(outDir, module.name, "README.md"), "utf8");
      expect(readme).to.include("## Inputs").and.to.include("## Outputs");
      for (const v of module.variables) expect(readme).to.include(`| ${v.name} |`);
      for (const o of module.outputs) expect(readme).to.include(`| ${o.name} |`);
    }
  });

  it("keeps the constructs' security settings: internal methods AWS_IAM, public methods NONE, defaults from the constructs", () => {
    const internal = modules.find((m) => m.name === "internal-api")!;
    const publicApi = modules.find((m) => m.name === "public-api")!;
    expect(internal.main).to.match(/resource "aws_api_gateway_method" "route" \{[^}]*authorization = "AWS_IAM"/);
    expect(publicApi.main).to.match(/resource "aws_api_gateway_method" "route" \{[^}]*authorization = "NONE"/);
    // The defaults are whatever the constructs synthesize when the input is left out.
    const synthesizedDefaults = (build: (stack: TerraformStack) => void) => {
      const stack = new TerraformStack(Testing.app(), "defaults");
      build(stack);
      const resources = JSON.parse(Testing.synth(stack)).resource;
      const settings = Object.values(resources.aws_api_gateway_method_settings as Record<string, { settings: Record<string, number> }>)[0]!.settings;
      const stage = Object.values(resources.aws_api_gateway_stage as Record<string, { stage_name: string }>)[0]!.stage_name;
      return { rate: String(settings.throttling_rate_limit), burst: String(settings.throttling_burst_limit), stage: JSON.stringify(stage) };
    };
    const fn = { invokeArn: "arn", functionName: "f", node: { path: "f" } };
    const internalDefaults = synthesizedDefaults((s) => new InternalApi(s, "i", { name: "i", routes: [{ method: "GET", path: "/x", function: fn }] }));
    const publicDefaults = synthesizedDefaults((s) => new PublicApi(s, "p", { name: "p", routes: [{ method: "GET", path: "/x", function: fn, authorization: "NONE" }] }));
    const defaultOf = (module: typeof internal, name: string) => module.variables.find((v) => v.name === name)!.default;
    expect([defaultOf(internal, "throttle_rate_limit"), defaultOf(internal, "throttle_burst_limit"), defaultOf(internal, "stage_name")]).to.deep.equal([
      internalDefaults.rate,
      internalDefaults.burst,
      internalDefaults.stage,
    ]);
    expect([defaultOf(publicApi, "throttle_rate_limit"), defaultOf(publicApi, "throttle_burst_limit")]).to.deep.equal([publicDefaults.rate, publicDefaults.burst]);
  });

  it("accepts the route keys the constructs accept and rejects the ones they reject", () => {
    const routeKey = new RegExp(ROUTE_KEY_PATTERN);
    for (const key of ["GET /", "GET /users/{id}", "POST /users", "DELETE /a.b/c_d/~e-f"]) expect(key).to.match(routeKey);
    for (const key of ["ANY /users", "GET users", "GET /users/", "GET /a//b", "GET /users/{id+}", "get /users"]) expect(key).not.to.match(routeKey);
  });

  it("fails loudly when a construct no longer uses an input the export swaps for a variable", () => {
    const draft = ModuleDraft.synthesize(
      (scope) => new NodeFunction(new Construct(scope, "m"), "f", { entry: "lambdas/users/handler.ts", functionName: "plain-name", buildDir: join(outDir, ".build") }),
    );
    expect(() => draft.replaceString("siaexportfunction", "${var.function_name}")).to.throw(ExportShapeError, /not found/);
    expect(() => draft.replaceNumber(7919, "x")).to.throw(ExportShapeError, /not found/);
  });

  it("fails loudly when a construct gains a resource the export does not name", () => {
    const draft = ModuleDraft.synthesize(
      (scope) => new NodeFunction(new Construct(scope, "m"), "f", { entry: "lambdas/users/handler.ts", functionName: "plain-name", buildDir: join(outDir, ".build") }),
    );
    draft.name("function", "this").name("role", "this").name("logs", "this");
    expect(() => draft.renderMain()).to.throw(ExportShapeError, /without a module name: logs-policy/);
  });
});
