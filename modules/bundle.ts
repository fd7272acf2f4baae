import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, resolve } from "node:path";
import { buildSync, type BuildOptions } from "esbuild";
import { unzipSync, zipSync } from "fflate";

/** The file name of the handler module inside every bundle zip. */
export const BUNDLE_MODULE = "index.mjs";

/** ESM bundles still meet CommonJS dependencies that call `require`; give them one. */
const REQUIRE_BANNER =
  'import { createRequire as __sia_createRequire } from "node:module"; const require = __sia_createRequire(import.meta.url);';

/** Zip entries carry a DOS timestamp; a fixed local-time date keeps the bytes reproducible. */
const FIXED_ZIP_TIME = new Date(1980, 0, 1, 0, 0, 0);
const ZIP_LEVEL = 9;

/**
 * Everything besides the code that decides a zip's bytes. fflate, not node:zlib: Node's zlib is
 * Chromium's fork, whose deflate output differs across Node versions and CPUs, and the same code
 * must give the same `source_code_hash` on every machine.
 */
const ZIP_RECIPE = JSON.stringify({
  fflate: (createRequire(import.meta.url)("fflate/package.json") as { version: string }).version,
  module: BUNDLE_MODULE,
  level: ZIP_LEVEL,
  mtime: "1980-01-01T00:00 local",
});

/** One handler to bundle, and where its zip goes. */
export interface BundleRequest {
  /** The handler's source file, exporting `handler`. */
  readonly entry: string;
  /** Where the zip is written. */
  readonly zipPath: string;
}

export interface BundleResult {
  /** Where the zip was written. */
  readonly zipPath: string;
  /** Base64 SHA-256 of the zip bytes: what Lambda's `source_code_hash` expects. */
  readonly sourceCodeHash: string;
  /** Size of the minified module, in bytes. */
  readonly moduleBytes: number;
}

/** The esbuild options every Lambda bundle is built with: minified ESM for Node 22. */
export function bundleBuildOptions(entry: string): BuildOptions & { write: false } {
  return {
    entryPoints: [entry],
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node22",
    minify: true,
    legalComments: "none",
    // Prefer ESM builds: smithy's CommonJS entry drags all of @smithy/core in (~130 KB more).
    mainFields: ["module", "main"],
    // The AWS SDK clients a handler imports are bundled, not taken from the runtime: pinned by
    // package-lock, the same bytes offline and in AWS, faster to import (bench/README.md, "AWS SDK").
    banner: { js: REQUIRE_BANNER },
    write: false,
    logLevel: "silent",
  };
}

/** Zips a bundled module reproducibly: fixed entry time, so the same code gives the same bytes. */
export function zipBundle(code: Uint8Array): Uint8Array {
  return zipSync({ [BUNDLE_MODULE]: [code, { mtime: FIXED_ZIP_TIME, level: ZIP_LEVEL }] });
}

/**
 * Bundles a handler with esbuild and zips it reproducibly: the same code gives the same zip bytes
 * and so the same `source_code_hash`.
 */
export function bundleHandler(entry: string, zipPath: string): BundleResult {
  return bundleHandlers([{ entry, zipPath }])[0]!;
}

/** esbuild names outputs after `outdir`; nothing is written there (`write: false`). */
const UNWRITTEN_OUTDIR = "/esbuild-outputs";

/**
 * Bundles several handlers in ONE esbuild call (one process start and one parse of what they
 * share, instead of one each), then zips and writes each as {@link bundleHandler} does: each entry
 * is still its own bundle, byte for byte what a build of it alone gives. An entry named twice is
 * built once; results are in the order of `requests`. A broken entry fails the whole call.
 */
export function bundleHandlers(requests: readonly BundleRequest[]): BundleResult[] {
  const entries = [...new Set(requests.map((r) => r.entry))];
  if (entries.length === 0) return [];
  const { outputFiles } = buildSync({
    ...bundleBuildOptions(entries[0]!),
    entryPoints: entries.map((entry, i) => ({ in: entry, out: String(i) })),
    outdir: UNWRITTEN_OUTDIR,
  });
  const outputs = new Map(outputFiles.map((file) => [file.path, file.contents]));
  const built = new Map(
    entries.map((entry, i) => {
      const code = outputs.get(resolve(UNWRITTEN_OUTDIR, `${i}.js`));
      if (!code) throw new Error(`esbuild returned no output for ${entry} (outputs: ${[...outputs.keys()].join(", ")}).`);
      return [entry, { code, key: createHash("sha256").update(ZIP_RECIPE).update(code).digest("hex") }];
    }),
  );
  const zipped = new Map<string, Uint8Array>();
  return requests.map(({ entry, zipPath }) => {
    const { code, key } = built.get(entry)!;
    let zip = zipOnDisk(zipPath, key, code);
    if (!zip) {
      if (!zipped.has(entry)) zipped.set(entry, zipBundle(code));
      zip = zipped.get(entry)!;
      writeZip(zipPath, key, zip);
    }
    return { zipPath, moduleBytes: code.byteLength, sourceCodeHash: createHash("sha256").update(zip).digest("base64") };
  });
}

/**
 * Beside each zip, the SHA-256 of the recipe and the code it was made from: zipping ~850 KB costs
 * ~100 ms in a fresh process, and an unchanged bundle's zip would come out byte for byte the same.
 */
const keyPath = (zipPath: string) => `${zipPath}.code-sha256`;

/**
 * The zip at `zipPath` if its key says it was made from this code by this recipe AND it holds
 * exactly this code: the key alone is a file anyone could leave there, and what ships must be
 * what was just built. Inflating costs a few ms where deflating again costs ~100.
 */
function zipOnDisk(zipPath: string, key: string, code: Uint8Array): Uint8Array | undefined {
  let zip: Uint8Array;
  try {
    if (readFileSync(keyPath(zipPath), "utf8") !== key) return undefined;
    zip = readFileSync(zipPath);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
  return holdsExactly(zip, code) ? zip : undefined;
}

/** Whether `zip` is one entry, the bundle module, whose bytes are `code`. */
function holdsExactly(zip: Uint8Array, code: Uint8Array): boolean {
  let entries: Record<string, Uint8Array>;
  try {
    entries = unzipSync(zip);
  } catch {
    return false; // not a zip fflate can read: made again
  }
  const names = Object.keys(entries);
  return names.length === 1 && names[0] === BUNDLE_MODULE && Buffer.from(entries[BUNDLE_MODULE]!).equals(Buffer.from(code.buffer, code.byteOffset, code.byteLength));
}

/** Writes a zip, then its key: the key is removed first, so it never vouches for a zip half written. */
function writeZip(zipPath: string, key: string, zip: Uint8Array): void {
  mkdirSync(dirname(zipPath), { recursive: true });
  rmSync(keyPath(zipPath), { force: true });
  writeFileSync(zipPath, zip);
  writeFileSync(keyPath(zipPath), key);
}
