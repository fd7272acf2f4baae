import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "chai";
import { parse } from "@cdktf/hcl2json";
import { TerraformStack, Testing } from "cdktf";
import { InternalApi } from "../../modules/internal-api.js";
import { NodeFunction } from "../../modules/node-function.js";
import { resolveRoutes, type HttpMethod, type Route } from "../../modules/routes.js";
import { Table, type TableItemAction } from "../../modules/table.js";
import { ApiWebAcl } from "../../modules/web-acl.js";
import { TERRAFORM_MODULES_DIR } from "../../terraform/modules.js";

type Variables = Record<string, any>;
interface TfRun {
  expect_failures?: string[];
  variables?: Variables[];
}

/** A module's terraform test as cases: each run's effective variables and whether the module refuses them. */
async function casesOf(module: string, file: string): Promise<Array<{ name: string; variables: Variables; refused: boolean }>> {
  const text = readFileSync(join(TERRAFORM_MODULES_DIR, module, "tests", file), "utf8");
  const document = (await parse(file, text)) as { run: Record<string, TfRun[]>; variables?: Variables[] };
  const defaults = document.variables?.[0] ?? {};
  return Object.entries(document.run).map(([name, [run]]) => ({
    name,
    variables: { ...defaults, ...run!.variables?.[0] },
    // hcl2json writes the references in expect_failures as `${var.x}`.
    refused: (run!.expect_failures ?? []).some((reference) => reference.startsWith("${var.")),
  }));
}

const asRoutes = (routes: Array<{ method: string; path: string; function: { function_name: string; invoke_arn: string } }>): Route[] =>
  routes.map((r) => ({
    method: r.method as HttpMethod,
    path: r.path,
    function: { functionName: r.function.function_name, invokeArn: r.function.invoke_arn, node: { path: r.function.function_name } },
  }));

const buildDir = mkdtempSync(join(tmpdir(), "sia-checks-"));
after(() => rmSync(buildDir, { recursive: true, force: true }));

/**
 * Each module's terraform test doubles as the table of cases for its construct: every run that
 * expects a variable to be refused must make the construct throw at synth time, every other run's
 * inputs must synthesize. So the modules' validation blocks and the constructs' checks cannot
 * drift apart unnoticed. Checks only one side has are listed with the reason.
 */
const MODULES: Array<{
  module: string;
  file: string;
  /** Builds the construct from a run's variables; throws what the construct throws. */
  synth: (v: Variables) => void;
  /** Runs whose check exists in the module only, and why. */
  moduleOnly?: Record<string, string>;
}> = [
  {
    module: "lambda-routes",
    file: "route_table.tftest.hcl",
    synth: (v) => void resolveRoutes(asRoutes(v.routes), "InternalApi 'checks'"),
    moduleOnly: { rejects_a_path_deeper_than_five_segments: "the module builds the resource tree one block per level, five levels" },
  },
  {
    module: "api-stage",
    file: "stage.tftest.hcl",
    synth: (v) =>
      void new InternalApi(new TerraformStack(Testing.app(), "checks"), "checks", {
        name: v.rest_api_name,
        routes: asRoutes([{ method: "GET", path: "/x", function: { function_name: "f", invoke_arn: "arn" } }]),
        stageName: v.stage_name,
        throttle: { rateLimit: v.throttling_rate_limit, burstLimit: v.throttling_burst_limit },
        logRetentionDays: v.retention_in_days,
      }),
  },
  {
    module: "internal-api",
    file: "security.tftest.hcl",
    synth: (v) => {
      const stack = new TerraformStack(Testing.app(), "checks");
      const api = new InternalApi(stack, "checks", {
        name: v.name,
        routes: asRoutes(v.routes),
        allowedAccountIds: v.allowed_account_ids,
        organizationId: v.organization_id,
      });
      const role = { roleName: "r", roleArn: "arn:aws:iam::123456789012:role/r", setGrantStatements: () => undefined };
      for (const grant of Object.values(v.grants ?? {}) as Array<{ routes: string[] }>) {
        for (const key of grant.routes) {
          const [method, path] = key.split(" ");
          api.grantInvoke(role, method as HttpMethod, path!);
        }
      }
      for (const grant of Object.values(v.cross_account_grants ?? {}) as Array<{ role_arn: string; routes: string[] }>) {
        for (const key of grant.routes) {
          const [method, path] = key.split(" ");
          api.grantInvoke(grant.role_arn, method as HttpMethod, path!);
        }
      }
    },
    moduleOnly: { rejects_a_grant_name_iam_refuses: "a module grant's name becomes part of an IAM policy name; a construct grant has no name" },
  },
  {
    module: "api-web-acl",
    file: "web_acl.tftest.hcl",
    synth: (v) => {
      const stack = new TerraformStack(Testing.app(), "checks");
      const route = asRoutes([{ method: "GET", path: "/x", function: { function_name: "f", invoke_arn: "arn" } }]);
      const stages = Object.keys(v.stage_arns).map((key) => new InternalApi(stack, key, { name: key, routes: route }).stage);
      new ApiWebAcl(stack, "checks", { name: v.name, stages, rateLimitPerIp: v.rate_limit_per_ip, evaluationWindowSec: v.evaluation_window_sec });
    },
  },
  {
    module: "table",
    file: "least_privilege.tftest.hcl",
    synth: (v) => {
      const table = new Table(new TerraformStack(Testing.app(), "checks"), "checks", { tableName: v.name });
      const role = { roleName: "r", roleArn: "arn:aws:iam::123456789012:role/r", setGrantStatements: () => undefined };
      for (const grant of Object.values(v.grants ?? {}) as Array<{ actions: TableItemAction[]; indexes?: string[] }>) {
        table.grant(role, grant.actions, { indexes: grant.indexes ?? [] });
      }
    },
  },
  {
    module: "node-function",
    file: "least_privilege.tftest.hcl",
    synth: (v) =>
      void new NodeFunction(new TerraformStack(Testing.app(), "checks"), "checks", {
        entry: "lambdas/users/handler.ts",
        functionName: v.function_name,
        memorySize: v.memory_size,
        timeout: v.timeout,
        logRetentionDays: v.retention_in_days,
        buildDir,
      }),
  },
];

describe("validation: each module refuses exactly what its construct refuses", function () {
  this.timeout(60_000);

  for (const { module, file, synth, moduleOnly = {} } of MODULES) {
    it(`${module}: every input its terraform test refuses, the construct refuses; every other, it accepts`, async () => {
      const cases = await casesOf(module, file);
      const refused = cases.filter((c) => c.refused && !(c.name in moduleOnly));
      expect(refused.length, `${module} has refusal cases`).to.be.greaterThan(0);
      // A TypeError would be this test's own mapping failing, not the construct's check.
      for (const c of refused) expect(() => synth(c.variables), `${module}: ${c.name}`).to.throw().that.is.not.instanceOf(TypeError);
      for (const c of cases.filter((c) => !c.refused)) expect(() => synth(c.variables), `${module}: ${c.name}`).not.to.throw();
      for (const name of Object.keys(moduleOnly)) expect(cases.map((c) => c.name), `${module}: module-only check ${name}`).to.include(name);
    });
  }
});
