import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "chai";
import { unzipSync } from "fflate";
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

  it("fails clearly when the handler does not build", () => {
    writeFileSync(entry, "export const handler = (;\n");
    expect(() => bundleHandler(entry, join(dir, "f.zip"))).to.throw(/Build failed/);
  });
});
