/**
 * The access report as text for a terminal and as markdown for a pull-request comment. Both show
 * the same matrix (routes down, principals across) and the statement behind every allow.
 */
import type { AccessReport } from "./access-report.js";

/** Where the report's stack is taken to be deployed, for the heading. */
export interface ReportHeading {
  readonly stack: string;
  readonly accountId: string;
  readonly region: string;
}

const ALLOW = "allow";
const DENY = "-";

function matrixRows(report: AccessReport): { header: string[]; rows: string[][] } {
  const decisions = new Map(report.decisions.map((d) => [`${d.principal}\u0000${d.api}\u0000${d.route}`, d]));
  const header = ["API", "route", ...report.principals.map((p) => p.label)];
  const rows = report.apis.flatMap((api) =>
    api.routes.map((route) => [
      api.name,
      route,
      ...report.principals.map((p) => (decisions.get(`${p.id}\u0000${api.name}\u0000${route}`)?.decision === "allow" ? ALLOW : DENY)),
    ]),
  );
  return { header, rows };
}

/** Allowed calls grouped by route and deciding statement (a public route lists everyone once). */
const allowed = (report: AccessReport) => {
  const labels = new Map(report.principals.map((p) => [p.id, p.label]));
  const groups = new Map<string, { api: string; route: string; reason: string; labels: string[] }>();
  for (const d of report.decisions) {
    if (d.decision !== "allow") continue;
    const key = `${d.api}\u0000${d.route}\u0000${d.reason}`;
    const group = groups.get(key) ?? { api: d.api, route: d.route, reason: d.reason, labels: [] };
    group.labels.push(labels.get(d.principal) ?? d.principal);
    groups.set(key, group);
  }
  return [...groups.values()].map((g) => ({ ...g, label: g.labels.length === report.principals.length ? "everyone" : g.labels.join(", ") }));
};

const summary = (report: AccessReport) => {
  const errors = report.findings.filter((f) => f.severity === "error").length;
  return `${errors} error(s), ${report.findings.length - errors} warning(s)`;
};

/** A plain-text table, columns padded. */
export function renderText(report: AccessReport, heading: ReportHeading): string {
  const { header, rows } = matrixRows(report);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: readonly string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join("  ").trimEnd();
  const out = [
    `Who can call what: stack ${heading.stack} (account ${heading.accountId}, ${heading.region})`,
    "",
    line(header),
    line(widths.map((w) => "-".repeat(w))),
    ...rows.map(line),
    "",
    "Principals:",
    ...report.principals.map((p) => `  ${p.label}: ${p.description}`),
    "",
    "Allowed, and the statement that decides:",
    ...allowed(report).map((d) => `  ${d.label} -> ${d.api} ${d.route}: ${d.reason}`),
    "",
    `Findings: ${summary(report)}`,
    ...report.findings.map((f) => `  ${f.severity} ${f.code}: ${f.message}`),
  ];
  return `${out.join("\n")}\n`;
}

const cell = (text: string) => text.replaceAll("|", "\\|");

/** Markdown for a pull-request comment. */
export function renderMarkdown(report: AccessReport, heading: ReportHeading): string {
  const { header, rows } = matrixRows(report);
  const row = (cells: readonly string[]) => `| ${cells.map(cell).join(" | ")} |`;
  const out = [
    `### Who can call what: \`${heading.stack}\``,
    "",
    row(header),
    row(header.map(() => "---")),
    ...rows.map((r) => row(r.map((c, i) => (i >= 2 && c === ALLOW ? "✅ allow" : i >= 2 ? "—" : `\`${c}\``)))),
    "",
    `**Findings:** ${summary(report)}`,
    ...report.findings.map((f) => `- ${f.severity === "error" ? "❌" : "⚠️"} \`${f.code}\`: ${cell(f.message)}`),
    "",
    "<details><summary>Allowed calls and the statement that decides each</summary>",
    "",
    ...allowed(report).map((d) => `- **${cell(d.label)}** → \`${d.api} ${d.route}\`: ${cell(d.reason)}`),
    "",
    "</details>",
  ];
  return `${out.join("\n")}\n`;
}
