import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Testing, TerraformStack } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { InternalApi, type InternalApiProps } from "../../../modules/internal-api.js";
import { NodeFunction } from "../../../modules/node-function.js";
import type { Route } from "../../../modules/routes.js";

const buildDir = mkdtempSync(join(tmpdir(), "sia-fn-"));

/** A stack with one function and one internal API built by `routes(fn)`; returns its Terraform JSON. */
export function synthInternalApi(
  routes: (fn: NodeFunction) => Route[],
  props: Partial<InternalApiProps> = {},
  grant?: (api: InternalApi, fn: NodeFunction) => void,
): Record<string, any> {
  const stack = new TerraformStack(Testing.app(), "test");
  new AwsProvider(stack, "aws", { region: "us-east-1" });
  const fn = new NodeFunction(stack, "fn", { entry: "lambdas/users/handler.ts", functionName: "test-fn", buildDir });
  const api = new InternalApi(stack, "svc", { name: "svc", routes: routes(fn), ...props });
  grant?.(api, fn);
  return JSON.parse(Testing.synth(stack));
}

export function deploymentTrigger(json: Record<string, any>): string {
  const deployments = Object.values(json.resource.aws_api_gateway_deployment) as Array<{ triggers: { redeployment: string } }>;
  return deployments[0]!.triggers.redeployment;
}
