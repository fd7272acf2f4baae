import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Testing, TerraformStack } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { InternalApi, type InternalApiProps } from "../../../modules/internal-api.js";
import { NodeFunction } from "../../../modules/node-function.js";
import type { Route } from "../../../modules/routes.js";

const buildDir = mkdtempSync(join(tmpdir(), "sia-fn-"));

type Routes = (fn: NodeFunction) => Route[];
type Grant = (api: InternalApi, fn: NodeFunction) => void;

/** A stack with one function and one internal API built by `routes(fn)`, after `grant`. */
function internalApiStack(routes: Routes, props: Partial<InternalApiProps>, grant?: Grant): TerraformStack {
  const stack = new TerraformStack(Testing.app(), "test");
  new AwsProvider(stack, "aws", { region: "us-east-1" });
  const fn = new NodeFunction(stack, "fn", { entry: "lambdas/users/handler.ts", functionName: "test-fn", buildDir });
  const api = new InternalApi(stack, "svc", { name: "svc", routes: routes(fn), ...props });
  grant?.(api, fn);
  return stack;
}

/** The Terraform JSON of {@link internalApiStack}. */
export function synthInternalApi(routes: Routes, props: Partial<InternalApiProps> = {}, grant?: Grant): Record<string, any> {
  return JSON.parse(Testing.synth(internalApiStack(routes, props, grant)));
}

/** The warnings synth annotates the same stack with (cdktf's `Annotations`). */
export function synthWarnings(routes: Routes, props: Partial<InternalApiProps> = {}, grant?: Grant): string[] {
  const stack = internalApiStack(routes, props, grant);
  Testing.synth(stack);
  return stack.node.findAll().flatMap((node) => node.node.metadata.filter((m) => m.type === "@cdktf/warn").map((m) => String(m.data)));
}

export function deploymentTrigger(json: Record<string, any>): string {
  const deployments = Object.values(json.resource.aws_api_gateway_deployment) as Array<{ triggers: { redeployment: string } }>;
  return deployments[0]!.triggers.redeployment;
}
