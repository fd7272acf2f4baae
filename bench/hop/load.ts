import { Agent, get } from "node:http";

/** Request headers every measured GET sends (the signed-in user's token). */
export type RequestHeaders = Readonly<Record<string, string>>;

/** One GET on a keep-alive agent; resolves with its latency in ms, rejects on anything but 200. */
export function timedGet(url: string, agent: Agent, headers: RequestHeaders = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const request = get(url, { agent, timeout: 15_000, headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on("data", (chunk: Buffer) => chunks.push(chunk));
      response.on("end", () => {
        if (response.statusCode === 200) resolve(performance.now() - started);
        else reject(new Error(`GET ${url} answered ${response.statusCode}: ${Buffer.concat(chunks).toString("utf8").slice(0, 300)}`));
      });
      response.on("error", reject);
    });
    request.on("timeout", () => request.destroy(new Error(`GET ${url} timed out`)));
    request.on("error", reject);
  });
}

/** The status of one GET, for the checks that a variant enforces what it should. */
export function statusOf(url: string, agent: Agent): Promise<number> {
  return new Promise((resolve, reject) => {
    get(url, { agent }, (response) => {
      response.resume();
      response.on("end", () => resolve(response.statusCode ?? 0));
    }).on("error", reject);
  });
}

/** `count` requests one after the other: their latencies. */
export async function sequentialLatencies(url: string, count: number, agent: Agent, headers?: RequestHeaders): Promise<number[]> {
  const latencies: number[] = [];
  for (let i = 0; i < count; i++) latencies.push(await timedGet(url, agent, headers));
  return latencies;
}

/** `concurrency` clients sending back to back for `durationMs`: completed requests per second. */
export async function closedLoopThroughput(url: string, concurrency: number, durationMs: number, agent: Agent, headers?: RequestHeaders): Promise<number> {
  const started = performance.now();
  const until = started + durationMs;
  let completed = 0;
  const client = async () => {
    while (performance.now() < until) {
      await timedGet(url, agent, headers);
      completed++;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, client));
  return completed / ((performance.now() - started) / 1000);
}
