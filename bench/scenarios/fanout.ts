// Fan-out: one PUB to 10 SUBs over tcp. The PUB has a process of its own; the SUBs share
// `subProcesses` processes (on a 2-core machine, ten node processes would mostly measure the
// scheduler). Throughput exists only at an endpoint, so the PUB's send rate and the SUBs'
// aggregate receive rate (all data messages received / the union of the SUBs' receive
// intervals) are reported apart, with the share of sent copies that arrived.
import { loadLib } from "../libs";
import type { PubArgs } from "../peers/pub-peer";
import type { SubArgs, SubCount } from "../peers/sub-peer";
import type { SideTiming } from "../peers/stream-loops";
import { NotAvailable, type Scenario } from "../scenario";
import { formatSize } from "../sizes";

export const SUBSCRIBERS = 10;

export function pubSub(size: number): Scenario {
  return {
    name: `pub-sub tcp ${formatSize(size)} x${SUBSCRIBERS}`,
    group: "fanout",
    kind: "fanout",
    transport: "tcp",
    size,
    measures: [
      { name: "send msg/s", better: "higher" },
      { name: "recv msg/s", better: "higher" },
      { name: "delivered %", better: "higher", digits: 1, ratio: false },
    ],
    timeoutSeconds: (settings) => 40 + 4 * settings.seconds,
    async run(lib, settings, harness) {
      const zmq = loadLib(lib);
      if (typeof zmq.Publisher !== "function" || typeof zmq.Subscriber !== "function") {
        throw new NotAvailable(`${lib}: not available yet (no Publisher/Subscriber)`);
      }
      const pub = harness.start("pub", "pub-peer", { lib, size, seconds: settings.seconds } satisfies PubArgs);
      const { endpoint } = await pub.next<{ endpoint: string }>();
      const processes = Math.max(1, Math.min(settings.subProcesses, SUBSCRIBERS));
      const subs = Array.from({ length: processes }, (_, i) => {
        // Spread the SUBs as evenly as the processes allow: 10 over 3 is 4, 3, 3.
        const subscribers = Math.floor(SUBSCRIBERS / processes) + (i < SUBSCRIBERS % processes ? 1 : 0);
        return harness.start(`subs ${i + 1}`, "sub-peer", { lib, endpoint, subscribers } satisfies SubArgs);
      });
      await Promise.all(subs.map((sub) => sub.next())); // every SUB has a warm-up message
      pub.send("go");
      const sent = await pub.next<SideTiming>();
      for (const sub of subs) sub.send("report");
      const counts = (await Promise.all(subs.map((sub) => sub.next<{ counts: SubCount[] }>()))).flatMap((r) => r.counts);
      await harness.finish();

      const received = counts.reduce((sum, c) => sum + c.messages, 0);
      const active = counts.filter((c) => c.messages > 0);
      const seconds = (Math.max(...active.map((c) => c.last)) - Math.min(...active.map((c) => c.first))) / 1000;
      const values = {
        "send msg/s": sent.messages / sent.seconds,
        "recv msg/s": seconds > 0 ? received / seconds : 0,
        "delivered %": (100 * received) / (sent.messages * SUBSCRIBERS),
      };
      return { values, detail: { sent, counts, processes } };
    },
  };
}
