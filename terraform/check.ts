/**
 * `npm run tf:check`: synthesizes the app into a temporary directory and runs `terraform init`,
 * `validate` and `plan` offline on every stack, dependencies first, with the real aws provider and
 * fake credentials. A stack that reads another's outputs (a CDKTF cross-stack reference) is planned
 * against a placeholder state of that stack's declared outputs (`./cross-stack.ts`). Each plan must
 * create exactly the resources its stack declares, and every method of every internal API must be
 * `AWS_IAM`.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { ApiGatewayMethod } from "../modules/aws-provider-classes.js";
import type { IConstruct } from "constructs";
import { settingsFromEnv, synthReferenceApp } from "../main.js";
import { InternalApi } from "../modules/internal-api.js";
import { findTerraform, type TerraformCli } from "./cli.js";
import { crossStackInputs, type CrossStackInput, type SynthesizedStack } from "./cross-stack.js";
import { declaredResourceAddresses, planOffline, type PlannedResource } from "./plan.js";

/** What the offline plan of one stack found. */
export interface StackPlanResult {
  readonly stack: string;
  readonly resources: readonly PlannedResource[];
  /** The stack's cross-stack references and the placeholder outputs planned in their place. */
  readonly crossStackInputs: readonly CrossStackInput[];
  /** Wall time of its init, validate and plan. */
  readonly seconds: number;
}

/** What {@link checkApp} found: every stack's plan, dependencies first. */
export type AppCheckResult =
  | { readonly status: "passed"; readonly terraformVersion: string; readonly mirror?: string; readonly stacks: readonly StackPlanResult[] }
  | { readonly status: "skipped"; readonly reason: string };

/** Thrown when a plan does not match its stack: names the stack and every difference. */
export class StackPlanMismatchError extends Error {
  constructor(
    readonly stackName: string,
    readonly problems: readonly string[],
  ) {
    super(`terraform plan of stack '${stackName}' does not match the synthesized stack:\n  - ${problems.join("\n  - ")}`);
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
 * Synthesizes the app (settings from `env`) into a temporary directory and plans every stack
 * offline, dependencies first. Every cross-stack reference is checked before the first plan.
 * @param cli a Terraform CLI from {@link findTerraform}; found here when left out.
 */
export async function checkApp(options: { env?: NodeJS.ProcessEnv; cli?: TerraformCli; keep?: boolean } = {}): Promise<AppCheckResult> {
  const found = options.cli ?? (await findTerraform());
  if ("reason" in found) return { status: "skipped", reason: found.reason };
  const env = options.env ?? process.env;
  const outdir = mkdtempSync(join(tmpdir(), "sia-tf-check-"));
  try {
    const app = synthReferenceApp({ outdir, env });
    const stacks = stacksInDependencyOrder(outdir);
    const synthesized = new Map(stacks.map((s) => [s.name, JSON.parse(readFileSync(s.file, "utf8")) as SynthesizedStack]));
    const inputs = new Map(stacks.map((s) => [s.name, crossStackInputs(s.name, synthesized)]));
    if (internalApiMethods(app).length === 0) throw new Error(`no stack of the app (${stacks.map((s) => s.name).join(", ")}) has an internal API method to check`);

    const region = settingsFromEnv(env).region;
    const results: StackPlanResult[] = [];
    for (const { name, dir, file } of stacks) {
      const started = performance.now();
      const stackInputs = inputs.get(name) ?? [];
      const remoteStates = Object.fromEntries(stackInputs.map((input) => [input.dataSource, input.state]));
      const result = await planOffline(found, dir, { region, remoteStates });
      if (result.status === "skipped") return result;
      const problems = planProblems(declaredResourceAddresses(file), result.resources, internalApiMethods(app.node.findChild(name)));
      if (problems.length > 0) throw new StackPlanMismatchError(name, problems);
      results.push({ stack: name, resources: result.resources, crossStackInputs: stackInputs, seconds: (performance.now() - started) / 1000 });
    }
    return { status: "passed", terraformVersion: found.version, mirror: found.mirror, stacks: results };
  } finally {
    if (!options.keep) rmSync(outdir, { recursive: true, force: true });
  }
}

/** Addresses of the methods of every internal API in `scope`, found by construct type. */
function internalApiMethods(scope: IConstruct): string[] {
  return scope.node
    .findAll()
    .filter((c): c is InternalApi => c instanceof InternalApi)
    .flatMap((api) => api.node.findAll().filter((c): c is ApiGatewayMethod => c instanceof ApiGatewayMethod))
    .map((m) => `aws_api_gateway_method.${m.friendlyUniqueId}`);
}

/** A stack of the synthesized app: its name, folder and `cdk.tf.json`. */
interface SynthesizedStackFiles {
  readonly name: string;
  readonly dir: string;
  readonly file: string;
}

/** The app's stacks from its `manifest.json`, each after the stacks it depends on. */
export function stacksInDependencyOrder(appDir: string): SynthesizedStackFiles[] {
  const manifest = JSON.parse(readFileSync(join(appDir, "manifest.json"), "utf8")) as {
    stacks: Record<string, { readonly synthesizedStackPath: string; readonly workingDirectory: string; readonly dependencies?: readonly string[] }>;
  };
  const ordered: SynthesizedStackFiles[] = [];
  const visit = (name: string, via: readonly string[]): void => {
    if (ordered.some((s) => s.name === name)) return;
    if (via.includes(name)) throw new Error(`stack '${name}' depends on itself through ${[...via, name].join(" -> ")}`);
    const entry = manifest.stacks[name];
    if (!entry) throw new Error(`stack '${via.at(-1)}' depends on stack '${name}', which is not in the app`);
    for (const dependency of entry.dependencies ?? []) visit(dependency, [...via, name]);
    ordered.push({ name, dir: join(appDir, entry.workingDirectory), file: join(appDir, entry.synthesizedStackPath) });
  };
  for (const name of Object.keys(manifest.stacks)) visit(name, []);
  return ordered;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const started = performance.now();
  try {
    const result = await checkApp();
    if (result.status === "skipped") {
      console.log(`tf:check skipped: ${result.reason}`);
    } else {
      const source = result.mirror ? `mirror ${result.mirror}` : "registry";
      const stacks = result.stacks.map((s) => {
        const read = s.crossStackInputs.map((i) => `, ${i.outputsRead.length} placeholder outputs of ${i.producer}`).join("");
        return `${s.stack} (${s.resources.length} resources${read}, ${s.seconds.toFixed(1)} s)`;
      });
      console.log(`tf:check passed: terraform ${result.terraformVersion} (aws provider from ${source}) validated and planned ${stacks.join(", ")}; ${((performance.now() - started) / 1000).toFixed(1)} s in all`);
    }
  } catch (error) {
    console.error(`tf:check failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
}
