// The terminal side of the report: one table per kind of scenario (its own columns), the ratio
// omq/native under each scenario, and the targets with ✓/✗. Also the JSON file of the run.
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { MeasureSpec, Scenario } from "./scenario";
import type { Run, Summary } from "./stats";
import { describeTarget, formatActual, mark, type TargetResult } from "./targets";

export const RESULTS_DIR = path.join(__dirname, "..", "..", "bench", "results"); // from dist/bench

const KIND_TITLES: Record<string, string> = {
  throughput: "Throughput, PUSH -> PULL (each side times itself; MB = 10^6 bytes)",
  latency: "Latency, REQ/REP: one-way = half of each round trip, percentiles over every round trip",
  fanout: "Fan-out, PUB -> 10 SUB (recv: all SUBs together)",
  alloc: "Heap allocated per received message (GCProfiler; see README)",
  idle: "Idle connections on one ROUTER, per connection",
  "io-threads": "I/O threads, tcp PUSH -> PULL (ELU: how busy each side's application thread was; zeromq: ioThreads max(1, n))",
};

export function printTables(summaries: Summary[], scenarios: Scenario[], libs: string[], rounds: number): void {
  console.log(`\nmedian of ${rounds} round${rounds === 1 ? "" : "s"}, ${libs.join(" vs ")}, ratio = ${libs.join("/")}`);
  for (const kind of Object.keys(KIND_TITLES)) {
    const mine = scenarios.filter((s) => s.kind === kind);
    if (mine.length === 0) continue;
    const measures = mine[0].measures;
    const rows: string[][] = [];
    for (const scenario of mine) {
      const summary = summaries.find((s) => s.scenario === scenario.name)!;
      for (const [i, lib] of libs.entries()) {
        const values = summary.medians[lib];
        const note = summary.skipped[lib] ? "skipped" : summary.runs[lib] < rounds ? `${summary.runs[lib]}/${rounds} ok` : "";
        const cells = measures.map((m) => (values?.[m.name] !== undefined ? formatValue(m, values[m.name]) : values ? "-" : "failed"));
        if (summary.skipped[lib]) cells.fill("-");
        rows.push([i === 0 ? scenario.name : "", note ? `${lib} (${note})` : lib, ...cells]);
      }
      if (libs.length === 2) rows.push(["", libs.join("/"), ...measures.map((m) => formatRatio(summary.ratio?.[m.name]))]);
    }
    console.log(`\n${KIND_TITLES[kind]}\n`);
    printAligned(["scenario", "lib", ...measures.map((m) => m.name)], rows);
  }
}

export function printTargets(results: TargetResult[]): void {
  const measured = results.filter((r) => r.note !== "not run");
  if (measured.length === 0) return;
  if (measured.every((r) => r.note?.includes("--libs"))) {
    console.log("\nTargets: checked only with --libs omq,zeromq");
    return;
  }
  console.log("\nTargets (one run, 2 cores)\n");
  const rows = measured.map((r) => [r.target.label, describeTarget(r.target), formatActual(r), mark(r)]);
  printAligned(["target", "goal", "this run", ""], rows);
}

function printAligned(header: string[], rows: string[][]): void {
  const widths = header.map((h, i) => Math.max(width(h), ...rows.map((row) => width(row[i]))));
  const pad = (cell: string, i: number) => {
    const fill = " ".repeat(widths[i] - width(cell));
    return i < 2 ? cell + fill : fill + cell; // names left, numbers right
  };
  console.log(header.map(pad).join("  ").trimEnd());
  for (const row of rows) console.log(row.map(pad).join("  ").trimEnd());
}

/** Display width: "×", "✓", "µ" are one column each. */
function width(text: string): number {
  return [...text].length;
}

export function formatValue(measure: MeasureSpec, value: number): string {
  if (measure.digits === undefined || Math.abs(value) >= 10_000) return Math.round(value).toLocaleString("en-US");
  return value.toFixed(measure.digits);
}

export function formatRatio(ratio: number | undefined): string {
  if (ratio === undefined) return "-";
  return `${ratio >= 100 ? ratio.toFixed(0) : ratio.toFixed(2)}×`;
}

export function machine(): Record<string, unknown> {
  const cpus = os.cpus();
  return {
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
    cpus: cpus.length,
    cpu: cpus[0]?.model,
    memoryGB: Math.round(os.totalmem() / 1e9),
    loadAverage: os.loadavg().map((l) => Number(l.toFixed(2))), // 1, 5, 15 min, at the end of the run
  };
}

export function gitCommit(): string | undefined {
  try {
    const run = (args: string[]) => execFileSync("git", args, { cwd: __dirname, stdio: ["ignore", "pipe", "ignore"] }).toString().trim();
    return run(["rev-parse", "--short", "HEAD"]) + (run(["status", "--porcelain", "--", "src"]) ? " + uncommitted src" : "");
  } catch {
    return undefined;
  }
}

export interface Report {
  date: string;
  commit?: string;
  machine: Record<string, unknown>;
  options: Record<string, unknown>;
  libs: string[];
  rounds: number;
  scenarios: Array<Pick<Scenario, "name" | "kind" | "group" | "transport" | "size" | "measures">>;
  summaries: Summary[];
  targets: TargetResult[];
  runs: Run[];
}

/** Writes the report as JSON under bench/results/ and returns the path without its extension. */
export function writeJson(report: Report): string {
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  const base = path.join(RESULTS_DIR, report.date.replace(/[:.]/g, "-"));
  fs.writeFileSync(`${base}.json`, JSON.stringify(report, null, 2) + "\n");
  return base;
}
