// From runs to the numbers we report: the median of each measure per scenario and library,
// and the ratio of the first library to the second.
import { megabytesPerSecond, messagesPerSecond } from "./perf/throughput";
import type { ThroughputResult } from "./run-throughput";

export const MEASURES = {
  "send msg/s": (r: ThroughputResult) => messagesPerSecond(r.sender),
  "send MB/s": (r: ThroughputResult) => megabytesPerSecond(r.sender),
  "recv msg/s": (r: ThroughputResult) => messagesPerSecond(r.receiver),
  "recv MB/s": (r: ThroughputResult) => megabytesPerSecond(r.receiver),
};
export type Measure = keyof typeof MEASURES;
export type Values = Record<Measure, number>;

export interface Run {
  scenario: string;
  lib: string; // label: the library name, "#2" added when both sides of the comparison are one library
  round: number;
  result?: ThroughputResult;
  error?: string;
}

export interface Summary {
  scenario: string;
  runs: Record<string, number>; // successful runs per library
  medians: Record<string, Values>; // only libraries with at least one successful run
  ratio?: Values; // first library / second library
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export function summarize(runs: Run[], scenarios: string[], libs: string[]): Summary[] {
  return scenarios.map((scenario) => {
    const summary: Summary = { scenario, runs: {}, medians: {} };
    for (const lib of libs) {
      const results = runs.filter((r) => r.scenario === scenario && r.lib === lib && r.result).map((r) => r.result!);
      summary.runs[lib] = results.length;
      if (results.length > 0) summary.medians[lib] = mapMeasures((measure) => median(results.map(measure)));
    }
    const [a, b] = libs.map((lib) => summary.medians[lib]);
    if (a && b) summary.ratio = mapMeasures((_, name) => a[name] / b[name]);
    return summary;
  });
}

function mapMeasures(f: (measure: (r: ThroughputResult) => number, name: Measure) => number): Values {
  const entries = Object.entries(MEASURES).map(([name, measure]) => [name, f(measure, name as Measure)]);
  return Object.fromEntries(entries) as Values;
}
