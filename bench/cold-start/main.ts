/**
 * Lambda cold start: each function's bundle (built by modules/bundle.ts, the bytes that ship),
 * its zip and minified size, and how long a fresh Node process takes to import it, against a
 * got-only bundle, a DynamoDB-client-only bundle and an empty module built the same way; and the
 * users function with the AWS SDK left to the runtime (resolved from node_modules), for the
 * bundled-vs-runtime SDK decision.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { unzipSync } from "fflate";
import { buildSync } from "esbuild";
import { BUNDLE_MODULE, bundleBuildOptions, bundleHandler, zipBundle } from "../../modules/bundle.js";
import { markdownTable, ratio, runBenchChild, withSpread, type BenchSection, type Goal } from "../section.js";
import { pairedRatio, summarize } from "../stats.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const IMPORT_ONCE = fileURLToPath(new URL("./import-once.mjs", import.meta.url));
const RUNS = 25;
export const CALLER_MAX_MINIFIED_BYTES = 250_000;
export const CALLER_IMPORT_GOAL = 1.3;
/** A function using a DynamoDB client, against that client alone: size and import. */
export const SDK_USER_GOAL = 1.15;

/** The Lambda environment the handlers initialize in (their module top level reads it). */
const LAMBDA_ENV = {
  PATH: process.env.PATH ?? "",
  AWS_LAMBDA_FUNCTION_NAME: "bench",
  AWS_REGION: "us-east-1",
  AWS_ACCESS_KEY_ID: "FAKEBENCHMARKKEY0001",
  AWS_SECRET_ACCESS_KEY: "benchmark/secret/key/not/a/real/one/000000",
  AWS_SESSION_TOKEN: "benchmark-session-token",
  USERS_API_URL: "https://a1b2c3d4e5.execute-api.us-east-1.amazonaws.com/v1/",
  USERS_TABLE_NAME: "sia-users",
  // Lambda's nodejs22.x gets no such warning; this machine's Node may.
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
};

interface Bundle {
  readonly name: string;
  readonly kind: "function" | "baseline";
  /** Calls an internal API through the signed client. */
  readonly caller: boolean;
  readonly entry: string;
  /** Built with the AWS SDK external and imported where node_modules resolves it, as the runtime's copy would be. */
  readonly runtimeSdk?: boolean;
}

function bundlesToMeasure(): Bundle[] {
  const functions = readdirSync(join(ROOT, "lambdas"))
    .filter((name) => existsSync(join(ROOT, "lambdas", name, "handler.ts")))
    .map((name): Bundle => {
      const entry = join(ROOT, "lambdas", name, "handler.ts");
      return { name, kind: "function", caller: readFileSync(entry, "utf8").includes("createSignedGot"), entry };
    });
  return [
    ...functions,
    { name: "users, SDK from node_modules", kind: "baseline", caller: false, entry: join(ROOT, "lambdas/users/handler.ts"), runtimeSdk: true },
    { name: "DynamoDB client only", kind: "baseline", caller: false, entry: join(ROOT, "bench/cold-start/dynamodb-get-only.ts") },
    { name: "got only", kind: "baseline", caller: false, entry: join(ROOT, "bench/cold-start/got-only.ts") },
    { name: "empty module", kind: "baseline", caller: false, entry: join(ROOT, "bench/cold-start/empty.ts") },
  ];
}

function importOnce(modulePath: string): { importMs: number; processMs: number } {
  const started = performance.now();
  const result = spawnSync(process.execPath, [IMPORT_ONCE, pathToFileURL(modulePath).href], { env: LAMBDA_ENV, encoding: "utf8", timeout: 30_000 });
  const processMs = performance.now() - started;
  if (result.status !== 0) throw new Error(`importing ${modulePath} failed (${result.status ?? result.signal}): ${result.stderr}`);
  return { importMs: (JSON.parse(result.stdout) as { importMs: number }).importMs, processMs };
}

const kb = (bytes: number) => `${(bytes / 1000).toFixed(1)} KB`;

async function measure(): Promise<BenchSection> {
  const work = mkdtempSync(join(tmpdir(), "sia-bench-cold-start-"));
  // The runtime-SDK variant must sit inside the project, where node_modules resolves @aws-sdk/*.
  const inProject = mkdtempSync(join(ROOT, ".build", "bench-cold-start-"));
  try {
    const built = bundlesToMeasure().map((bundle) => {
      const slug = bundle.name.replaceAll(/[^a-zA-Z0-9]+/g, "-");
      if (bundle.runtimeSdk) {
        const code = buildSync({ ...bundleBuildOptions(bundle.entry), external: ["@aws-sdk/*"] }).outputFiles[0]!.contents;
        const modulePath = join(inProject, BUNDLE_MODULE);
        writeFileSync(modulePath, code);
        return { ...bundle, zipBytes: zipBundle(code).byteLength, minifiedBytes: code.byteLength, modulePath, usesDynamoDb: false };
      }
      const zipPath = join(work, `${slug}.zip`);
      const result = bundleHandler(bundle.entry, zipPath);
      const dir = join(work, slug);
      mkdirSync(dir);
      const modulePath = join(dir, BUNDLE_MODULE);
      const code = unzipSync(readFileSync(zipPath))[BUNDLE_MODULE]!;
      writeFileSync(modulePath, code);
      // The JSON protocol's target prefix is in every bundle that carries the DynamoDB client.
      const usesDynamoDb = bundle.kind === "function" && Buffer.from(code).includes("DynamoDB_20120810");
      return { ...bundle, zipBytes: statSync(zipPath).size, minifiedBytes: result.moduleBytes, modulePath, usesDynamoDb };
    });
    for (const bundle of built) importOnce(bundle.modulePath); // page cache and compile cache alike for all
    const importMs = new Map<string, number[]>(built.map((b) => [b.name, []]));
    const processMs = new Map<string, number[]>(built.map((b) => [b.name, []]));
    for (let round = 0; round < RUNS; round++) {
      for (let i = 0; i < built.length; i++) {
        const bundle = built[(i + round) % built.length]!;
        const run = importOnce(bundle.modulePath);
        importMs.get(bundle.name)!.push(run.importMs);
        processMs.get(bundle.name)!.push(run.processMs);
      }
    }

    const gotOnly = importMs.get("got only")!;
    const sdkOnly = importMs.get("DynamoDB client only")!;
    const sdkOnlyBytes = built.find((b) => b.name === "DynamoDB client only")!.minifiedBytes;
    const goals: Goal[] = [];
    const data: Record<string, unknown> = {};
    const rows = built.map((bundle) => {
      const imports = summarize(importMs.get(bundle.name)!);
      const vsGot = pairedRatio(importMs.get(bundle.name)!, gotOnly);
      const processes = summarize(processMs.get(bundle.name)!);
      data[bundle.name] = { ...bundle, entry: bundle.entry.slice(ROOT.length), modulePath: undefined, importMs: imports, processMs: processes, importVsGotOnly: vsGot, runs: importMs.get(bundle.name) };
      if (bundle.usesDynamoDb) {
        const vsSdk = pairedRatio(importMs.get(bundle.name)!, sdkOnly);
        const sizeRatio = bundle.minifiedBytes / sdkOnlyBytes;
        goals.push({ goal: `Cold start, ${bundle.name} bundle minified size vs DynamoDB client only`, measured: ratio(sizeRatio), target: `≤ ${ratio(SDK_USER_GOAL)}`, met: sizeRatio <= SDK_USER_GOAL });
        goals.push({ goal: `Cold start, ${bundle.name} bundle import vs DynamoDB client only`, measured: ratio(vsSdk.median), target: `≤ ${ratio(SDK_USER_GOAL)}`, met: vsSdk.median <= SDK_USER_GOAL });
        data[`${bundle.name} vs DynamoDB client only`] = { importRatio: vsSdk, sizeRatio };
      }
      if (bundle.caller) {
        goals.push({ goal: `Cold start, ${bundle.name} bundle minified size`, measured: kb(bundle.minifiedBytes), target: `< ${kb(CALLER_MAX_MINIFIED_BYTES)}`, met: bundle.minifiedBytes < CALLER_MAX_MINIFIED_BYTES });
        goals.push({ goal: `Cold start, ${bundle.name} bundle import vs got only`, measured: ratio(vsGot.median), target: `≤ ${ratio(CALLER_IMPORT_GOAL)}`, met: vsGot.median <= CALLER_IMPORT_GOAL });
      }
      return [
        bundle.kind === "baseline" ? `${bundle.name} (baseline)` : `${bundle.name}${bundle.caller ? " (caller)" : ""}`,
        kb(bundle.zipBytes),
        kb(bundle.minifiedBytes),
        withSpread(imports, 1),
        `${ratio(vsGot.median)} (${ratio(vsGot.p25)}–${ratio(vsGot.p75)})`,
        withSpread(processes, 0),
      ];
    });
    return {
      id: "cold-start",
      title: "Lambda cold start",
      method:
        `Each bundle is built by modules/bundle.ts (the function's zip as it ships; the baselines with the same build), then imported by a fresh \`node\` process ` +
        `with a Lambda-like environment, ${RUNS} times round-robin; import time is measured inside the process around \`await import()\`, ` +
        "median (interquartile range). The ratios against got only and against the DynamoDB client alone are paired per round. " +
        "'users, SDK from node_modules' is the users handler built with `@aws-sdk/*` external and imported from inside the project, so Node resolves the SDK from node_modules " +
        "as the Lambda runtime resolves its own copy (its zip would not carry the SDK). Process time (spawn to exit) is context, not judged. KB = 1000 bytes.",
      table: markdownTable(["Bundle", "zip", "minified", "import ms", "import vs got only", "process ms"], rows),
      goals,
      data,
    };
  } finally {
    rmSync(work, { recursive: true, force: true });
    rmSync(inProject, { recursive: true, force: true });
  }
}

await runBenchChild(measure);
