import { execFile } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { findPluginMirror, renderCliConfig } from "./cli-config.js";

const run = promisify(execFile);

/** Project-local Terraform state of the checks: CLI config and plugin cache (git-ignored `.build/`). */
export const TERRAFORM_WORK_DIR = resolve(".build/terraform");

/** A Terraform command that exited non-zero; carries its output so a test can show why. */
export class TerraformCommandError extends Error {
  constructor(
    readonly args: readonly string[],
    readonly cwd: string,
    readonly exitCode: number | string | undefined,
    readonly output: string,
  ) {
    super(`terraform ${args.join(" ")} failed in ${cwd} (exit ${String(exitCode)}):\n${output}`);
    this.name = "TerraformCommandError";
  }
}

/** A ready Terraform CLI: its binary, version and the environment every command runs with. */
export interface TerraformCli {
  readonly binary: string;
  readonly version: string;
  /** The aws provider mirror in use, or undefined when the provider comes from the registry. */
  readonly mirror?: string;
  readonly env: NodeJS.ProcessEnv;
  /** Runs `terraform ...args` in `cwd`; rejects with {@link TerraformCommandError}. */
  run(args: readonly string[], cwd: string): Promise<string>;
}

/** The `terraform init` in flight (see `run`); every CLI of this process shares it, as they share the cache. */
let initQueue: Promise<void> = Promise.resolve();

/**
 * Finds the Terraform CLI (`SIA_TERRAFORM`, else `terraform` on PATH) and writes the project-local
 * CLI config. Returns the reason instead when there is no CLI, so callers can skip and say why.
 */
export async function findTerraform(env: NodeJS.ProcessEnv = process.env): Promise<TerraformCli | { reason: string }> {
  const binary = env.SIA_TERRAFORM || "terraform";
  const mirror = findPluginMirror(env);
  // Only downloads are cached; a mirror's providers are linked in place (see renderCliConfig).
  const pluginCacheDir = mirror ? undefined : join(TERRAFORM_WORK_DIR, "plugin-cache");
  mkdirSync(pluginCacheDir ?? TERRAFORM_WORK_DIR, { recursive: true });
  const configFile = join(TERRAFORM_WORK_DIR, "terraformrc");
  writeFileSync(configFile, renderCliConfig({ pluginCacheDir, mirror }));
  const commandEnv: NodeJS.ProcessEnv = {
    ...env,
    TF_CLI_CONFIG_FILE: configFile,
    CHECKPOINT_DISABLE: "1",
    TF_IN_AUTOMATION: "1",
    TF_INPUT: "0",
    // A user's own settings must not leak into the checks.
    TF_PLUGIN_CACHE_DIR: pluginCacheDir,
    TF_PLUGIN_CACHE_MAY_BREAK_DEPENDENCY_LOCK_FILE: undefined,
    TF_DATA_DIR: undefined,
    TF_WORKSPACE: undefined,
    TF_LOG: undefined,
  };
  for (const name of Object.keys(commandEnv)) {
    if (name.startsWith("TF_VAR_") || commandEnv[name] === undefined) delete commandEnv[name];
  }
  let version: string;
  try {
    const { stdout } = await run(binary, ["version", "-json"], { env: commandEnv });
    version = (JSON.parse(stdout) as { terraform_version: string }).terraform_version;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return { reason: code === "ENOENT" ? `no Terraform CLI found ('${binary}' is not on PATH; set SIA_TERRAFORM)` : `'${binary} version' failed: ${String(error)}` };
  }
  return {
    binary,
    version,
    mirror,
    env: commandEnv,
    async run(args, cwd) {
      const command = async () => {
        try {
          const { stdout, stderr } = await run(binary, ["-chdir=" + cwd, ...args], {
            env: commandEnv,
            maxBuffer: 256 * 1024 * 1024,
          });
          return stdout + stderr;
        } catch (error) {
          const e = error as { code?: number | string; stdout?: string; stderr?: string };
          throw new TerraformCommandError(args, cwd, e.code, `${e.stdout ?? ""}${e.stderr ?? ""}`.trim());
        }
      };
      // A plugin cache (used only when there is no mirror) is not safe for concurrent installs, so
      // then inits run one at a time; everything else, and every init from a mirror, side by side.
      if (args[0] !== "init" || !pluginCacheDir) return command();
      const done = initQueue.then(command);
      initQueue = done.then(
        () => undefined,
        () => undefined,
      );
      return done;
    },
  };
}

/** Why `terraform init` could not get the provider, when that is the reason it failed; else undefined. */
export function providerUnavailableReason(error: unknown): string | undefined {
  if (!(error instanceof TerraformCommandError)) return undefined;
  const text = error.output;
  if (/Failed to (query available provider packages|install provider)|could not connect to registry|no available releases match|dial tcp|Could not retrieve the list of available versions/i.test(text)) {
    return `the hashicorp/aws provider cannot be installed (no mirror at ${process.env.SIA_TF_PLUGIN_MIRROR || "/opt/tf-plugins"} and no registry access)`;
  }
  return undefined;
}
