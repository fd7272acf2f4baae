/**
 * Scale: generated estates at 1×, 4× and 16× (bench/scale/estate.ts), each synthesized and served
 * by fresh processes. Synth time, offline start time, per-request authorization cost (p50) and
 * peak memory, with each figure's growth against 1× measured in the same run.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { markdownTable, ratio, runBenchChild, type BenchSection } from "../section.js";
import { median, pairedRatio, type Summary } from "../stats.js";
import { estateShape } from "./estate.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const FACTORS = [1, 4, 16] as const;
const RUNS = 3;
/** Authorization reads only the caller's and the API's policies: 16× may cost at most this much more than 1×. */
export const AUTHORIZATION_GROWTH_GOAL = 1.25;
/** Offline verification (SigV4, IAM, the Lambda permission) of one request, at 1×. */
export const VERIFICATION_GOAL_US = 40;

function child<T>(script: string, args: string[]): T {
  const result = spawnSync(process.execPath, ["--import", "tsx", join(ROOT, "bench", "scale", script), ...args], {
    cwd: ROOT,
    env: { ...process.env, CHECKPOINT_DISABLE: "1" },
    encoding: "utf8",
    timeout: 120_000,
  });
  if (result.status !== 0) throw new Error(`${script} ${args.join(" ")} failed (${result.status ?? result.signal}): ${result.stderr}`);
  return JSON.parse(result.stdout) as T;
}

interface Figures {
  readonly synthMs: number;
  readonly synthPeakMb: number;
  readonly startMs: number;
  readonly accessMs: number;
  readonly servePeakMb: number;
  readonly permissions: number;
}

async function measure(): Promise<BenchSection> {
  const work = mkdtempSync(join(tmpdir(), "sia-bench-scale-"));
  try {
    const figures = new Map<number, Figures>();
    for (const factor of FACTORS) {
      const synths: Array<{ synthMs: number; peakRssMb: number }> = [];
      const serves: Array<{ startMs: number; accessMs: number; peakRssMb: number }> = [];
      for (let run = 0; run < RUNS; run++) {
        const outdir = join(work, `${factor}x-${run}`);
        synths.push(child("synth-estate.ts", [String(factor), outdir, join(work, "build")]));
        serves.push(child("serve-estate.ts", [join(outdir, "stacks", "scale-estate")]));
      }
      const json = JSON.parse(readFileSync(join(work, `${factor}x-0`, "stacks", "scale-estate", "cdk.tf.json"), "utf8")) as { resource: Record<string, Record<string, unknown>> };
      figures.set(factor, {
        synthMs: median(synths.map((s) => s.synthMs)),
        synthPeakMb: Math.max(...synths.map((s) => s.peakRssMb)),
        startMs: median(serves.map((s) => s.startMs)),
        accessMs: median(serves.map((s) => s.accessMs)),
        servePeakMb: Math.max(...serves.map((s) => s.peakRssMb)),
        permissions: Object.keys(json.resource.aws_lambda_permission ?? {}).length,
      });
    }
    const authorization = child<Record<string, number[]>>(
      "authorize-estates.ts",
      FACTORS.map((factor) => `${factor}=${join(work, `${factor}x-0`, "stacks", "scale-estate")}`),
    );
    const authorizeGrowth = new Map<number, Summary>(FACTORS.map((f) => [f, pairedRatio(authorization[f]!, authorization[1]!)]));
    const base = figures.get(1)!;
    const grown = (value: number, baseline: number) => ratio(value / baseline);
    const rows = FACTORS.map((factor) => {
      const shape = estateShape(factor);
      const f = figures.get(factor)!;
      return [
        `${factor}×`,
        `${shape.apis} × ${shape.routesPerApi} = ${shape.apis * shape.routesPerApi}`,
        String(shape.callers),
        String(f.permissions),
        `${(f.synthMs / 1000).toFixed(2)} s (${grown(f.synthMs, base.synthMs)})`,
        `${f.startMs.toFixed(0)} ms (${grown(f.startMs, base.startMs)})`,
        `${f.accessMs.toFixed(0)} ms (${grown(f.accessMs, base.accessMs)})`,
        `${median(authorization[factor]!).toFixed(1)} µs (${ratio(authorizeGrowth.get(factor)!.median)})`,
        `${f.synthPeakMb.toFixed(0)} / ${f.servePeakMb.toFixed(0)} MB (${grown(f.synthPeakMb, base.synthPeakMb)} / ${grown(f.servePeakMb, base.servePeakMb)})`,
      ];
    });
    const top = figures.get(16)!;
    const authGrowth = authorizeGrowth.get(16)!.median;
    return {
      id: "scale",
      title: "Scale",
      method:
        `Generated estates (bench/scale/estate.ts, the real constructs): at k×, k times the routes of 1× (APIs and routes per API each ×√k, one function per API serving all its routes) and k times the callers (roles with ${estateShape(1).grantsPerCaller} exact grants each). ` +
        `Each size is synthesized and served by fresh processes, ${RUNS} runs, median; in brackets the growth against 1× in this run. ` +
        "Synth is construction plus `app.synth()` with every quota check; start is `startOfflineMode` until it listens; access report is `npm run access`'s work (load, every principal × route, findings); authorization is the gateway's steps for one signed request (route lookup, SigV4, IAM evaluation, Lambda permission) without HTTP, measured for all three estates in one process, 21 alternating rounds of 200 requests from 8 callers, the median of the round p50s, the growth paired per round; peak memory is each process's maximum RSS (synth / serve). " +
        "Lambda permissions: an API's function serves all its routes, so once its per-route permissions would pass Lambda's 20 KB policy quota it gets one permission for the stage.",
      table: markdownTable(["Estate", "APIs × routes", "callers", "Lambda permissions", "synth", "offline start", "access report", "authorization p50", "peak memory synth / serve"], rows),
      goals: [
        {
          goal: "Scale: 16× estate synthesizes within AWS quotas",
          measured: `${top.permissions} Lambda permissions for ${estateShape(16).apis * estateShape(16).routesPerApi} routes`,
          target: "synth passes every quota check",
          met: true,
        },
        {
          goal: "Offline verification per request (SigV4 + IAM + Lambda permission, 1× estate)",
          measured: `${median(authorization[1]!).toFixed(1)} µs`,
          target: `≤ ${VERIFICATION_GOAL_US} µs`,
          met: median(authorization[1]!) <= VERIFICATION_GOAL_US,
        },
        {
          goal: "Scale: authorization p50, 16× estate vs 1×",
          measured: ratio(authGrowth),
          target: `≤ ${ratio(AUTHORIZATION_GROWTH_GOAL)}`,
          met: authGrowth <= AUTHORIZATION_GROWTH_GOAL,
        },
      ],
      data: Object.fromEntries(
        [...figures].map(([factor, f]) => [`${factor}x`, { shape: estateShape(factor), ...f, authorizeRoundP50sUs: authorization[factor], authorizeGrowth: authorizeGrowth.get(factor) }]),
      ),
    };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

await runBenchChild(measure);
