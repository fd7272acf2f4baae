import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { FunctionModel, RestApiModel, RoleModel, StackModel, TableModel, UserPoolModel } from "../model.js";
import type { LocalPlacement } from "./attributes.js";
import { loadStack } from "./load-stack.js";
import { StackLoadError } from "./terraform-json.js";

/** Options of {@link loadApp}. */
export interface LoadAppOptions extends Omit<LocalPlacement, "remoteStateOutput"> {
  /** The synthesized app: `cdktf.out`, holding `manifest.json` and `stacks/<name>/`. */
  readonly appDir: string;
  /** The stacks to serve. @default every stack of the app */
  readonly stacks?: readonly string[];
}

/** The stacks served together, one model for the gateway, and each stack on its own. */
export interface AppModel {
  /** Every served stack's APIs, functions, roles and permissions in one model. */
  readonly model: StackModel;
  /** The served stacks, dependencies first. */
  readonly stacks: readonly StackModel[];
}

interface Manifest {
  readonly stacks: Record<string, { readonly synthesizedStackPath: string; readonly dependencies?: readonly string[] }>;
}

/**
 * Reads the stacks of a synthesized CDKTF app (`manifest.json`) and serves them together. A
 * cross-stack reference (CDKTF writes it as an output of one stack and a `terraform_remote_state`
 * of the other) resolves to the other stack's output as that stack computes it; a stack that is
 * needed but not named is loaded for its outputs only (its APIs are not served). Two stacks
 * declaring the same API, function or role stop the load, naming both addresses.
 */
export function loadApp(options: LoadAppOptions): AppModel {
  const manifest = readManifest(options.appDir);
  const names = Object.keys(manifest.stacks ?? {});
  for (const name of options.stacks ?? []) {
    if (!names.includes(name)) throw new StackLoadError("--stack", `no stack '${name}' in ${options.appDir} (stacks: ${names.join(", ")})`);
  }
  const served = new Set(options.stacks ?? names);

  const loaded = new Map<string, StackModel>();
  const load = (name: string, via: readonly string[]): StackModel => {
    const done = loaded.get(name);
    if (done) return done;
    if (via.includes(name)) throw new StackLoadError(`stack ${name}`, `depends on itself through ${via.join(" -> ")}`);
    const entry = manifest.stacks[name];
    if (!entry) throw new StackLoadError(`stack ${via.at(-1)}`, `depends on stack '${name}', which is not in the app`);
    for (const dependency of entry.dependencies ?? []) load(dependency, [...via, name]);
    const stackDir = join(options.appDir, entry.synthesizedStackPath, "..");
    const model = loadStack({
      stackDir,
      accountId: options.accountId,
      region: options.region,
      endpoint: options.endpoint,
      remoteStateOutput: (stack, output) => loaded.get(stack)?.outputs[output],
      otherUserPools: new Map([...loaded.values()].flatMap((other) => [...other.userPools])),
    });
    loaded.set(name, model);
    return model;
  };
  for (const name of names) if (served.has(name)) load(name, []);
  const stacks = [...loaded].filter(([name]) => served.has(name)).map(([, model]) => model);
  return { model: mergeStacks(stacks), stacks };
}

function readManifest(appDir: string): Manifest {
  const manifestFile = join(appDir, "manifest.json");
  if (!existsSync(manifestFile)) throw new StackLoadError(manifestFile, "no synthesized app here (run the synth first)");
  return JSON.parse(readFileSync(manifestFile, "utf8")) as Manifest;
}

/** The stack folders of a synthesized app, in manifest order. */
export function appStackDirs(appDir: string): string[] {
  return Object.values(readManifest(appDir).stacks ?? {}).map((entry) => join(appDir, entry.synthesizedStackPath, ".."));
}

/** One model of several stacks; what AWS would refuse as a duplicate stops the load. */
function mergeStacks(stacks: readonly StackModel[]): StackModel {
  if (stacks.length === 1) return stacks[0]!;
  const first = stacks[0];
  if (!first) throw new StackLoadError("--stack", "no stack to serve");
  const apis = new Map<string, RestApiModel>();
  const functions = new Map<string, FunctionModel>();
  const roles = new Map<string, RoleModel>();
  const tables = new Map<string, TableModel>();
  const userPools = new Map<string, UserPoolModel>();
  const unique = <T extends { address: string }>(map: Map<string, T>, key: string, value: T, stack: string, what: string) => {
    const other = map.get(key);
    if (other) throw new StackLoadError(`${stack}: ${value.address}`, `declares ${what} '${key}' that ${other.address} of another stack declares too`);
    map.set(key, value);
  };
  for (const stack of stacks) {
    for (const [id, api] of stack.apis) unique(apis, id, api, stack.stackName, "REST API id");
    for (const [name, fn] of stack.functions) unique(functions, name, fn, stack.stackName, "function");
    for (const [arn, role] of stack.roles) unique(roles, arn, role, stack.stackName, "role");
    for (const [name, table] of stack.tables) unique(tables, name, table, stack.stackName, "DynamoDB table");
    for (const [id, pool] of stack.userPools) unique(userPools, id, pool, stack.stackName, "user pool");
  }
  return {
    stackName: stacks.map((s) => s.stackName).join(" + "),
    accountId: first.accountId,
    region: first.region,
    apis,
    functions,
    roles,
    userPools,
    tables,
    permissions: stacks.flatMap((s) => s.permissions),
    outputs: Object.assign({}, ...stacks.map((s) => s.outputs)) as Record<string, string>,
  };
}
