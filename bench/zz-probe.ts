import { SIGNING_CASES } from "./signing/cases.js";
import { gotHook } from "./signing/signers.js";
const f = gotHook.prepare(SIGNING_CASES[0]!);
const until = performance.now() + 4000;
while (performance.now() < until) await f();
