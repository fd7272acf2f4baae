import { TerraformOutput, TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { AssumableRole } from "../../modules/assumable-role.js";
import { InternalApi } from "../../modules/internal-api.js";
import { NodeFunction } from "../../modules/node-function.js";
import type { Route } from "../../modules/routes.js";

/**
 * A generated estate for the scale benchmark, built with the real constructs. At factor k the
 * estate has k times the routes (APIs × routes per API, each grown by √k) and k times the
 * callers of 1×; every caller holds the same number of grants at every size, so what one request
 * costs to authorize should not grow with k.
 */
export interface EstateShape {
  readonly factor: number;
  readonly apis: number;
  readonly routesPerApi: number;
  readonly callers: number;
  readonly grantsPerCaller: number;
}

export function estateShape(factor: number): EstateShape {
  if (!Number.isInteger(Math.sqrt(factor))) throw new RangeError(`estate factor ${factor} must be a square (1, 4, 16, …)`);
  const root = Math.sqrt(factor);
  return { factor, apis: 2 * root, routesPerApi: 25 * root, callers: 8 * factor, grantsPerCaller: 4 };
}

/** The path of route `j`: a parameter route (`GET /res7/{id}`) or its collection (`POST /res7`). */
export function estateRoute(j: number): { method: "GET" | "POST"; path: string; requestPath: string } {
  const resource = `res${Math.floor(j / 2)}`;
  return j % 2 === 0
    ? { method: "GET", path: `/${resource}/{id}`, requestPath: `/${resource}/item-1` }
    : { method: "POST", path: `/${resource}`, requestPath: `/${resource}` };
}

/** The routes caller `i` is granted: `grantsPerCaller` of one API, spread over the table. */
export function callerGrants(shape: EstateShape, i: number): Array<{ api: number; route: number }> {
  return Array.from({ length: shape.grantsPerCaller }, (_, g) => ({ api: i % shape.apis, route: (i * 7 + g * 3) % shape.routesPerApi }));
}

/** One stack: one function per API serving all its routes, callers as roles with exact grants. */
export class ScaleEstateStack extends TerraformStack {
  constructor(scope: Construct, id: string, shape: EstateShape, buildDir: string) {
    super(scope, id);
    new AwsProvider(this, "aws", { region: "us-east-1" });
    const apis = Array.from({ length: shape.apis }, (_, a) => {
      const fn = new NodeFunction(this, `api${a}-function`, { entry: "lambdas/users/handler.ts", functionName: `scale-api${a}`, buildDir });
      const routes: Route[] = Array.from({ length: shape.routesPerApi }, (_, j) => ({ ...estateRoute(j), function: fn }));
      const api = new InternalApi(this, `api${a}`, { name: `scale-api${a}`, routes });
      new TerraformOutput(this, `api${a}_url`, { value: api.url });
      return api;
    });
    for (let i = 0; i < shape.callers; i++) {
      const caller = new AssumableRole(this, `caller${i}`, { roleName: `scale-caller${i}`, trustedAccountId: apis[0]!.accountId });
      for (const grant of callerGrants(shape, i)) {
        const route = estateRoute(grant.route);
        apis[grant.api]!.grantInvoke(caller, route.method, route.path);
      }
    }
  }
}
