import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";

/** What the synth reads: a change to any of these makes `cdk.tf.json` stale. */
const SYNTH_INPUTS = ["main.ts", "modules", "lambdas", "package-lock.json", "cdktf.json"];

function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

/**
 * The settings a synth read from the environment (`SIA_*`, `AWS_REGION`), without reading main.ts:
 * `SIA_TEST_PRINCIPALS=true npm start` must not reuse a synth made without them.
 */
export function synthSettingsStamp(env: NodeJS.ProcessEnv): string {
  const keys = Object.keys(env).filter((key) => key.startsWith("SIA_") || key === "AWS_REGION").sort();
  return JSON.stringify(Object.fromEntries(keys.map((key) => [key, env[key]])));
}

const stampFile = (stackJson: string) => join(dirname(stackJson), ".synth-settings.json");

/** True when `stackJson` exists, is newer than every synth input and was made with the same settings. */
export function isSynthFresh(projectRoot: string, stackJson: string, env: NodeJS.ProcessEnv = process.env): boolean {
  if (!existsSync(stackJson) || !existsSync(stampFile(stackJson))) return false;
  if (readFileSync(stampFile(stackJson), "utf8") !== synthSettingsStamp(env)) return false;
  const synthAt = statSync(stackJson).mtimeMs;
  return SYNTH_INPUTS.every((input) => newestMtime(join(projectRoot, input)) <= synthAt);
}

/** Runs the synth (`tsx main.ts`) unless its output is fresh; throws with the synth's output when it fails. */
export function ensureFreshSynth(projectRoot: string, stackJson: string, log: (line: string) => void): void {
  if (isSynthFresh(projectRoot, stackJson)) return;
  log("Synthesizing the stack (main.ts or settings changed, or no synth yet)...");
  const result = spawnSync(process.execPath, ["--import", "tsx", "main.ts"], {
    cwd: projectRoot,
    env: { ...process.env, CHECKPOINT_DISABLE: "1" },
    encoding: "utf8",
  });
  if (result.status !== 0) {
    throw new Error(`synth failed (exit ${result.status ?? result.signal}):\n${result.stderr || result.stdout}`);
  }
  if (!existsSync(stackJson)) throw new Error(`synth finished but ${stackJson} does not exist`);
  writeFileSync(stampFile(stackJson), synthSettingsStamp(process.env));
}
