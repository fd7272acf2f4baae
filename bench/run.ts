/**
 * `npm run bench`: every benchmark in its own fresh child process, one after the other, then
 * bench/results/latest.md (the tables) and latest.json (the raw figures).
 * `npm run bench -- --only signing,hop` runs some of them and prints their tables without
 * touching the results.
 */
import { execFileSync, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, release, tmpdir, type } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { renderReport, type BenchEnvironment, type BenchReport } from "./report.js";
import type { BenchSection } from "./section.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const RESULTS = join(ROOT, "bench", "results");

/** Each benchmark and the longest it may take before it is stopped. */
const BENCHMARKS = [
  { id: "signing", timeoutMs: 90_000 },
  { id: "cold-start", timeoutMs: 90_000 },
  { id: "client", timeoutMs: 90_000 },
  { id: "hop", timeoutMs: 150_000 },
  { id: "aws-endpoint", timeoutMs: 90_000 },
  { id: "synth", timeoutMs: 120_000 },
  { id: "scale", timeoutMs: 300_000 },
  { id: "access", timeoutMs: 180_000 },
] as const;

function runChild(id: string, out: string, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", join(ROOT, "bench", id, "main.ts"), "--out", out], {
      cwd: ROOT,
      env: { ...process.env, CHECKPOINT_DISABLE: "1" },
      stdio: ["ignore", "inherit", "inherit"],
    });
    const timer = setTimeout(() => child.kill("SIGTERM"), timeoutMs);
    child.on("error", reject);
    child.on("exit", (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve();
      else reject(new Error(`benchmark ${id} ${signal ? `was stopped (${signal}${signal === "SIGTERM" ? `, over ${timeoutMs / 1000} s` : ""})` : `exited with ${code}`}`));
    });
  });
}

function environment(): BenchEnvironment {
  let commit: string | undefined;
  try {
    commit = execFileSync("git", ["rev-parse", "HEAD"], { cwd: ROOT, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
  } catch {
    commit = undefined; // not a git checkout
  }
  return { node: process.versions.node, cpu: cpus()[0]?.model.trim() ?? "unknown CPU", cores: cpus().length, os: `${type()} ${release()}`, commit };
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { only: { type: "string" } } });
  const only = values.only?.split(",").map((s) => s.trim());
  const unknown = only?.filter((id) => !BENCHMARKS.some((b) => b.id === id)) ?? [];
  if (unknown.length > 0) {
    console.error(`unknown benchmark ${unknown.join(", ")}: choose from ${BENCHMARKS.map((b) => b.id).join(", ")}`);
    process.exit(2);
  }
  const selected = BENCHMARKS.filter((b) => !only || only.includes(b.id));
  const work = mkdtempSync(join(tmpdir(), "sia-bench-"));
  const started = performance.now();
  const sections: BenchSection[] = [];
  try {
    for (const bench of selected) {
      const benchStarted = performance.now();
      const out = join(work, `${bench.id}.json`);
      await runChild(bench.id, out, bench.timeoutMs);
      sections.push(JSON.parse(readFileSync(out, "utf8")) as BenchSection);
      console.error(`bench ${bench.id}: ${((performance.now() - benchStarted) / 1000).toFixed(1)} s`);
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  const report: BenchReport = {
    generatedAt: new Date().toISOString().replace(/\.\d+Z$/, "Z"),
    command: only ? `npm run bench -- --only ${only.join(",")}` : "npm run bench",
    environment: environment(),
    durationSeconds: (performance.now() - started) / 1000,
    sections,
  };
  const markdown = renderReport(report);
  if (!only) {
    mkdirSync(RESULTS, { recursive: true });
    writeFileSync(join(RESULTS, "latest.md"), markdown);
    writeFileSync(join(RESULTS, "latest.json"), `${JSON.stringify(report, null, 2)}\n`);
  }
  console.log(markdown);
  if (!only) console.error("written: bench/results/latest.md, bench/results/latest.json");
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
