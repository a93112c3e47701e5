// What the benchmark measures: one scenario is a pattern over a transport at one message size.
// Add transports, patterns and sizes here; runners pick scenarios by pattern.
import * as os from "node:os";
import * as path from "node:path";
import { formatSize } from "./sizes";

export const TRANSPORTS = ["tcp", "ipc"] as const;
export type Transport = (typeof TRANSPORTS)[number];

export interface Scenario {
  pattern: "push-pull";
  transport: Transport;
  size: number; // bytes per message
  messages: number;
}

/** About 1.3 GB per run, capped at half a million messages: each run lasts a second or two
 * with the native package on a small machine (about 200 K msg/s at 16 B). */
export function messagesFor(size: number, quick: boolean): number {
  const full = Math.min(500_000, Math.max(1_000, Math.round(1.3e9 / Math.max(size, 1))));
  return quick ? Math.max(100, Math.round(full / 20)) : full;
}

let ipcCount = 0;

/** Where the receiving side binds; tcp takes any free port, as CI machines are shared. */
export function bindEndpoint(transport: Transport): string {
  switch (transport) {
    case "tcp":
      return "tcp://127.0.0.1:*";
    case "ipc":
      return `ipc://${path.join(os.tmpdir(), `omq-bench-${process.pid}-${++ipcCount}.sock`)}`;
  }
}

export function scenarioName(scenario: Scenario): string {
  return `${scenario.pattern} ${scenario.transport} ${formatSize(scenario.size)}`;
}
