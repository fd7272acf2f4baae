import { readFileSync } from "node:fs";
import { join } from "node:path";
import { expect } from "chai";
import { parse } from "@cdktf/hcl2json";
import { resolveRoutes, RouteTableError, type Route } from "../../modules/routes.js";
import { TERRAFORM_MODULES_DIR } from "../../terraform/modules.js";

interface TfRoute {
  method: string;
  path: string;
  function: { function_name: string; invoke_arn: string };
}
interface TfRun {
  expect_failures?: string[];
  variables?: Array<{ routes?: TfRoute[] }>;
}

/**
 * The lambda-routes module's terraform test is the table of route-table cases: every run that
 * expects `var.routes` to fail must be refused by the construct's `resolveRoutes` too, and every
 * run that gives routes and expects no failure must be accepted, so the module's validation
 * blocks and the construct's checks cannot drift apart unnoticed.
 */
describe("route table checks: the module's validation blocks and the construct's agree", () => {
  const file = join(TERRAFORM_MODULES_DIR, "lambda-routes", "tests", "route_table.tftest.hcl");
  let runs: Array<[string, TfRun]>;

  before(async () => {
    const document = (await parse("route_table.tftest.hcl", readFileSync(file, "utf8"))) as { run: Record<string, TfRun[]>; variables: Array<{ routes: TfRoute[] }> };
    runs = Object.entries(document.run).map(([name, [run]]) => [name, run!]);
    // A run without its own routes uses the file's; give each run its effective table.
    for (const [, run] of runs) if (!run.variables?.[0]?.routes) run.variables = [{ routes: document.variables[0]!.routes }];
  });

  const asConstructRoutes = (routes: readonly TfRoute[]): Route[] =>
    routes.map((r) => ({
      method: r.method as Route["method"],
      path: r.path,
      function: { functionName: r.function.function_name, invokeArn: r.function.invoke_arn, node: { path: r.function.function_name } },
    }));

  it("refuses, in the construct, every route table the module refuses", () => {
    const refused = runs.filter(([, run]) => run.expect_failures?.includes("${var.routes}"));
    expect(refused.length).to.be.greaterThan(8);
    for (const [name, run] of refused) {
      const routes = asConstructRoutes(run.variables![0]!.routes!);
      // The module's 5-segment limit is its own (one resource block per level); the construct has none.
      if (name === "rejects_a_path_deeper_than_five_segments") continue;
      expect(() => resolveRoutes(routes, "InternalApi 'parity'"), name).to.throw(RouteTableError);
    }
  });

  it("accepts, in the construct, every route table the module accepts", () => {
    const accepted = runs.filter(([, run]) => !run.expect_failures);
    expect(accepted.length).to.be.greaterThan(2);
    for (const [name, run] of accepted) {
      expect(() => resolveRoutes(asConstructRoutes(run.variables![0]!.routes!), "InternalApi 'parity'"), name).not.to.throw();
    }
  });
});
