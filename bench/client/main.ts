/**
 * What a caller pays for signing: the same GET with the signed client (`createSignedGot`) and with
 * plain got under the same defaults (`bench/hop/unsigned-got.ts`), both to a loopback echo server
 * in this one process, so nothing but the client differs. A third client measures the floor: a
 * got hook that does only what every SigV4 signature needs (one SHA-256, one HMAC-SHA256, the
 * three headers), on a fixed canonical request. The offline gateway's own verification cost is
 * measured by the scale section (authorization per request).
 */
import { createHmac, hash } from "node:crypto";
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
  const agents = { signed: new Agent({ keepAlive: true, maxSockets: 1 }), plain: new Agent({ keepAlive: true, maxSockets: 1 }), floor: new Agent({ keepAlive: true, maxSockets: 1 }) };
  // Fixed, fake credentials: signing costs the same whatever the key.
  const credentials = { accessKeyId: "LOCALFAKEBENCH000001", secretAccessKey: "bench/secret/key/0123456789abcdefghijklmn", sessionToken: "bench-session-token" };
  const clients = {
    signed: createSignedGot({ prefixUrl, region: "us-east-1", credentials, agent: { http: agents.signed } }),
    plain: createPlainGot({ prefixUrl, agent: { http: agents.plain } }),
    floor: createPlainGot({ prefixUrl, agent: { http: agents.floor } }).extend({ hooks: { beforeRequest: [signatureFloor(credentials)] } }),
  };
  try {
    const call = (name: keyof typeof clients) => clients[name].get("users/u-1001").json();
    const names = ["signed", "plain", "floor"] as const;
    for (let i = 0; i < WARMUP; i++) for (const name of names) await call(name);
    const roundP50 = { signed: [] as number[], plain: [] as number[], floor: [] as number[] };
    for (let round = 0; round < ROUNDS; round++) {
      for (let turn = 0; turn < names.length; turn++) {
        const name = names[(round + turn) % names.length]!;
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
    const floor = pairedRatio(roundP50.floor, roundP50.plain);
    const label = { signed: "createSignedGot (SigV4 hook)", floor: "floor: SHA-256 + HMAC + the three headers, nothing else", plain: "plain got, same defaults (baseline)" };
    const spread = (r: typeof added) => `${ratio(r.median)} (${ratio(r.p25)}–${ratio(r.p75)})`;
    const rows = (["signed", "floor", "plain"] as const).map((name) => [
      label[name],
      withSpread(summarize(roundP50[name]), 0),
      name === "signed" ? spread(added) : name === "floor" ? spread(floor) : "1.00×",
    ]);
    return {
      id: "client",
      title: "Client cost of a signed call",
      method:
        `GET /v1/users/u-1001 to a loopback echo server in the same process, one keep-alive socket per client; ${ROUNDS} rounds of ${PER_ROUND} sequential calls per client, in rotating order, after ${WARMUP} warm-up calls each; ` +
        "p50 per round in µs, median (interquartile range) of the rounds; the ratios are paired per round. " +
        "The floor is a got hook doing only what any SigV4 signature needs (SHA-256 of a fixed canonical request, one HMAC-SHA256 with a derived key, Authorization, X-Amz-Date and the session token added): no signer can cost less, so the goal cannot be met on a machine where the floor alone is over it.",
      table: markdownTable(["Client", "p50 µs", "p50 vs plain got"], rows),
      goals: [{ goal: "Client: signed call vs plain got, p50 (loopback echo, one process)", measured: `+${((added.median - 1) * 100).toFixed(1)}% (floor +${((floor.median - 1) * 100).toFixed(1)}%)`, target: `≤ +${((CLIENT_P50_GOAL - 1) * 100).toFixed(0)}%`, met: added.median <= CLIENT_P50_GOAL }],
      data: { roundP50, added, floor },
    };
  } finally {
    agents.signed.destroy();
    agents.plain.destroy();
    agents.floor.destroy();
    server.closeAllConnections();
    await new Promise<void>((done) => server.close(() => done()));
  }
}

/**
 * The least a SigV4 hook can do: hash a canonical request and HMAC a string to sign (the key
 * derived once), then add the three headers. Not a signer (the canonical request is fixed):
 * what it measures is the cost of the primitives and headers on the request path.
 */
function signatureFloor(credentials: { accessKeyId: string; secretAccessKey: string; sessionToken: string }) {
  let key: Buffer = createHmac("sha256", `AWS4${credentials.secretAccessKey}`).update("20261130").digest();
  for (const part of ["us-east-1", "execute-api", "aws4_request"]) key = createHmac("sha256", key).update(part).digest();
  const scope = `20261130/us-east-1/execute-api/aws4_request`;
  return (options: { headers: Record<string, unknown>; url?: unknown }) => {
    const canonicalRequest = `GET\n/v1/users/u-1001\n\nhost:127.0.0.1\nx-amz-date:20261130T000000Z\nx-amz-security-token:${credentials.sessionToken}\n\nhost;x-amz-date;x-amz-security-token\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855`;
    const signature = createHmac("sha256", key).update(`AWS4-HMAC-SHA256\n20261130T000000Z\n${scope}\n${hash("sha256", canonicalRequest, "hex")}`).digest("hex");
    options.headers["authorization"] = `AWS4-HMAC-SHA256 Credential=${credentials.accessKeyId}/${scope}, SignedHeaders=host;x-amz-date;x-amz-security-token, Signature=${signature}`;
    options.headers["x-amz-date"] = "20261130T000000Z";
    options.headers["x-amz-security-token"] = credentials.sessionToken;
  };
}

await runBenchChild(measure);
