import { expect } from "chai";
import { compareProfiles, packageOf, summarizeProfile, type CpuProfile } from "../../../bench/profile-summary.js";

const frame = (functionName: string, url: string) => ({ functionName, url, lineNumber: 0 });

// root -> handler (lambdas) -> sign (smithy); root -> idle. One sample = 1 ms.
const profile: CpuProfile = {
  nodes: [
    { id: 1, callFrame: frame("(root)", ""), children: [2, 4, 5] },
    { id: 2, callFrame: frame("handler", "file:///repo/lambdas/profile/handler.ts"), children: [3] },
    { id: 3, callFrame: frame("sign", "file:///repo/node_modules/@smithy/signature-v4/dist-cjs/index.js") },
    { id: 4, callFrame: frame("(idle)", "") },
    { id: 5, callFrame: frame("(garbage collector)", "") },
  ],
  samples: [2, 3, 3, 3, 4, 4, 5],
  timeDeltas: [1000, 1000, 1000, 1000, 1000, 1000, 1000],
};

describe("CPU profile summary", () => {
  it("names packages, scoped ones included, built-ins and project folders", () => {
    expect(packageOf("file:///x/node_modules/got/dist/source/index.js")).to.equal("got");
    expect(packageOf("file:///x/node_modules/@smithy/core/dist-cjs/index.js")).to.equal("@smithy/core");
    expect(packageOf("node:internal/crypto/hash")).to.equal("node: built-ins");
    expect(packageOf("file:///work/main/lambdas/lib/signer.ts")).to.equal("lambdas/lib/signer.ts");
    expect(packageOf("")).to.equal("(v8/native)");
  });

  it("adds up self time by package, leaving idle time out", () => {
    const summary = summarizeProfile(profile);
    expect(summary.totalMs).to.equal(5);
    expect(summary.byPackage.map((l) => [l.name, l.ms])).to.deep.equal([
      ["@smithy/signature-v4", 3],
      ["lambdas/profile/handler.ts", 1],
      ["(garbage collector)", 1],
    ]);
    expect(summary.byPackage[0]!.percent).to.equal(60);
  });

  it("keeps only the samples under a frame when asked", () => {
    const summary = summarizeProfile(profile, { under: "handler handler.ts" });
    expect(summary.totalMs).to.equal(4);
    expect(summarizeProfile(profile, { under: "no such frame" }).totalMs).to.equal(0);
  });

  it("compares two runs per operation, largest increase first", () => {
    const subject = { summary: summarizeProfile(profile), ops: 1000 };
    const baseline = { summary: summarizeProfile({ ...profile, samples: [2, 5], timeDeltas: [1000, 1000] }), ops: 1000 };
    const [first] = compareProfiles(subject, baseline, "byPackage");
    expect(first).to.deep.equal({ name: "@smithy/signature-v4", subjectUs: 3, baselineUs: 0, deltaUs: 3 });
  });
});
