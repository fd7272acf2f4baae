import { writeFileSync } from "node:fs";
import { parseArgs } from "node:util";

/** One goal of the issue, judged against a baseline measured in the same run. */
export interface Goal {
  readonly goal: string;
  /** What was measured, e.g. "1.07×" or "182 KB". */
  readonly measured: string;
  /** The bar, e.g. "≤ 1.15×". */
  readonly target: string;
  readonly met: boolean;
}

/** What one benchmark child hands back to `bench/run.ts`. */
export interface BenchSection {
  readonly id: string;
  readonly title: string;
  /** What was compared with what, in a sentence or two (the method, for the reader). */
  readonly method: string;
  /** A markdown table of the figures. */
  readonly table: string;
  readonly goals: readonly Goal[];
  /** The raw figures, for latest.json. */
  readonly data: unknown;
}

/**
 * The entry point of a benchmark child: runs `measure` and writes its section as JSON to the
 * file named by `--out` (stdout is left to whatever the measured code prints).
 */
export async function runBenchChild(measure: () => Promise<BenchSection>): Promise<void> {
  const { values } = parseArgs({ options: { out: { type: "string" } }, strict: false });
  const out = values.out;
  if (typeof out !== "string") throw new Error("a benchmark child needs --out FILE");
  const section = await measure();
  writeFileSync(out, `${JSON.stringify(section, null, 2)}\n`);
}

/** A markdown table from a header row and body rows. */
export function markdownTable(header: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
  for (const row of rows) {
    if (row.length !== header.length) throw new RangeError(`a table row has ${row.length} cells, the header ${header.length}`);
  }
  const line = (cells: readonly string[]) => `| ${cells.map((c) => c.replaceAll("|", "\\|")).join(" | ")} |`;
  return [line(header), line(header.map(() => "---")), ...rows.map(line)].join("\n");
}

/** `1.07×`, the way every ratio in the report is written. */
export const ratio = (value: number): string => `${value.toFixed(2)}×`;

/** A median with its interquartile range: `12.3 (11.9–12.8)`. */
export function withSpread(summary: { median: number; p25: number; p75: number }, digits = 1): string {
  return `${summary.median.toFixed(digits)} (${summary.p25.toFixed(digits)}–${summary.p75.toFixed(digits)})`;
}
