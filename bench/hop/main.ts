/**
 * The internal hop: the public route GET /users/{id}/profile (API Gateway -> profile Lambda ->
 * signed GET to the IAM-only users API -> users Lambda) on the offline gateway, against
 * bench-only variants of the same stack: the internal API without IAM (the caller still signs),
 * and the internal API without IAM called by the same caller built without signing.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { Agent } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startOfflineMode, type OfflineMode } from "../../local/offline-mode.js";
import { markdownTable, ratio, runBenchChild, withSpread, type BenchSection } from "../section.js";
import { pairedRatio, percentile, summarize } from "../stats.js";
import { closedLoopThroughput, sequentialLatencies, statusOf, type RequestHeaders } from "./load.js";
import { BENCH_USER, INTERNAL_PATH, prepareHopVariants, PUBLIC_PATH, type HopVariant } from "./variants.js";



const WARMUP_REQUESTS = 150;
const LATENCY_ROUNDS = 24;
const REQUESTS_PER_ROUND = 50;
const CONCURRENCY = 4;
const THROUGHPUT_ROUNDS = 4;
const THROUGHPUT_WINDOW_MS = 1200;
export const HOP_P50_GOAL = 1.15;

interface Variant extends HopVariant {
  offline?: OfflineMode;
  url?: string;
  headers?: RequestHeaders;
  readonly agent: Agent;
}

async function measure(): Promise<BenchSection> {
  const work = mkdtempSync(join(tmpdir(), "sia-bench-hop-"));
  const agent = () => new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const variants: Variant[] = [];
  try {
    for (const variant of await prepareHopVariants(work)) variants.push({ ...variant, agent: agent() });
    const [shipped, , baseline] = variants as [Variant, Variant, Variant];

    for (const variant of variants) {
      variant.offline = await startOfflineMode({ stackDir: variant.stackDir, quiet: true, throttling: false, maxInstancesPerFunction: CONCURRENCY });
      variant.url = `${variant.offline.outputs["public_api_url"]}${PUBLIC_PATH}`;
      variant.headers = { authorization: await variant.offline.issuer.mint({ email: BENCH_USER.email, expiresInSeconds: 3600 }) };
      const internal = await statusOf(`${variant.offline.outputs["users_api_url"]}${INTERNAL_PATH}`, variant.agent);
      if (internal !== variant.internalUnsignedStatus) {
        throw new Error(`${variant.name}: an unsigned request to the internal API got ${internal}, expected ${variant.internalUnsignedStatus}`);
      }
      await sequentialLatencies(variant.url, WARMUP_REQUESTS, variant.agent, variant.headers);
      await closedLoopThroughput(variant.url, CONCURRENCY, 500, variant.agent, variant.headers); // start every instance
    }

    const latencies = new Map<string, number[]>(variants.map((v) => [v.name, []]));
    const roundP50 = new Map<string, number[]>(variants.map((v) => [v.name, []]));
    for (let round = 0; round < LATENCY_ROUNDS; round++) {
      for (let i = 0; i < variants.length; i++) {
        const variant = variants[(i + round) % variants.length]!;
        const run = await sequentialLatencies(variant.url!, REQUESTS_PER_ROUND, variant.agent, variant.headers);
        latencies.get(variant.name)!.push(...run);
        roundP50.get(variant.name)!.push(percentile(run, 50));
      }
    }
    const throughput = new Map<string, number[]>(variants.map((v) => [v.name, []]));
    for (let round = 0; round < THROUGHPUT_ROUNDS; round++) {
      for (let i = 0; i < variants.length; i++) {
        const variant = variants[(i + round) % variants.length]!;
        throughput.get(variant.name)!.push(await closedLoopThroughput(variant.url!, CONCURRENCY, THROUGHPUT_WINDOW_MS, variant.agent, variant.headers));
      }
    }

    const data: Record<string, unknown> = {};
    const rows = variants.map((variant) => {
      const all = latencies.get(variant.name)!;
      const p50s = summarize(roundP50.get(variant.name)!);
      const vsBaseline = pairedRatio(roundP50.get(variant.name)!, roundP50.get(baseline.name)!);
      const rps = summarize(throughput.get(variant.name)!);
      const p99 = percentile(all, 99);
      data[variant.name] = { requests: all.length, p50: percentile(all, 50), p99, roundP50: p50s, p50VsBaseline: vsBaseline, throughput: rps };
      return [
        variant.name,
        withSpread(p50s, 2),
        p99.toFixed(2),
        variant === baseline ? "1.00×" : `${ratio(vsBaseline.median)} (${ratio(vsBaseline.p25)}–${ratio(vsBaseline.p75)})`,
        withSpread(rps, 0),
      ];
    });
    const added = pairedRatio(roundP50.get(shipped.name)!, roundP50.get(baseline.name)!);
    return {
      id: "hop",
      title: "The internal hop",
      method:
        `GET ${PUBLIC_PATH} on the public API of the offline gateway: two Lambda hops, one signed call and the users function's GetItem through the local DynamoDB endpoint (same in every variant). Each variant runs in its own offline gateway ` +
        `(throttling off); p50 is the median of ${LATENCY_ROUNDS} interleaved rounds of ${REQUESTS_PER_ROUND} sequential requests (interquartile range of the round p50s), ` +
        `p99 over all ${LATENCY_ROUNDS * REQUESTS_PER_ROUND}; the ratio is paired per round. Throughput: ${CONCURRENCY} keep-alive clients back to back, ` +
        `median of ${THROUGHPUT_ROUNDS} windows of ${THROUGHPUT_WINDOW_MS / 1000} s (interquartile range). ` +
        "The baseline variants are bench-only copies of the synthesized stack: the users API's methods set to NONE and its resource policy removed; " +
        "in the last, the profile function is the same handler bundled with the signed client replaced by plain got with the same defaults.",
      table: markdownTable(["Variant", "p50 ms", "p99 ms", "p50 vs baseline", "requests/s"], rows),
      goals: [{ goal: "Hop: signing plus verification, added to p50", measured: `+${((added.median - 1) * 100).toFixed(1)}%`, target: `< +${((HOP_P50_GOAL - 1) * 100).toFixed(0)}%`, met: added.median < HOP_P50_GOAL }],
      data,
    };
  } finally {
    for (const variant of variants) {
      await variant.offline?.close();
      variant.agent.destroy();
    }
    rmSync(work, { recursive: true, force: true });
  }
}

await runBenchChild(measure);
