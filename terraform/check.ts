/**
 * `npm run tf:check`: synthesizes the reference stack into a temporary directory and runs
 * `terraform init`, `validate` and `plan` on it offline, with the real aws provider and fake
 * credentials. The plan must create exactly the resources the stack declares, and every method of
 * an internal API must be `AWS_IAM`.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { ApiGatewayMethod } from "@cdktf/provider-aws/lib/api-gateway-method";
import { STACK_NAME, settingsFromEnv, synthReferenceApp, type ReferenceStack } from "../main.js";
import { findTerraform, type TerraformCli } from "./cli.js";
import { declaredResourceAddresses, planOffline, type PlannedResource } from "./plan.js";

/** What {@link checkReferenceStack} found. */
export type StackCheckResult =
  | { readonly status: "passed"; readonly terraformVersion: string; readonly mirror?: string; readonly resources: readonly PlannedResource[] }
  | { readonly status: "skipped"; readonly reason: string };

/** Thrown when the plan does not match the stack: names every difference. */
export class StackPlanMismatchError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`terraform plan does not match the synthesized stack:\n  - ${problems.join("\n  - ")}`);
    this.name = "StackPlanMismatchError";
  }
}

/**
 * Compares a plan with the stack's declared resources; returns what is wrong (empty when nothing).
 * @param internalMethods addresses of the internal APIs' methods, each of which must be `AWS_IAM`.
 */
export function planProblems(declared: readonly string[], planned: readonly PlannedResource[], internalMethods: readonly string[]): string[] {
  const problems: string[] = [];
  const byAddress = new Map(planned.map((r) => [r.address, r]));
  for (const address of declared) if (!byAddress.has(address)) problems.push(`${address} is declared but not planned`);
  for (const r of planned) {
    if (!declared.includes(r.address)) problems.push(`${r.address} is planned but not declared`);
    if (r.actions.join(",") !== "create") problems.push(`${r.address} is planned as ${r.actions.join(",")}, expected create`);
  }
  for (const address of internalMethods) {
    const authorization = byAddress.get(address)?.after.authorization;
    if (authorization !== "AWS_IAM") problems.push(`${address} of an internal API has authorization ${String(authorization)}, expected AWS_IAM`);
  }
  return problems;
}

/**
 * Synthesizes the stack (settings from `env`) into a temporary directory and plans it offline.
 * @param cli a Terraform CLI from {@link findTerraform}; found here when left out.
 */
export async function checkReferenceStack(options: { env?: NodeJS.ProcessEnv; cli?: TerraformCli; keep?: boolean } = {}): Promise<StackCheckResult> {
  const found = options.cli ?? (await findTerraform());
  if ("reason" in found) return { status: "skipped", reason: found.reason };
  const env = options.env ?? process.env;
  const outdir = mkdtempSync(join(tmpdir(), "sia-tf-check-"));
  try {
    const app = synthReferenceApp({ outdir, env });
    const stack = app.node.findChild(STACK_NAME) as ReferenceStack;
    const stackDir = join(outdir, "stacks", STACK_NAME);
    const result = await planOffline(found, stackDir, { region: settingsFromEnv(env).region });
    if (result.status === "skipped") return result;
    const declared = declaredResourceAddresses(join(stackDir, "cdk.tf.json"));
    const internalMethods = stack.users.node
      .findAll()
      .filter((c): c is ApiGatewayMethod => c instanceof ApiGatewayMethod)
      .map((m) => `aws_api_gateway_method.${m.friendlyUniqueId}`);
    const problems = planProblems(declared, result.resources, internalMethods);
    if (internalMethods.length === 0) problems.push("the stack's internal API has no methods to check");
    if (problems.length > 0) throw new StackPlanMismatchError(problems);
    return { status: "passed", terraformVersion: found.version, mirror: found.mirror, resources: result.resources };
  } finally {
    if (!options.keep) rmSync(outdir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const started = Date.now();
  try {
    const result = await checkReferenceStack();
    if (result.status === "skipped") {
      console.log(`tf:check skipped: ${result.reason}`);
    } else {
      const source = result.mirror ? `mirror ${result.mirror}` : "registry";
      console.log(`tf:check passed: terraform ${result.terraformVersion} (aws provider from ${source}) validated and planned ${result.resources.length} resources in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    }
  } catch (error) {
    console.error(`tf:check failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
}
