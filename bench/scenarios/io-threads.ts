// I/O threads (issue 7): tcp PUSH -> PULL with the connections on 0, 1 or 2 worker threads
// (new Context({ioThreads})), sender and receiver in separate processes, each with the same
// setting. Besides throughput, each side reports how busy its application thread's event
// loop was: what I/O threads are meant to lower.
import type { IoThreadsArgs, IoThreadsTiming } from "../peers/io-threads-peer";
import { rates, THROUGHPUT_MEASURES, type Scenario, type Settings } from "../scenario";
import { formatSize } from "../sizes";
import { curveKeys } from "./push-pull";

export const IO_THREADS = [0, 1, 2];
export const IO_THREADS_SIZES = [16, 64 * 1024];

/**
 * With `curve`, both ends speak CURVE: the crypto is then the I/O threads' work. With
 * `receiverOnly`, the sender keeps ioThreads 0 (on a 2-core machine two processes with an
 * I/O thread each are four busy threads on two cores).
 */
export function ioThreadsPushPull(ioThreads: number, size: number, curve = false, receiverOnly = false): Scenario {
  const sender = receiverOnly ? 0 : ioThreads;
  return {
    name: `push-pull tcp${curve ? " curve" : ""} ioThreads ${receiverOnly ? `${ioThreads} (receiver only)` : ioThreads} ${formatSize(size)}`,
    group: "io-threads",
    kind: "io-threads",
    transport: "tcp",
    size,
    measures: [
      ...THROUGHPUT_MEASURES,
      { name: "send ELU %", better: "lower", digits: 0 },
      { name: "recv ELU %", better: "lower", digits: 0 },
    ],
    timeoutSeconds: (settings: Settings) => 30 + 4 * settings.seconds,
    async run(lib, settings, harness) {
      const args = { lib, size, seconds: settings.seconds, ioThreads, curve: curve ? curveKeys() : undefined };
      const receiver = harness.start("receiver", "io-threads-peer", { ...args, role: "receiver", endpoint: "tcp://127.0.0.1:*" } satisfies IoThreadsArgs);
      const { endpoint } = await receiver.next<{ endpoint: string }>();
      const senderArgs: IoThreadsArgs = { ...args, role: "sender", endpoint, ioThreads: sender };
      const sending = harness.start("sender", "io-threads-peer", senderArgs);
      await receiver.next(); // it has the sender's hello: connected
      sending.send("go");
      const [recv, send] = await Promise.all([receiver.next<IoThreadsTiming>(), sending.next<IoThreadsTiming>()]);
      await harness.finish();
      return {
        values: { ...rates("send", send), ...rates("recv", recv), "send ELU %": send.elu * 100, "recv ELU %": recv.elu * 100 },
        detail: { sender: send, receiver: recv },
      };
    },
  };
}
