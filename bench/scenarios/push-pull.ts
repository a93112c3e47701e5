// Throughput PUSH -> PULL over tcp and ipc (two processes) and inproc (one process), and the
// heap allocated per received message (tcp, receiver under a HeapMeter).
import type { RunHarness } from "../harness";
import type { InprocArgs } from "../peers/inproc-peer";
import type { CurveKeys, PushPullArgs } from "../peers/push-pull-peer";
import * as zmq from "zeromq";
import type { ReceiverTiming, SideTiming } from "../peers/stream-loops";
import { rates, THROUGHPUT_MEASURES, type RunOutput, type Scenario, type Settings } from "../scenario";
import { formatSize } from "../sizes";

export type StreamTransport = "tcp" | "ipc" | "inproc";

/** Time allowed beyond the send time: starting processes, draining queues of large messages. */
const timeoutSeconds = (settings: Settings) => 30 + 4 * settings.seconds;

/** With `curve`, both ends speak CURVE (tcp only): omq's WebAssembly crypto against libzmq's libsodium. */
export function pushPull(transport: StreamTransport, size: number, curve = false): Scenario {
  return {
    name: `push-pull ${transport}${curve ? " curve" : ""} ${formatSize(size)}`,
    group: curve ? "curve-thr" : `${transport}-thr`,
    kind: "throughput",
    transport,
    size,
    measures: THROUGHPUT_MEASURES,
    timeoutSeconds,
    async run(lib, settings, harness) {
      const { sender, receiver } =
        transport === "inproc"
          ? await runInproc(harness, { lib, size, seconds: settings.seconds })
          : await runTwoProcesses(harness, transport, { lib, size, seconds: settings.seconds, curve: curve ? curveKeys() : undefined });
      return { values: { ...rates("send", sender), ...rates("recv", receiver) }, detail: { sender, receiver } };
    },
  };
}

export function receiveAllocation(size: number): Scenario {
  return {
    name: `alloc tcp ${formatSize(size)}`,
    group: "alloc",
    kind: "alloc",
    transport: "tcp",
    size,
    measures: [
      { name: "heap B/msg", better: "lower", digits: 1 },
      { name: "GCs/1M msg", better: "lower", digits: 1 },
      { name: "recv msg/s", better: "higher" },
    ],
    timeoutSeconds,
    async run(lib, settings, harness): Promise<RunOutput> {
      // The first 30 % of the run warms up unmetered; the meter needs at least 1024 messages after it.
      const seconds = Math.max(settings.seconds, 0.5);
      const { receiver } = await runTwoProcesses(harness, "tcp", { lib, size, seconds }, seconds * 0.3);
      const heap = receiver.heap;
      if (!heap) throw new Error("the receiver finished before its heap meter started");
      const values = {
        "heap B/msg": heap.allocatedBytes / heap.messages,
        "GCs/1M msg": (heap.gcs / heap.messages) * 1e6,
        "recv msg/s": receiver.messages / receiver.seconds,
      };
      return { values, detail: { receiver } };
    },
  };
}

interface StreamArgs {
  lib: string;
  size: number;
  seconds: number;
  curve?: CurveKeys;
}

/** Fresh key pairs for one CURVE run (Z85 strings, the same for both libraries). */
export function curveKeys(): CurveKeys {
  const server = zmq.curveKeyPair();
  const client = zmq.curveKeyPair();
  return { serverPublic: server.publicKey, serverSecret: server.secretKey, clientPublic: client.publicKey, clientSecret: client.secretKey };
}

async function runTwoProcesses(
  harness: RunHarness,
  transport: "tcp" | "ipc",
  args: StreamArgs,
  heapWarmSeconds?: number,
): Promise<{ sender: SideTiming; receiver: ReceiverTiming }> {
  const bindTo = transport === "tcp" ? "tcp://127.0.0.1:*" : harness.ipcEndpoint();
  const receiverArgs: PushPullArgs = { ...args, role: "receiver", endpoint: bindTo, heapWarmSeconds };
  const receiver = harness.start("receiver", "push-pull-peer", receiverArgs, {
    execArgv: heapWarmSeconds === undefined ? [] : ["--expose-gc"],
  });
  const { endpoint } = await receiver.next<{ endpoint: string }>();
  const sender = harness.start("sender", "push-pull-peer", { ...args, role: "sender", endpoint } satisfies PushPullArgs);
  await receiver.next(); // it has the sender's hello: connected
  sender.send("go");
  const [receiverTiming, senderTiming] = await Promise.all([receiver.next<ReceiverTiming>(), sender.next<SideTiming>()]);
  await harness.finish();
  return { sender: senderTiming, receiver: receiverTiming };
}

async function runInproc(harness: RunHarness, args: InprocArgs): Promise<{ sender: SideTiming; receiver: ReceiverTiming }> {
  const peer = harness.start("inproc", "inproc-peer", args);
  const result = await peer.next<{ sender: SideTiming; receiver: ReceiverTiming }>();
  await harness.finish();
  return result;
}
