// Latency: REQ/REP round trips over tcp or ipc, server and client in separate processes, every
// round trip timed by the client (see peers/req-rep-peer.ts). Reported as one-way latency.
import type { LatencySummary } from "../stats";
import type { ReqRepArgs } from "../peers/req-rep-peer";
import type { Scenario } from "../scenario";
import { formatSize } from "../sizes";

export const PERCENTILES = ["p50", "p90", "p99", "p99.9", "max"] as const;

export function reqRep(transport: "tcp" | "ipc", size: number): Scenario {
  return {
    name: `req-rep ${transport} ${formatSize(size)}`,
    group: "lat",
    kind: "latency",
    transport,
    size,
    measures: [
      ...PERCENTILES.map((p) => ({ name: `${p} µs`, better: "lower" as const, digits: 1 })),
      { name: "round trips", better: "higher", ratio: false },
    ],
    timeoutSeconds: (settings) => 30 + 2 * settings.seconds,
    async run(lib, settings, harness) {
      const bindTo = transport === "tcp" ? "tcp://127.0.0.1:*" : harness.ipcEndpoint();
      const args = { lib, size, seconds: settings.seconds };
      const server = harness.start("server", "req-rep-peer", { ...args, role: "server", endpoint: bindTo } satisfies ReqRepArgs);
      const { endpoint } = await server.next<{ endpoint: string }>();
      const client = harness.start("client", "req-rep-peer", { ...args, role: "client", endpoint } satisfies ReqRepArgs);
      const summary = await client.next<LatencySummary>();
      await harness.finish();
      const values: Record<string, number> = { "round trips": summary.count };
      for (const p of PERCENTILES) values[`${p} µs`] = summary[p];
      return { values, detail: summary };
    },
  };
}
