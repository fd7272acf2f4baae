/**
 * Summarizes a V8 `.cpuprofile` (from `node --cpu-prof`): where the samples' self time went, by
 * function and by package, optionally only for samples with a given frame on their stack.
 * Usage: tsx bench/profile-summary.ts FILE.cpuprofile [--under "signing-hooks.ts:61"] [--top 25] [--ops N]
 * (`--under` matches a frame's label, `name file:line [package]`, as a substring; `--ops N` adds
 * µs per operation when the profiled run did N operations; `--baseline B.cpuprofile --baseline-ops M`
 * lists what costs more per operation than in the baseline run.)
 */
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";

interface CallFrame {
  readonly functionName: string;
  readonly url: string;
  readonly lineNumber: number;
}
interface ProfileNode {
  readonly id: number;
  readonly callFrame: CallFrame;
  readonly children?: readonly number[];
}
export interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

export interface ProfileLine {
  readonly name: string;
  readonly ms: number;
  readonly percent: number;
}

export interface ProfileSummary {
  /** Milliseconds of samples considered (all, or those under `under`). */
  readonly totalMs: number;
  readonly byFunction: readonly ProfileLine[];
  readonly byPackage: readonly ProfileLine[];
}

/** `got`, `@smithy/signature-v4`, `node:internal`, `(v8)` or the project-relative file. */
export function packageOf(url: string): string {
  if (url === "") return "(v8/native)";
  if (url.startsWith("node:")) return "node: built-ins";
  const inModules = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (inModules) return inModules[1]!;
  const project = /\/(lambdas|local|bench|modules|main\.ts|\.build|cdktf\.out)(\/[^?]*)?/.exec(url);
  return project ? `${project[1]}${project[2] ?? ""}` : url;
}

function label(frame: CallFrame): string {
  const file = frame.url.split("/").slice(-1)[0] ?? "";
  return `${frame.functionName || "(anonymous)"} ${file}:${frame.lineNumber + 1} [${packageOf(frame.url)}]`;
}

function top(totals: Map<string, number>, totalMs: number, count: number): ProfileLine[] {
  return [...totals.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([name, ms]) => ({ name, ms, percent: totalMs === 0 ? 0 : (ms / totalMs) * 100 }));
}

/** Self time by function and package; with `under`, only samples with a frame whose label contains it. */
export function summarizeProfile(profile: CpuProfile, options: { under?: string; top?: number } = {}): ProfileSummary {
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const isUnder = new Map<number, boolean>();
  const under = (id: number): boolean => {
    if (options.under === undefined) return true;
    const known = isUnder.get(id);
    if (known !== undefined) return known;
    const node = nodes.get(id)!;
    const up = parent.get(id);
    const result = label(node.callFrame).includes(options.under) || (up !== undefined && under(up));
    isUnder.set(id, result);
    return result;
  };
  const byFunction = new Map<string, number>();
  const byPackage = new Map<string, number>();
  let totalMs = 0;
  profile.samples.forEach((id, i) => {
    const ms = (profile.timeDeltas[i] ?? 0) / 1000;
    const node = nodes.get(id);
    if (!node || !under(id)) return;
    const name = node.callFrame.functionName;
    if (name === "(idle)" || name === "(program)") return;
    totalMs += ms;
    byFunction.set(label(node.callFrame), (byFunction.get(label(node.callFrame)) ?? 0) + ms);
    const pkg = name === "(garbage collector)" ? "(garbage collector)" : packageOf(node.callFrame.url);
    byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + ms);
  });
  const count = options.top ?? 20;
  return { totalMs, byFunction: top(byFunction, totalMs, count), byPackage: top(byPackage, totalMs, count) };
}

export function formatProfileSummary(summary: ProfileSummary, ops?: number): string {
  const perOp = (ms: number) => (ops === undefined ? "" : ` ${((ms * 1000) / ops).toFixed(2).padStart(8)} µs/op`);
  const lines = (title: string, entries: readonly ProfileLine[]) => [
    title,
    ...entries.map((e) => `  ${e.ms.toFixed(1).padStart(9)} ms ${e.percent.toFixed(1).padStart(5)}%${perOp(e.ms)}  ${e.name}`),
  ];
  return [`${summary.totalMs.toFixed(1)} ms of samples`, ...lines("self time by package:", summary.byPackage), ...lines("self time by function:", summary.byFunction)].join("\n");
}

/** Per-operation self time of `subject` minus that of `baseline`, largest increase first. */
export function compareProfiles(
  subject: { summary: ProfileSummary; ops: number },
  baseline: { summary: ProfileSummary; ops: number },
  key: "byFunction" | "byPackage",
): Array<{ name: string; subjectUs: number; baselineUs: number; deltaUs: number }> {
  const perOp = (lines: readonly ProfileLine[], ops: number) => new Map(lines.map((l) => [l.name.replace(/file:\/\/\/tmp\/[^/]+\//, ""), (l.ms * 1000) / ops]));
  const a = perOp(subject.summary[key], subject.ops);
  const b = perOp(baseline.summary[key], baseline.ops);
  return [...new Set([...a.keys(), ...b.keys()])]
    .map((name) => ({ name, subjectUs: a.get(name) ?? 0, baselineUs: b.get(name) ?? 0, deltaUs: (a.get(name) ?? 0) - (b.get(name) ?? 0) }))
    .sort((x, y) => y.deltaUs - x.deltaUs);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values, positionals } = parseArgs({
    options: {
      under: { type: "string" },
      top: { type: "string", default: "20" },
      ops: { type: "string" },
      baseline: { type: "string" },
      "baseline-ops": { type: "string" },
    },
    allowPositionals: true,
  });
  if (positionals.length !== 1) {
    console.error("usage: tsx bench/profile-summary.ts FILE.cpuprofile [--under \"name file:line\"] [--top 20] [--ops N]");
    process.exit(2);
  }
  const ops = values.ops === undefined ? undefined : Number(values.ops);
  const read = (file: string) => JSON.parse(readFileSync(file, "utf8")) as CpuProfile;
  if (values.baseline === undefined) {
    console.log(formatProfileSummary(summarizeProfile(read(positionals[0]!), { under: values.under, top: Number(values.top) }), ops));
  } else {
    if (ops === undefined || values["baseline-ops"] === undefined) throw new Error("--baseline needs --ops and --baseline-ops");
    const all = { under: values.under, top: Number.MAX_SAFE_INTEGER };
    const subject = { summary: summarizeProfile(read(positionals[0]!), all), ops };
    const baseline = { summary: summarizeProfile(read(values.baseline), all), ops: Number(values["baseline-ops"]) };
    const total = (subject.summary.totalMs * 1000) / subject.ops - (baseline.summary.totalMs * 1000) / baseline.ops;
    console.log(`CPU per operation: ${((subject.summary.totalMs * 1000) / subject.ops).toFixed(1)} µs vs ${((baseline.summary.totalMs * 1000) / baseline.ops).toFixed(1)} µs (${total >= 0 ? "+" : ""}${total.toFixed(1)} µs)`);
    for (const key of ["byPackage", "byFunction"] as const) {
      console.log(`largest increases, ${key === "byPackage" ? "by package" : "by function"} (µs/op: subject, baseline, delta):`);
      for (const line of compareProfiles(subject, baseline, key).slice(0, Number(values.top))) {
        console.log(`  ${line.subjectUs.toFixed(1).padStart(8)} ${line.baselineUs.toFixed(1).padStart(8)} ${(line.deltaUs >= 0 ? "+" : "") + line.deltaUs.toFixed(1).padStart(7)}  ${line.name}`);
      }
    }
  }
}
