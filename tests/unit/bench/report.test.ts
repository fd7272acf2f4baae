import { expect } from "chai";
import { goalsTable, renderReport, type BenchReport } from "../../../bench/report.js";
import { markdownTable, withSpread } from "../../../bench/section.js";

const report: BenchReport = {
  generatedAt: "2026-01-02T03:04:05Z",
  command: "npm run bench",
  environment: { node: "20.20.2", cpu: "Test CPU", cores: 2, os: "Linux 6", commit: "0123456789abcdef0123" },
  durationSeconds: 61.4,
  sections: [
    {
      id: "a",
      title: "Alpha",
      method: "How alpha was measured.",
      table: "| x |\n| --- |\n| 1 |",
      goals: [
        { goal: "alpha fast", measured: "1.01×", target: "≤ 1.15×", met: true },
        { goal: "alpha small", measured: "300 KB", target: "< 250 KB", met: false },
      ],
      data: {},
    },
  ],
};

describe("bench report", () => {
  it("says for each goal whether it is met", () => {
    const table = goalsTable(report.sections);
    expect(table).to.include("| alpha fast | 1.01× | ≤ 1.15× | met |");
    expect(table).to.include("| alpha small | 300 KB | < 250 KB | **not met** |");
  });

  it("names the command, the machine and the commit, then each section's method and table", () => {
    const markdown = renderReport(report);
    expect(markdown).to.include("Made by `npm run bench` on 2026-01-02T03:04:05Z in 61 s at commit `0123456789ab`");
    expect(markdown).to.include("Node 20.20.2, 2 × Test CPU");
    expect(markdown.indexOf("## Goals")).to.be.lessThan(markdown.indexOf("## Alpha"));
    expect(markdown).to.include("## Alpha\n\nHow alpha was measured.\n\n| x |");
  });

  it("escapes pipes in cells and refuses rows that do not fit the header", () => {
    expect(markdownTable(["a", "b"], [["x|y", "z"]])).to.equal("| a | b |\n| --- | --- |\n| x\\|y | z |");
    expect(() => markdownTable(["a", "b"], [["only one"]])).to.throw(RangeError, /1 cells, the header 2/);
  });

  it("writes a median with its interquartile range", () => {
    expect(withSpread({ median: 12.345, p25: 11.9, p75: 12.81 })).to.equal("12.3 (11.9–12.8)");
  });
});
