import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "chai";
import { strToU8, unzipSync, zipSync } from "fflate";
import { BUNDLE_MODULE, bundleHandler } from "../../../modules/bundle.js";

describe("NodeFunction bundling", () => {
  const dir = mkdtempSync(join(tmpdir(), "sia-bundle-"));
  const entry = join(dir, "handler.ts");

  it("zips one minified ESM module whose bytes and hash depend only on the code", () => {
    writeFileSync(entry, "export const handler = async () => ({ statusCode: 200, body: 'one' });\n");
    const first = bundleHandler(entry, join(dir, "a.zip"));
    const second = bundleHandler(entry, join(dir, "b.zip"));
    const zip = readFileSync(first.zipPath);
    expect(zip.equals(readFileSync(second.zipPath))).to.equal(true);
    expect(first.sourceCodeHash).to.equal(createHash("sha256").update(zip).digest("base64"));
    expect(Object.keys(unzipSync(zip))).to.deep.equal([BUNDLE_MODULE]);
  });

  it("changes the hash when the code changes", () => {
    writeFileSync(entry, "export const handler = async () => ({ statusCode: 200, body: 'one' });\n");
    const before = bundleHandler(entry, join(dir, "c.zip")).sourceCodeHash;
    writeFileSync(entry, "export const handler = async () => ({ statusCode: 200, body: 'two' });\n");
    expect(bundleHandler(entry, join(dir, "d.zip")).sourceCodeHash).not.to.equal(before);
  });

  it("gives CommonJS dependencies a working require in the ESM bundle", async () => {
    writeFileSync(entry, "import { createRequire } from 'node:module';\nexport const handler = async () => typeof require;\n");
    const { zipPath } = bundleHandler(entry, join(dir, "e.zip"));
    const module = join(dir, "out.mjs");
    writeFileSync(module, unzipSync(readFileSync(zipPath))[BUNDLE_MODULE]!);
    const { handler } = await import(module);
    expect(await handler()).to.equal("function");
  });

  it("reuses the zip already written from the same code instead of zipping again", () => {
    writeFileSync(entry, "export const handler = async () => ({ statusCode: 200, body: 'kept' });\n");
    const zipPath = join(dir, "kept.zip");
    const first = bundleHandler(entry, zipPath);
    utimesSync(zipPath, 0, 0); // any rewrite would move this
    expect(bundleHandler(entry, zipPath).sourceCodeHash).to.equal(first.sourceCodeHash);
    expect(statSync(zipPath).mtimeMs).to.equal(0);
    expect(readFileSync(zipPath).equals(readFileSync(bundleHandler(entry, join(dir, "kept-fresh.zip")).zipPath))).to.equal(true);
  });

  it("zips again at the same path when the code changed", () => {
    const zipPath = join(dir, "changed.zip");
    writeFileSync(entry, "export const handler = async () => ({ statusCode: 200, body: 'before' });\n");
    const before = bundleHandler(entry, zipPath).sourceCodeHash;
    writeFileSync(entry, "export const handler = async () => ({ statusCode: 200, body: 'after' });\n");
    const after = bundleHandler(entry, zipPath);
    const zip = readFileSync(zipPath);
    expect(after.sourceCodeHash).to.equal(createHash("sha256").update(zip).digest("base64"));
    expect(after.sourceCodeHash).not.to.equal(before);
    expect(Buffer.from(unzipSync(zip)[BUNDLE_MODULE]!).toString()).to.include('"after"');
  });

  it("zips again when the zip's key is missing, as after a write that did not finish", () => {
    writeFileSync(entry, "export const handler = async () => ({ statusCode: 200, body: 'torn' });\n");
    const zipPath = join(dir, "torn.zip");
    const whole = bundleHandler(entry, zipPath).sourceCodeHash;
    rmSync(`${zipPath}.code-sha256`);
    writeFileSync(zipPath, "half a zip");
    expect(bundleHandler(entry, zipPath).sourceCodeHash).to.equal(whole);
    expect(createHash("sha256").update(readFileSync(zipPath)).digest("base64")).to.equal(whole);
  });

  it("never ships a zip that does not hold the code just built, whatever its key file says", () => {
    writeFileSync(entry, "export const handler = async () => ({ statusCode: 200, body: 'genuine' });\n");
    const zipPath = join(dir, "swapped.zip");
    const genuine = bundleHandler(entry, zipPath).sourceCodeHash;
    const key = readFileSync(`${zipPath}.code-sha256`, "utf8");
    // Another module, or a second entry, under the genuine key: each is replaced by the real zip.
    for (const swapped of [zipSync({ [BUNDLE_MODULE]: strToU8("export const handler = () => 'other';") }), zipSync({ [BUNDLE_MODULE]: unzipSync(readFileSync(zipPath))[BUNDLE_MODULE]!, "extra.js": strToU8("1") })]) {
      writeFileSync(zipPath, swapped);
      writeFileSync(`${zipPath}.code-sha256`, key);
      expect(bundleHandler(entry, zipPath).sourceCodeHash).to.equal(genuine);
      expect(createHash("sha256").update(readFileSync(zipPath)).digest("base64")).to.equal(genuine);
    }
  });

  it("fails clearly when the handler does not build", () => {
    writeFileSync(entry, "export const handler = (;\n");
    expect(() => bundleHandler(entry, join(dir, "f.zip"))).to.throw(/Build failed/);
  });
});
