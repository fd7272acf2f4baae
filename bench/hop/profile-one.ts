/**
 * Drives one hop variant for a few seconds and writes a CPU profile of that loop only (set-up
 * excluded) to the file given. Two modes:
 * - `public`: sequential GETs on the public route; the profile is the gateway's (the Lambda
 *   instances are separate processes and are not in it).
 * - `caller`: the caller's bundle imported into this process with its role's credentials, its
 *   handler called in a loop; the profile holds the caller (got, signing) and the gateway
 *   serving the internal call (verification, IAM), everything but the users function itself.
 *
 *   tsx bench/hop/profile-one.ts shipped caller .build/prof/caller-shipped.cpuprofile
 *   tsx bench/profile-summary.ts .build/prof/caller-shipped.cpuprofile --ops N
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { Session } from "node:inspector/promises";
import { Agent } from "node:http";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { unzipSync } from "fflate";
import { startOfflineMode } from "../../local/offline-mode.js";
import { BUNDLE_MODULE } from "../../modules/bundle.js";
import { timedGet } from "./load.js";
import { BENCH_USER, CALLER_FUNCTION, CALLER_ROLE, prepareHopVariants, PUBLIC_PATH } from "./variants.js";

const [variantId = "shipped", mode = "caller", profileFile, seconds = "5"] = process.argv.slice(2);
if (!["shipped", "without-iam", "unsigned"].includes(variantId) || !["public", "caller"].includes(mode) || !profileFile) {
  console.error("usage: profile-one.ts shipped|without-iam|unsigned public|caller OUT.cpuprofile [seconds]");
  process.exit(2);
}

type Handler = (event: unknown) => Promise<{ statusCode: number; body: string }>;

const work = mkdtempSync(join(tmpdir(), "sia-bench-hop-profile-"));
const variant = (await prepareHopVariants(work)).find((v) => v.id === variantId)!;
const offline = await startOfflineMode({ stackDir: variant.stackDir, quiet: true, throttling: false });
try {
  let call: () => Promise<void>;
  if (mode === "public") {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const url = `${offline.outputs["public_api_url"]}${PUBLIC_PATH}`;
    const headers = { authorization: await offline.issuer.mint({ email: BENCH_USER.email, expiresInSeconds: 3600 }) };
    call = async () => void (await timedGet(url, agent, headers));
  } else {
    const fn = offline.model.functions.get(CALLER_FUNCTION)!;
    const credentials = offline.credentials[CALLER_ROLE]!;
    Object.assign(process.env, {
      ...fn.environment,
      AWS_REGION: offline.model.region,
      AWS_LAMBDA_FUNCTION_NAME: fn.name,
      AWS_ACCESS_KEY_ID: credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
      AWS_SESSION_TOKEN: credentials.sessionToken,
    });
    const modulePath = join(work, BUNDLE_MODULE);
    writeFileSync(modulePath, unzipSync(readFileSync(fn.zipPath))[BUNDLE_MODULE]!);
    const { handler } = (await import(pathToFileURL(modulePath).href)) as { handler: Handler };
    call = async () => {
      const result = await handler({ httpMethod: "GET", resource: "/users/{id}/profile", pathParameters: { id: BENCH_USER.sub }, headers: {} });
      if (result.statusCode !== 200) throw new Error(`the caller answered ${result.statusCode}: ${result.body}`);
    };
  }
  for (let i = 0; i < 200; i++) await call();
  const session = new Session();
  session.connect();
  await session.post("Profiler.enable");
  await session.post("Profiler.setSamplingInterval", { interval: 100 });
  await session.post("Profiler.start");
  let ops = 0;
  const started = performance.now();
  const until = started + Number(seconds) * 1000;
  while (performance.now() < until) {
    await call();
    ops++;
  }
  const { profile } = await session.post("Profiler.stop");
  session.disconnect();
  mkdirSync(dirname(profileFile), { recursive: true });
  writeFileSync(profileFile, JSON.stringify(profile));
  console.log(`${variant.name}, ${mode}: ${ops} requests, ${(((performance.now() - started) / ops) * 1000).toFixed(0)} µs/request`);
} finally {
  await offline.close();
  rmSync(work, { recursive: true, force: true });
}
