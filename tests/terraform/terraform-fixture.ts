import type { Context } from "mocha";
import { findTerraform, type TerraformCli } from "../../terraform/cli.js";

let found: Promise<TerraformCli | { reason: string }> | undefined;

/** The Terraform CLI for these tests; skips the test (saying why) when there is none. */
export async function terraformOrSkip(context: Context): Promise<TerraformCli> {
  found ??= findTerraform();
  const cli = await found;
  if ("reason" in cli) {
    console.log(`      skipped: ${cli.reason}`);
    context.skip();
  }
  return cli as TerraformCli;
}

/** Skips the test (saying why) when a step reported the provider cannot be had. */
export function skipWhen(context: Context, result: { status: string; reason?: string }): void {
  if (result.status === "skipped") {
    console.log(`      skipped: ${result.reason}`);
    context.skip();
  }
}
