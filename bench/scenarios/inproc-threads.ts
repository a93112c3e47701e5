// Throughput PUSH -> PULL over inproc:// between two worker threads of one process (issue 7):
// omq's shared rings against the native package's inproc, whose one context all threads share.
import type { InprocThreadsArgs } from "../peers/inproc-threads-peer";
import type { ReceiverTiming, SideTiming } from "../peers/stream-loops";
import { rates, THROUGHPUT_MEASURES, type Scenario, type Settings } from "../scenario";
import { formatSize } from "../sizes";

export const INPROC_THREADS_SIZES = [16, 64 * 1024];

export function inprocThreads(size: number): Scenario {
  return {
    name: `push-pull inproc-threads ${formatSize(size)}`,
    group: "inproc-threads",
    kind: "throughput",
    transport: "inproc-threads",
    size,
    measures: THROUGHPUT_MEASURES,
    timeoutSeconds: (settings: Settings) => 30 + 4 * settings.seconds,
    async run(lib, settings, harness) {
      const peer = harness.start("inproc-threads", "inproc-threads-peer", { lib, size, seconds: settings.seconds } satisfies InprocThreadsArgs);
      const { sender, receiver } = await peer.next<{ sender: SideTiming; receiver: ReceiverTiming }>();
      await harness.finish();
      return { values: { ...rates("send", sender), ...rates("recv", receiver) }, detail: { sender, receiver } };
    },
  };
}
