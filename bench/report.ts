import type { BenchSection } from "./section.js";
import { markdownTable } from "./section.js";

export interface BenchEnvironment {
  readonly node: string;
  readonly cpu: string;
  readonly cores: number;
  readonly os: string;
  readonly commit?: string;
}

export interface BenchReport {
  readonly generatedAt: string;
  readonly command: string;
  readonly environment: BenchEnvironment;
  readonly durationSeconds: number;
  readonly sections: readonly BenchSection[];
}

/** Every goal of every section, in one table, each saying met or not met. */
export function goalsTable(sections: readonly BenchSection[]): string {
  const rows = sections.flatMap((section) => section.goals.map((goal) => [goal.goal, goal.measured, goal.target, goal.met ? "met" : "**not met**"]));
  return markdownTable(["Goal", "Measured", "Target", "Result"], rows);
}

/** bench/results/latest.md. */
export function renderReport(report: BenchReport): string {
  const env = report.environment;
  const lines = [
    "# Benchmarks",
    "",
    `Made by \`${report.command}\` on ${report.generatedAt} in ${report.durationSeconds.toFixed(0)} s` +
      `${env.commit ? ` at commit \`${env.commit.slice(0, 12)}\`` : ""}: Node ${env.node}, ${env.cores} × ${env.cpu}, ${env.os}. ` +
      "Every figure is compared with a baseline measured in the same run; absolute times are shown for context and depend on the machine.",
    "",
    "## Goals",
    "",
    goalsTable(report.sections),
  ];
  for (const section of report.sections) lines.push("", `## ${section.title}`, "", section.method, "", section.table);
  return `${lines.join("\n")}\n`;
}
