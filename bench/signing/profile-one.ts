/**
 * Runs one signer on one request shape for a few seconds, for `node --cpu-prof`:
 *   node --cpu-prof --cpu-prof-dir .build/prof/hook --import tsx bench/signing/profile-one.ts "our got hook" GET
 *   tsx bench/profile-summary.ts .build/prof/hook/*.cpuprofile --ops N
 * Prints how many requests it signed (the N that turns profile milliseconds into µs/request).
 */
import { SIGNING_CASES } from "./cases.js";
import { SIGNERS } from "./signers.js";

const [signerName = "our got hook", caseName = "GET", seconds = "4"] = process.argv.slice(2);
const signer = SIGNERS.find((s) => s.name === signerName);
const testCase = SIGNING_CASES.find((c) => c.name === caseName);
if (!signer || !testCase) {
  console.error(`signers: ${SIGNERS.map((s) => `"${s.name}"`).join(", ")}; requests: ${SIGNING_CASES.map((c) => `"${c.name}"`).join(", ")}`);
  process.exit(2);
}
const sign = signer.prepare(testCase);
let ops = 0;
let signingMs = 0;
const until = performance.now() + Number(seconds) * 1000;
while (performance.now() < until) {
  signingMs += await sign();
  ops++;
}
console.log(`${signer.name}, ${testCase.name}: ${ops} requests, ${((signingMs / ops) * 1000).toFixed(1)} µs/request signing`);
