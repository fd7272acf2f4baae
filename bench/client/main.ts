/**
 * What a caller pays for signing: the same GET with the signed client (`createSignedGot`) and with
 * plain got under the same defaults (`bench/hop/unsigned-got.ts`), both to a loopback echo server
 * in this one process, so nothing but the client differs. The offline gateway's own verification
 * cost is measured by the scale section (authorization per request).
 */
import { createServer } from "node:http";
import { Agent } from "node:http";
import type { AddressInfo } from "node:net";
import { createSignedGot } from "../../lambdas/lib/signed-got.js";
import { createSignedGot as createPlainGot } from "../hop/unsigned-got.js";
import { markdownTable, ratio, runBenchChild, withSpread, type BenchSection } from "../section.js";
import { pairedRatio, percentile, summarize } from "../stats.js";

const ROUNDS = 25;
const PER_ROUND = 200;
const WARMUP = 2000;
/** The signed call may cost at most this much more, at p50, than the plain one. */
export const CLIENT_P50_GOAL = 1.15;

async function measure(): Promise<BenchSection> {
  const body = JSON.stringify({ id: "u-1001", name: "Ada Lovelace" });
  const server = createServer((_req, res) => {
    _req.resume();
    _req.on("end", () => res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(body) }).end(body));
  });
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", () => done()));
  const prefixUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  const agents = { signed: new Agent({ keepAlive: true, maxSockets: 1 }), plain: new Agent({ keepAlive: true, maxSockets: 1 }) };
  // Fixed, fake credentials: signing costs the same whatever the key.
  const credentials = { accessKeyId: "LOCALFAKEBENCH000001", secretAccessKey: "bench/secret/key/0123456789abcdefghijklmn", sessionToken: "bench-session-token" };
  const clients = {
    signed: createSignedGot({ prefixUrl, region: "us-east-1", credentials, agent: { http: agents.signed } }),
    plain: createPlainGot({ prefixUrl, agent: { http: agents.plain } }),
  };
  try {
    const call = (name: keyof typeof clients) => clients[name].get("users/u-1001").json();
    for (let i = 0; i < WARMUP; i++) {
      await call("signed");
      await call("plain");
    }
    const roundP50 = { signed: [] as number[], plain: [] as number[] };
    for (let round = 0; round < ROUNDS; round++) {
      for (const name of round % 2 === 0 ? (["signed", "plain"] as const) : (["plain", "signed"] as const)) {
        const times: number[] = [];
        for (let i = 0; i < PER_ROUND; i++) {
          const started = performance.now();
          await call(name);
          times.push((performance.now() - started) * 1000);
        }
        roundP50[name].push(percentile(times, 50));
      }
    }
    const added = pairedRatio(roundP50.signed, roundP50.plain);
    const rows = (["signed", "plain"] as const).map((name) => [
      name === "signed" ? "createSignedGot (SigV4 hook)" : "plain got, same defaults (baseline)",
      withSpread(summarize(roundP50[name]), 0),
      name === "signed" ? `${ratio(added.median)} (${ratio(added.p25)}–${ratio(added.p75)})` : "1.00×",
    ]);
    return {
      id: "client",
      title: "Client cost of a signed call",
      method:
        `GET /v1/users/u-1001 to a loopback echo server in the same process, one keep-alive socket per client; ${ROUNDS} alternating rounds of ${PER_ROUND} sequential calls after ${WARMUP} warm-up calls each; ` +
        "p50 per round in µs, median (interquartile range) of the rounds; the ratio is paired per round.",
      table: markdownTable(["Client", "p50 µs", "p50 vs plain got"], rows),
      goals: [{ goal: "Client: signed call vs plain got, p50 (loopback echo, one process)", measured: `+${((added.median - 1) * 100).toFixed(1)}%`, target: `≤ +${((CLIENT_P50_GOAL - 1) * 100).toFixed(0)}%`, met: added.median <= CLIENT_P50_GOAL }],
      data: { roundP50, added },
    };
  } finally {
    agents.signed.destroy();
    agents.plain.destroy();
    server.closeAllConnections();
    await new Promise<void>((done) => server.close(() => done()));
  }
}

await runBenchChild(measure);
