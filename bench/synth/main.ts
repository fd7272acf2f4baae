/**
 * Synth: a fresh process that synthesizes the reference stack (bundling its functions included)
 * against a fresh process that only loads cdktf, both under the same `node --import tsx`.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { markdownTable, ratio, runBenchChild, withSpread, type BenchSection } from "../section.js";
import { pairedRatio, summarize, type Summary } from "../stats.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const RUNS = 7;
/** A fresh synth process may take at most this many times a process that only imports cdktf. */
export const SYNTH_RATIO_GOAL = 2.5;

interface Run {
  readonly processMs: number;
  readonly loadMs: number;
  readonly synthMs: number;
}

function runFresh(script: string, outdir: string): Run {
  const started = performance.now();
  const result = spawnSync(process.execPath, ["--import", "tsx", script, outdir], {
    cwd: ROOT,
    env: { ...process.env, CHECKPOINT_DISABLE: "1" },
    encoding: "utf8",
    timeout: 60_000,
  });
  const processMs = performance.now() - started;
  if (result.status !== 0) throw new Error(`${script} failed (${result.status ?? result.signal}): ${result.stderr}`);
  return { processMs, ...(JSON.parse(result.stdout) as { loadMs: number; synthMs: number }) };
}

async function measure(): Promise<BenchSection> {
  const children = [
    { name: "synthesize the stack", script: "bench/synth/synth-once.ts" },
    { name: "import cdktf only (baseline)", script: "bench/synth/import-cdktf.ts" },
  ];
  const work = mkdtempSync(join(tmpdir(), "sia-bench-synth-"));
  try {
    const runs = new Map<string, Run[]>(children.map((c) => [c.name, []]));
    for (const child of children) runFresh(child.script, join(work, "warmup")); // tsx's transform cache, page cache
    for (let round = 0; round < RUNS; round++) {
      for (let i = 0; i < children.length; i++) {
        const child = children[(i + round) % children.length]!;
        runs.get(child.name)!.push(runFresh(child.script, join(work, `run-${round}`)));
      }
    }
    const field = (name: string, key: keyof Run) => runs.get(name)!.map((r) => r[key]);
    const [synth, baseline] = children.map((c) => c.name) as [string, string];
    const vsBaseline = pairedRatio(field(synth, "processMs"), field(baseline, "processMs"));
    const summaries: Record<string, Record<keyof Run, Summary>> = {};
    const rows = children.map((child) => {
      const s = {
        processMs: summarize(field(child.name, "processMs")),
        loadMs: summarize(field(child.name, "loadMs")),
        synthMs: summarize(field(child.name, "synthMs")),
      };
      summaries[child.name] = s;
      return [
        child.name,
        withSpread(s.processMs, 0),
        withSpread(s.loadMs, 0),
        child.name === synth ? withSpread(s.synthMs, 0) : "–",
        child.name === synth ? `${ratio(vsBaseline.median)} (${ratio(vsBaseline.p25)}–${ratio(vsBaseline.p75)})` : "1.00×",
      ];
    });
    return {
      id: "synth",
      title: "Synth",
      method:
        `Fresh \`node --import tsx\` processes, ${RUNS} of each, alternating; median (interquartile range). ` +
        "Process time is spawn to exit (what a developer waits for); load is importing main.ts (or cdktf) inside the process; synth is `synthReferenceApp()` (constructs, esbuild bundles, zips, JSON).",
      table: markdownTable(["Process", "process ms", "load ms", "synth ms", "process vs import cdktf"], rows),
      // A ratio, not seconds: the absolute time doubles when both cores are busy, the ratio does not.
      goals: [{ goal: "Synth: fresh process vs a process that only imports cdktf", measured: ratio(vsBaseline.median), target: `≤ ${ratio(SYNTH_RATIO_GOAL)}`, met: vsBaseline.median <= SYNTH_RATIO_GOAL }],
      data: { summaries, vsBaseline, runs: Object.fromEntries(runs) },
    };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

await runBenchChild(measure);
