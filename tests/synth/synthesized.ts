import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { STACK_NAME, synthReferenceApp } from "../../main.js";

/** The synthesized Terraform JSON, as far as these tests read it. */
export interface TerraformJson {
  resource: Record<string, Record<string, Record<string, any>>>;
  output: Record<string, { value: string; description?: string }>;
  provider: Record<string, unknown[]>;
  terraform: Record<string, any>;
}

export interface Synthesized {
  readonly stackDir: string;
  readonly json: TerraformJson;
  readonly text: string;
}

/** Synthesizes the reference stack from main.ts into a fresh temporary folder. */
export function synthReferenceStack(env: NodeJS.ProcessEnv = {}): Synthesized {
  const outdir = mkdtempSync(join(tmpdir(), "sia-synth-"));
  synthReferenceApp({ outdir, env });
  const stackDir = join(outdir, "stacks", STACK_NAME);
  const text = readFileSync(join(stackDir, "cdk.tf.json"), "utf8");
  return { stackDir, json: JSON.parse(text) as TerraformJson, text };
}

/** `[address, config]` pairs of every resource of a type. */
export function resourcesOf(json: TerraformJson, type: string): Array<[string, Record<string, any>]> {
  return Object.entries(json.resource[type] ?? {}).map(([name, config]) => [`${type}.${name}`, config]);
}

/** The `${type.name.attr}` reference to a resource's attribute. */
export function ref(address: string, attribute: string): string {
  return "${" + address + "." + attribute + "}";
}
