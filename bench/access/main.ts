/**
 * Access report: how long `npm run access` takes to load a synthesized stack and evaluate every
 * principal against every route, for the reference stack and for a large generated estate
 * (bench/access/estate.ts). The estate's cost per decision is compared with the reference stack's.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { STACK_NAME, synthReferenceApp } from "../../main.js";
import { buildAccessReport } from "../../local/access/access-report.js";
import { loadStack } from "../../local/loader/load-stack.js";
import { markdownTable, ratio, runBenchChild, withSpread, type BenchSection } from "../section.js";
import { summarize, type Summary } from "../stats.js";
import { LARGE_ESTATE, synthEstate } from "./estate.js";

const RUNS = 7;
/** Bars for a command a developer and CI wait for. */
const REFERENCE_GOAL_MS = 500;
const ESTATE_GOAL_MS = 10_000;
/** Cost per decision in the estate vs the reference stack: the report should scale with its matrix. */
const PER_DECISION_GOAL = 3;

interface Run {
  readonly loadMs: number;
  readonly reportMs: number;
  readonly decisions: number;
}

function runOnce(stackDir: string): Run {
  const started = performance.now();
  const model = loadStack({ stackDir, accountId: "123456789012", region: "us-east-1", endpoint: "http://127.0.0.1" });
  const loaded = performance.now();
  const report = buildAccessReport(model);
  return { loadMs: loaded - started, reportMs: performance.now() - loaded, decisions: report.decisions.length };
}

async function measure(): Promise<BenchSection> {
  const work = mkdtempSync(join(tmpdir(), "sia-bench-access-"));
  try {
    synthReferenceApp({ outdir: join(work, "reference"), env: { SIA_TEST_PRINCIPALS: "true" } });
    const estate = synthEstate(LARGE_ESTATE, join(work, "estate"));
    const stacks = [
      { name: "reference stack", stackDir: join(work, "reference", "stacks", STACK_NAME), shape: "6 principals, 4 routes" },
      {
        name: "generated estate",
        stackDir: estate.stackDir,
        shape: `${LARGE_ESTATE.roles + 2} principals, ${estate.routes} routes on ${LARGE_ESTATE.apis} APIs, ${LARGE_ESTATE.grantsPerRole} grants a role`,
      },
    ];
    const runs = new Map<string, Run[]>(stacks.map((s) => [s.name, []]));
    for (const stack of stacks) runOnce(stack.stackDir); // warm-up: JIT, page cache
    for (let round = 0; round < RUNS; round++) {
      for (let i = 0; i < stacks.length; i++) {
        const stack = stacks[(i + round) % stacks.length]!;
        runs.get(stack.name)!.push(runOnce(stack.stackDir));
      }
    }
    const summaries: Record<string, { load: Summary; report: Summary; total: Summary; perDecisionUs: Summary; decisions: number }> = {};
    for (const stack of stacks) {
      const list = runs.get(stack.name)!;
      const decisions = list[0]!.decisions;
      summaries[stack.name] = {
        load: summarize(list.map((r) => r.loadMs)),
        report: summarize(list.map((r) => r.reportMs)),
        total: summarize(list.map((r) => r.loadMs + r.reportMs)),
        perDecisionUs: summarize(list.map((r) => (r.reportMs * 1000) / decisions)),
        decisions,
      };
    }
    const reference = summaries["reference stack"]!;
    const large = summaries["generated estate"]!;
    const perDecisionRatio = large.perDecisionUs.median / reference.perDecisionUs.median;
    const rows = stacks.map((stack) => {
      const s = summaries[stack.name]!;
      return [
        stack.name,
        stack.shape,
        String(s.decisions),
        withSpread(s.load, 1),
        withSpread(s.report, 1),
        withSpread(s.total, 1),
        s.perDecisionUs.median.toFixed(1),
        stack.name === "reference stack" ? "1.00×" : ratio(perDecisionRatio),
      ];
    });
    return {
      id: "access",
      title: "Access report",
      method:
        `In one process, ${RUNS} rounds after a warm-up, stacks alternating; median (interquartile range). ` +
        "Load is `loadStack` on the synthesized Terraform; report is `buildAccessReport` (every principal × every route through the offline evaluator, then the --check findings). " +
        "Per decision is report time over principals × routes, compared with the reference stack's.",
      table: markdownTable(["Stack", "shape", "decisions", "load ms", "report ms", "total ms", "µs/decision", "per decision vs reference"], rows),
      goals: [
        { goal: "Access report, reference stack: load and evaluate", measured: `${reference.total.median.toFixed(1)} ms`, target: `< ${REFERENCE_GOAL_MS} ms`, met: reference.total.median < REFERENCE_GOAL_MS },
        { goal: `Access report, generated estate (${large.decisions} decisions): load and evaluate`, measured: `${(large.total.median / 1000).toFixed(2)} s`, target: `< ${ESTATE_GOAL_MS / 1000} s`, met: large.total.median < ESTATE_GOAL_MS },
        { goal: "Access report, estate cost per decision vs reference stack", measured: ratio(perDecisionRatio), target: `≤ ${PER_DECISION_GOAL.toFixed(2)}×`, met: perDecisionRatio <= PER_DECISION_GOAL },
      ],
      data: { summaries, runs: Object.fromEntries(runs), estate: LARGE_ESTATE, warnings: estate.warnings.length },
    };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

await runBenchChild(measure);
