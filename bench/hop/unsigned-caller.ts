import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build as esbuild, type BuildOptions, type Plugin } from "esbuild";
import { unzipSync, zipSync } from "fflate";
import { BUNDLE_MODULE, bundleHandler } from "../../modules/bundle.js";

const UNSIGNED_GOT = fileURLToPath(new URL("./unsigned-got.ts", import.meta.url));

/**
 * modules/bundle.ts's esbuild settings, restated because a plugin cannot be passed through
 * `bundleHandler` (nor used with esbuild's synchronous API). `assertSameBuildAsShipped` proves they still match before any variant is used.
 */
function buildOptions(entry: string, plugins: Plugin[]): BuildOptions & { write: false } {
  return {
    entryPoints: [entry],
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node22",
    minify: true,
    legalComments: "none",
    mainFields: ["module", "main"],
    external: ["@aws-sdk/*"],
    banner: { js: 'import { createRequire as __sia_createRequire } from "node:module"; const require = __sia_createRequire(import.meta.url);' },
    write: false,
    logLevel: "silent",
    plugins,
  };
}

async function build(entry: string, plugins: Plugin[] = []): Promise<Uint8Array> {
  return (await esbuild(buildOptions(entry, plugins))).outputFiles[0]!.contents;
}

/** Fails when the restated settings no longer give the bytes `bundleHandler` ships. */
export async function assertSameBuildAsShipped(entry: string, workDir: string): Promise<void> {
  const zipPath = join(workDir, "shipped-check.zip");
  bundleHandler(entry, zipPath);
  const shipped = unzipSync(readFileSync(zipPath))[BUNDLE_MODULE]!;
  if (!Buffer.from(await build(entry)).equals(Buffer.from(shipped))) {
    throw new Error("bench/hop/unsigned-caller.ts no longer builds like modules/bundle.ts: copy its esbuild settings again");
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
  writeFileSync(zipPath, zipSync({ [BUNDLE_MODULE]: [code, { level: 9 }] }));
}
