import { expect } from "chai";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { unzipSync } from "fflate";
import { assertSameBuildAsShipped, bundleUnsignedCaller } from "../../../bench/hop/unsigned-caller.js";
import { BUNDLE_MODULE } from "../../../modules/bundle.js";

describe("the hop baseline's unsigned caller", () => {
  let work: string;
  beforeEach(() => (work = mkdtempSync(join(tmpdir(), "bench-unsigned-test-"))));
  afterEach(() => rmSync(work, { recursive: true, force: true }));

  it("is built with modules/bundle.ts's settings (same bytes for the real handler)", async () => {
    await assertSameBuildAsShipped("lambdas/profile/handler.ts", work);
  });

  it("is the same handler with plain got in place of the signed client", async () => {
    const zip = join(work, "unsigned.zip");
    await bundleUnsignedCaller("lambdas/profile/handler.ts", zip);
    const code = Buffer.from(unzipSync(readFileSync(zip))[BUNDLE_MODULE]!).toString("utf8");
    expect(code).not.to.include("AWS4-HMAC-SHA256");
    expect(code).to.include("user not found"); // the profile handler's own code is still there
  });
});
