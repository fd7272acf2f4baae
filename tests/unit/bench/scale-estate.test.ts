import { expect } from "chai";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Testing } from "cdktf";
import { callerGrants, estateRoute, estateShape, ScaleEstateStack } from "../../../bench/scale/estate.js";
import { AssumableRole } from "../../../modules/assumable-role.js";
import { InternalApi } from "../../../modules/internal-api.js";

const buildDir = mkdtempSync(join(tmpdir(), "sia-scale-fn-"));

describe("the scale benchmark's generated estate", () => {
  it("grows routes and callers by the factor, and grants each caller the same number of routes at every size", () => {
    for (const factor of [1, 4, 16]) {
      const shape = estateShape(factor);
      expect(shape.apis * shape.routesPerApi).to.equal(50 * factor);
      expect(shape.callers).to.equal(8 * factor);
      for (let i = 0; i < shape.callers; i++) {
        const grants = callerGrants(shape, i);
        expect(new Set(grants.map((g) => `${g.api}/${g.route}`)).size).to.equal(shape.grantsPerCaller);
        expect(grants.every((g) => g.api < shape.apis && g.route < shape.routesPerApi)).to.equal(true);
      }
    }
    expect(() => estateShape(2)).to.throw(/must be a square/);
  });

  it("synthesizes a 16× estate within every quota: each API's function gets one permission for its stage", function () {
    this.timeout(60_000);
    const stack = new ScaleEstateStack(Testing.app(), "scale", estateShape(16), buildDir);
    const json = JSON.parse(Testing.synth(stack, true));
    const sources = Object.values(json.resource.aws_lambda_permission as Record<string, { source_arn: string }>).map((p) => p.source_arn.replace(/^\$\{[^}]+\}/, ""));
    expect(sources).to.deep.equal(Array(estateShape(16).apis).fill("/v1/*/*"));
  });

  it("fails synth naming the IAM quota when one caller of a 16×-sized API is granted every route", function () {
    this.timeout(60_000);
    const stack = new ScaleEstateStack(Testing.app(), "scale", estateShape(1), buildDir);
    const shape = estateShape(16);
    const target = { functionName: "big", invokeArn: "arn:aws:apigateway:us-east-1:lambda:path/functions/big/invocations", node: { path: "scale/big" } };
    const routes = Array.from({ length: shape.routesPerApi }, (_, j) => ({ ...estateRoute(j), function: target }));
    const api = new InternalApi(stack, "big", { name: "big", routes });
    const greedy = new AssumableRole(stack, "greedy", { roleName: "greedy", trustedAccountId: "123456789012" });
    for (const route of routes) api.grantInvoke(greedy, route.method, route.path);
    expect(() => Testing.synth(stack, true)).to.throw(/AssumableRole 'scale\/greedy': its role's inline policy scale\/greedy\/grants\/policy would be \d+ characters, over the "IAM role policy size \(all inline policies of a role\)" quota of 10240 by \d+/);
  });
});
