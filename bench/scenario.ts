// What one benchmark scenario is: a name, the measures it reports, and how to run it once for
// one library. Scenarios are listed in plan.ts; each kind lives in scenarios/.
import type { RunHarness } from "./harness";

/** One run's results, by measure name. */
export type Values = Record<string, number>;

export interface MeasureSpec {
  name: string; // with its unit: "recv msg/s", "p99 µs"
  better: "higher" | "lower";
  /** false where omq/native means nothing (e.g. JS heap, which the native package hardly uses). */
  ratio?: boolean;
  digits?: number; // decimals in the table; large numbers get thousands separators
}

/** The selectors of --only. */
export const GROUPS = ["tcp-thr", "ipc-thr", "inproc-thr", "inproc-threads", "curve-thr", "lat", "fanout", "alloc", "idle", "io-threads"] as const;
export type Group = (typeof GROUPS)[number];
/** Names that stand for several groups. */
export const GROUP_ALIASES: Record<string, Group[]> = {
  thr: ["tcp-thr", "ipc-thr", "inproc-thr", "inproc-threads"],
  mem: ["alloc", "idle"],
  all: [...GROUPS],
};

export type Kind = "throughput" | "latency" | "fanout" | "alloc" | "idle" | "io-threads";

export interface Settings {
  seconds: number; // how long each run sends (throughput, fan-out) or makes round trips (latency)
  peers: number; // idle connections on one ROUTER
  subProcesses: number; // processes the 10 SUBs of the fan-out are spread over
  quick: boolean;
}

export interface RunOutput {
  values: Values;
  /** Raw numbers kept in the JSON (timings of each side, sample counts...). */
  detail?: unknown;
}

export interface Scenario {
  name: string; // unique: "push-pull tcp 16 B"
  group: Group;
  kind: Kind;
  transport: string;
  size?: number;
  measures: MeasureSpec[];
  /** Seconds before the watchdog kills a run. */
  timeoutSeconds(settings: Settings): number;
  /** Throws NotAvailable when the library lacks what the scenario needs. */
  run(lib: string, settings: Settings, harness: RunHarness): Promise<RunOutput>;
}

/** The library cannot run this scenario (yet): reported as skipped, not as a failure. */
export class NotAvailable extends Error {}

export const THROUGHPUT_MEASURES: MeasureSpec[] = [
  { name: "send msg/s", better: "higher" },
  { name: "send MB/s", better: "higher", digits: 1 },
  { name: "recv msg/s", better: "higher" },
  { name: "recv MB/s", better: "higher", digits: 1 },
];

/** Messages and megabytes (10^6 bytes) per second of one side's timing. */
export function rates(prefix: "send" | "recv", t: { messages: number; bytes: number; seconds: number }): Values {
  return { [`${prefix} msg/s`]: t.messages / t.seconds, [`${prefix} MB/s`]: t.bytes / t.seconds / 1e6 };
}
