import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build as esbuild, type Plugin } from "esbuild";
import { unzipSync } from "fflate";
import { BUNDLE_MODULE, bundleBuildOptions, bundleHandler, zipBundle } from "../../modules/bundle.js";

const UNSIGNED_GOT = fileURLToPath(new URL("./unsigned-got.ts", import.meta.url));

async function build(entry: string, plugins: Plugin[] = []): Promise<Uint8Array> {
  // The shipped build's own options (modules/bundle.ts), plus a plugin.
  return (await esbuild({ ...bundleBuildOptions(entry), plugins })).outputFiles[0]!.contents;
}

/** Fails when this build of an unchanged handler is not the bytes `bundleHandler` ships. */
export async function assertSameBuildAsShipped(entry: string, workDir: string): Promise<void> {
  const zipPath = join(workDir, "shipped-check.zip");
  bundleHandler(entry, zipPath);
  const shipped = unzipSync(readFileSync(zipPath))[BUNDLE_MODULE]!;
  if (!Buffer.from(await build(entry)).equals(Buffer.from(shipped))) {
    throw new Error("bench/hop/unsigned-caller.ts no longer builds like modules/bundle.ts");
  }
}

/** Every import of the signed client from the caller resolves to the unsigned stand-in. */
const withoutSigning: Plugin = {
  name: "bench-unsigned-got",
  setup(build) {
    build.onResolve({ filter: /(^|\/)signed-got\.js$/ }, () => ({ path: UNSIGNED_GOT }));
  },
};

/** Bundles `entry` with the signed client replaced by plain got, zipped like a shipped function. */
export async function bundleUnsignedCaller(entry: string, zipPath: string): Promise<void> {
  const code = await build(entry, [withoutSigning]);
  if (Buffer.from(code).includes("AWS4-HMAC-SHA256")) throw new Error(`the unsigned variant of ${entry} still contains the signer`);
  writeFileSync(zipPath, zipBundle(code));
}
