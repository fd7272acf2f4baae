/**
 * Signing: requests signed per second by our got hook, by `@smithy/signature-v4` called directly,
 * and by `aws4`. Rounds interleave the signers (rotating their order) so drift hits all alike.
 */
import { markdownTable, ratio, runBenchChild, withSpread, type BenchSection, type Goal } from "../section.js";
import { pairedRatio, summarize } from "../stats.js";
import { SIGNING_CASES } from "./cases.js";
import { SIGNERS, gotHook, smithyDirect, type TimedSign } from "./signers.js";

const ROUNDS = 9;
/** Each signer signs each case for this long per round (at least MIN_OPS times). */
const ROUND_BUDGET_MS = 100;
const MIN_OPS = 5;
const WARMUP_MS = 250;
export const HOOK_GOAL = 1.15;

/** Runs `sign` for `budgetMs` of wall time; returns signed requests per second of signing time. */
async function signFor(sign: TimedSign, budgetMs: number): Promise<number> {
  let ops = 0;
  let signingMs = 0;
  const until = performance.now() + budgetMs;
  while (ops < MIN_OPS || performance.now() < until) {
    signingMs += await sign();
    ops++;
  }
  return ops / (signingMs / 1000);
}

async function measure(): Promise<BenchSection> {
  const rows: string[][] = [];
  const goals: Goal[] = [];
  const data: Record<string, Record<string, unknown>> = {};
  for (const testCase of SIGNING_CASES) {
    const operations = SIGNERS.map((signer) => ({ signer, sign: signer.prepare(testCase) }));
    for (const { sign } of operations) await signFor(sign, WARMUP_MS);
    const perRound = new Map<string, number[]>(SIGNERS.map((s) => [s.name, []]));
    for (let round = 0; round < ROUNDS; round++) {
      for (let i = 0; i < operations.length; i++) {
        const { signer, sign } = operations[(i + round) % operations.length]!;
        perRound.get(signer.name)!.push(await signFor(sign, ROUND_BUDGET_MS));
      }
    }
    const baseline = perRound.get(smithyDirect.name)!;
    data[testCase.name] = {};
    for (const signer of SIGNERS) {
      const opsPerSecond = perRound.get(signer.name)!;
      const ops = summarize(opsPerSecond);
      // Time per request relative to the direct signer: the inverse of the throughput ratio.
      const cost = pairedRatio(baseline, opsPerSecond);
      data[testCase.name]![signer.name] = { opsPerSecond: ops, costVsSmithyDirect: cost, perRound: opsPerSecond };
      rows.push([
        testCase.name,
        signer.name,
        withSpread(ops, 0),
        (1e6 / ops.median).toFixed(1),
        signer === smithyDirect ? "1.00× (baseline)" : `${ratio(cost.median)} (${ratio(cost.p25)}–${ratio(cost.p75)})`,
      ]);
      if (signer === gotHook) {
        goals.push({ goal: `Signing, ${testCase.name}: hook cost vs smithy signer direct`, measured: ratio(cost.median), target: `≤ ${ratio(HOOK_GOAL)}`, met: cost.median <= HOOK_GOAL });
      }
    }
  }
  return {
    id: "signing",
    title: "Signing",
    method:
      `Signed requests per second of signing time, median of ${ROUNDS} interleaved rounds (interquartile range in brackets). ` +
      "Our hook is called as got calls it, on got options built from the signed client's defaults with the body already serialized; " +
      "the direct signers are timed around their sign call. Cost is time per request relative to @smithy/signature-v4 called directly, paired per round.",
    table: markdownTable(["Request", "Signer", "signed/s", "µs/request", "cost vs smithy direct"], rows),
    goals,
    data,
  };
}

await runBenchChild(measure);
