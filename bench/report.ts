// Shows the summaries as a table on the terminal and saves everything as JSON.
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { MEASURES, type Measure, type Run, type Summary } from "./stats";

const MEASURE_NAMES = Object.keys(MEASURES) as Measure[];

export function printTable(summaries: Summary[], libs: string[], rounds: number): void {
  const header = ["scenario", "lib", ...MEASURE_NAMES];
  const rows: string[][] = [];
  for (const summary of summaries) {
    for (const [i, lib] of libs.entries()) {
      const values = summary.medians[lib];
      const cells = values ? MEASURE_NAMES.map((m) => formatValue(m, values[m])) : MEASURE_NAMES.map(() => "failed");
      const note = summary.runs[lib] < rounds ? ` (${summary.runs[lib]}/${rounds} ok)` : "";
      rows.push([i === 0 ? summary.scenario : "", lib + note, ...cells]);
    }
    if (libs.length === 2) {
      const ratio = summary.ratio;
      rows.push(["", libs.join("/"), ...MEASURE_NAMES.map((m) => (ratio ? `${ratio[m].toFixed(2)}x` : "-"))]);
    }
  }
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells: string[]) =>
    cells.map((cell, i) => (i < 2 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join("  ");
  console.log(`\nmedian of ${rounds} round${rounds === 1 ? "" : "s"}; MB = 10^6 bytes\n`);
  console.log(line(header));
  for (const row of rows) console.log(line(row));
}

export function writeJson(startedAt: Date, summaries: Summary[], runs: Run[], options: object): string {
  const dir = path.join(__dirname, "..", "..", "bench", "results"); // from dist/bench
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${startedAt.toISOString().replace(/[:.]/g, "-")}.json`);
  const machine = { node: process.version, platform: `${os.platform()} ${os.release()}`, cpus: os.cpus().length, cpu: os.cpus()[0]?.model };
  const report = { date: startedAt.toISOString(), commit: gitCommit(), machine, options, summaries, runs };
  fs.writeFileSync(file, JSON.stringify(report, null, 2) + "\n");
  return file;
}

function formatValue(measure: Measure, value: number): string {
  return measure.endsWith("msg/s") ? Math.round(value).toLocaleString("en-US") : value.toFixed(1);
}

function gitCommit(): string | undefined {
  try {
    return execFileSync("git", ["rev-parse", "--short", "HEAD"], { cwd: __dirname, stdio: ["ignore", "pipe", "ignore"] })
      .toString()
      .trim();
  } catch {
    return undefined;
  }
}
