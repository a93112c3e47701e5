// From runs to the numbers we report: per scenario and library, the median of each measure over
// the rounds (and its range, to see the noise), and the ratio of the first library to the second.
import type { Kind, Scenario, Values } from "./scenario";

export interface Run {
  scenario: string;
  lib: string; // label: the library name, "#2" added when both sides of the comparison are one library
  round: number;
  values?: Values;
  detail?: unknown;
  error?: string; // the run failed (the bench went on)
  skipped?: string; // the library cannot run this scenario
  warnings?: string[];
  wallSeconds: number; // the whole run: processes starting, measuring, exiting
}

export interface Summary {
  scenario: string;
  kind: Kind;
  runs: Record<string, number>; // successful runs per library
  skipped: Record<string, string>; // why a library did not run
  medians: Record<string, Values>; // only libraries with at least one successful run
  ranges: Record<string, Record<string, [number, number]>>; // min and max over the rounds
  ratio?: Values; // first library / second library, measures with a meaningful ratio only
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export function summarize(runs: Run[], scenarios: Scenario[], libs: string[]): Summary[] {
  return scenarios.map((scenario) => {
    const summary: Summary = { scenario: scenario.name, kind: scenario.kind, runs: {}, skipped: {}, medians: {}, ranges: {} };
    for (const lib of libs) {
      const mine = runs.filter((r) => r.scenario === scenario.name && r.lib === lib);
      const results = mine.filter((r) => r.values).map((r) => r.values!);
      summary.runs[lib] = results.length;
      const skip = mine.find((r) => r.skipped);
      if (skip) summary.skipped[lib] = skip.skipped!;
      if (results.length === 0) continue;
      summary.medians[lib] = {};
      summary.ranges[lib] = {};
      for (const { name } of scenario.measures) {
        const values = results.map((v) => v[name]).filter((v) => Number.isFinite(v));
        if (values.length === 0) continue;
        summary.medians[lib][name] = median(values);
        summary.ranges[lib][name] = [Math.min(...values), Math.max(...values)];
      }
    }
    const [a, b] = libs.map((lib) => summary.medians[lib]);
    if (a && b) {
      summary.ratio = {};
      for (const { name, ratio } of scenario.measures) {
        if (ratio !== false && a[name] !== undefined && b[name] > 0) summary.ratio[name] = a[name] / b[name];
      }
    }
    return summary;
  });
}

/** One-way latencies of a run, in microseconds. */
export interface LatencySummary {
  count: number;
  mean: number;
  p50: number;
  p90: number;
  p99: number;
  "p99.9": number;
  max: number;
}

/** Percentiles are nearest-rank: the smallest sample with at least p % of the samples at or
 * below it, so every value reported is one that was measured. */
export function percentiles(samples: Float64Array): LatencySummary {
  const sorted = Float64Array.from(samples).sort();
  const n = sorted.length;
  if (n === 0) throw new Error("no samples");
  const at = (p: number) => sorted[Math.min(n - 1, Math.max(0, Math.ceil((p / 100) * n) - 1))];
  let sum = 0;
  for (const x of sorted) sum += x;
  return { count: n, mean: sum / n, p50: at(50), p90: at(90), p99: at(99), "p99.9": at(99.9), max: sorted[n - 1] };
}
