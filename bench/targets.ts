// The performance targets of omq against the native package (one run, 2 cores), checked
// beside the ratios. A ratio target compares the first library with the second (omq/native);
// an absolute target holds the first library's own median to a bound.
import type { Summary } from "./stats";

export interface Target {
  label: string;
  scenario: string;
  measure: string;
  op: ">=" | "<=";
  value: number;
  of: "ratio" | "first"; // omq/native, or omq's own value
  unit?: string; // for absolute targets
}

export const TARGETS: Target[] = [
  { label: "tcp 16 B receiver", scenario: "push-pull tcp 16 B", measure: "recv msg/s", op: ">=", value: 10, of: "ratio" },
  { label: "tcp 1 KiB receiver", scenario: "push-pull tcp 1 KiB", measure: "recv msg/s", op: ">=", value: 3, of: "ratio" },
  { label: "tcp 64 KiB receiver", scenario: "push-pull tcp 64 KiB", measure: "recv MB/s", op: ">=", value: 1, of: "ratio" },
  { label: "tcp 1 MiB receiver", scenario: "push-pull tcp 1 MiB", measure: "recv MB/s", op: ">=", value: 1, of: "ratio" },
  { label: "ipc 16 B receiver", scenario: "push-pull ipc 16 B", measure: "recv msg/s", op: ">=", value: 10, of: "ratio" },
  { label: "inproc 16 B receiver", scenario: "push-pull inproc 16 B", measure: "recv msg/s", op: ">=", value: 20, of: "ratio" },
  { label: "inproc across threads 16 B receiver", scenario: "push-pull inproc-threads 16 B", measure: "recv msg/s", op: ">=", value: 10, of: "ratio" },
  { label: "tcp latency p50, 16 B", scenario: "req-rep tcp 16 B", measure: "p50 µs", op: "<=", value: 0.6, of: "ratio" },
  { label: "tcp latency p99, 16 B", scenario: "req-rep tcp 16 B", measure: "p99 µs", op: "<=", value: 0.6, of: "ratio" },
  { label: "PUB -> 10 SUB 16 B, received", scenario: "pub-sub tcp 16 B x10", measure: "recv msg/s", op: ">=", value: 3, of: "ratio" },
  { label: "idle connection, heap", scenario: "router idle tcp", measure: "heap KiB/conn", op: "<=", value: 16, of: "first", unit: "KiB" },
];

export interface TargetResult {
  target: Target;
  actual?: number;
  pass?: boolean; // undefined: not measured in this run
  note?: string;
}

export function checkTargets(summaries: Summary[], libs: string[]): TargetResult[] {
  return TARGETS.map((target) => {
    const summary = summaries.find((s) => s.scenario === target.scenario);
    if (!summary) return { target, note: "not run" };
    // Targets are about omq, and ratios about omq against the native package.
    if (libs[0] !== "omq") return { target, note: "targets need --libs omq,zeromq" };
    if (target.of === "ratio" && libs[1] !== "zeromq") return { target, note: "needs --libs omq,zeromq" };
    const skipped = Object.values(summary.skipped);
    const actual = target.of === "ratio" ? summary.ratio?.[target.measure] : summary.medians[libs[0]]?.[target.measure];
    if (actual === undefined) return { target, note: skipped.length > 0 ? skipped.join("; ") : "failed" };
    return { target, actual, pass: target.op === ">=" ? actual >= target.value : actual <= target.value };
  });
}

export function describeTarget(target: Target): string {
  return `${target.op === ">=" ? "≥" : "≤"} ${target.value}${target.of === "ratio" ? "×" : ` ${target.unit ?? ""}`}`.trim();
}

export function formatActual(result: TargetResult): string {
  if (result.actual === undefined) return result.note ?? "-";
  return result.target.of === "ratio" ? `${result.actual.toFixed(2)}×` : `${result.actual.toFixed(2)} ${result.target.unit ?? ""}`.trim();
}

export function mark(result: TargetResult): string {
  return result.pass === undefined ? "-" : result.pass ? "✓" : "✗";
}
