import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, isAbsolute, join, normalize, sep } from "node:path";
import { unzipSync } from "fflate";

/** Extracts a function's zip into `dir`, refusing entries that would land outside it. */
export function unzipBundle(zipPath: string, dir: string): void {
  const entries = unzipSync(readFileSync(zipPath));
  mkdirSync(dir, { recursive: true });
  for (const [name, bytes] of Object.entries(entries)) {
    const relative = normalize(name);
    if (isAbsolute(relative) || relative.split(sep).includes("..")) {
      throw new Error(`${zipPath}: entry '${name}' points outside the bundle`);
    }
    if (name.endsWith("/")) {
      mkdirSync(join(dir, relative), { recursive: true });
      continue;
    }
    const target = join(dir, relative);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, bytes);
  }
}
