/**
 * A large generated estate for the access report: many internal APIs, each with nested routes
 * (literal and `{param}` segments), and many roles each granted a few routes with the real
 * constructs (`InternalApi.grantInvoke`, exact grants included). The same for the same shape:
 * role r's g-th grant is picked by strides that are prime to the table sizes, so grants spread.
 */
import { join } from "node:path";
import { App, TerraformStack } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { AssumableRole } from "../../modules/assumable-role.js";
import { InternalApi } from "../../modules/internal-api.js";
import { NodeFunction } from "../../modules/node-function.js";
import type { Route } from "../../modules/routes.js";

export interface AccessEstateShape {
  readonly apis: number;
  /** Resources per API; each gets GET, and every other one POST too. */
  readonly resourcesPerApi: number;
  readonly roles: number;
  readonly grantsPerRole: number;
}

export const LARGE_ESTATE: AccessEstateShape = { apis: 20, resourcesPerApi: 16, roles: 200, grantsPerRole: 4 };

/** What was granted, by role name: `api-name METHOD path`. */
export type EstateGrants = Map<string, string[]>;

/** Paths like /orders, /orders/{ordersId}, /orders/{ordersId}/lines, /orders/{ordersId}/lines/{linesId}. */
function pathsOf(count: number): string[] {
  const paths: string[] = [];
  for (let i = 0; paths.length < count; i++) {
    const base = `/r${i}`;
    paths.push(base, `${base}/{r${i}Id}`, `${base}/{r${i}Id}/items`, `${base}/{r${i}Id}/items/{itemId}`);
  }
  return paths.slice(0, count);
}

/** Synthesizes the estate into `outdir/stacks/estate`; returns the stack dir, the grants made and synth's warnings. */
export function synthEstate(shape: AccessEstateShape, outdir: string): { stackDir: string; grants: EstateGrants; routes: number; warnings: string[] } {
  const app = new App({ outdir });
  const stack = new TerraformStack(app, "estate");
  new AwsProvider(stack, "aws", { region: "us-east-1" });
  const fn = new NodeFunction(stack, "service", { entry: "lambdas/users/handler.ts", functionName: "estate-service", buildDir: join(outdir, "build") });
  const apis: Array<{ api: InternalApi; name: string; routes: Route[] }> = [];
  for (let a = 0; a < shape.apis; a++) {
    const routes: Route[] = pathsOf(shape.resourcesPerApi).flatMap((path, i) => [
      { method: "GET" as const, path, function: fn },
      ...(i % 2 === 0 ? [{ method: "POST" as const, path, function: fn }] : []),
    ]);
    const name = `estate-api-${a}`;
    apis.push({ api: new InternalApi(stack, `api-${a}`, { name, routes }), name, routes });
  }
  const grants: EstateGrants = new Map();
  for (let r = 0; r < shape.roles; r++) {
    const roleName = `estate-role-${r}`;
    const role = new AssumableRole(stack, `role-${r}`, { roleName, trustedAccountId: "123456789012" });
    const held = new Set<string>();
    for (let g = 0; g < shape.grantsPerRole; g++) {
      const { api, name, routes } = apis[(r * 7 + g * 3) % apis.length]!;
      const route = routes[(r * 11 + g * 5 + Math.floor(r / apis.length)) % routes.length]!;
      api.grantInvoke(role, route.method, route.path);
      held.add(`${name} ${route.method} ${route.path}`);
    }
    grants.set(roleName, [...held].sort());
  }
  app.synth();
  // Where IAM cannot keep a grant exact, synth said so (InternalApi's warnings).
  const warnings = stack.node.findAll().flatMap((node) => node.node.metadata.filter((m) => m.type === "@cdktf/warn").map((m) => String(m.data)));
  return { stackDir: join(outdir, "stacks", "estate"), grants, routes: apis.reduce((n, a) => n + a.routes.length, 0), warnings };
}
