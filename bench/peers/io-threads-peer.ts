// One end of a PUSH -> PULL run over tcp whose context has `ioThreads` I/O threads, in its own
// process (as push-pull-peer.ts), reporting besides its timing how busy its own event loop was
// meanwhile (performance.eventLoopUtilization): the application's thread, which I/O threads
// are meant to relieve. libzmq always has I/O threads: for it 0 means its default, 1.
import { performance } from "node:perf_hooks";
import { fromBench, onFinish, peerMain, report, type LibArgs } from "./peer";
import type { CurveKeys } from "./push-pull-peer";
import { receiveHello, receiveUntilEnd, sendFor, sendHello, type SideTiming } from "./stream-loops";

export interface IoThreadsArgs extends LibArgs {
  role: "sender" | "receiver";
  endpoint: string;
  size: number;
  seconds: number;
  ioThreads: number;
  /** Both ends use CURVE with these keys (the receiver is the server): crypto then runs in the I/O threads. */
  curve?: CurveKeys;
}

export interface IoThreadsTiming extends SideTiming {
  /** Share of the timed interval the main thread's event loop was busy, 0..1. */
  elu: number;
}

/** Runs `work`, measuring the event-loop utilisation of this thread while it runs. */
async function withElu<T extends SideTiming>(work: () => Promise<T>): Promise<T & { elu: number }> {
  const start = performance.eventLoopUtilization();
  const timing = await work();
  const { utilization } = performance.eventLoopUtilization(start);
  return { ...timing, elu: utilization };
}

peerMain<IoThreadsArgs>("io-threads-peer", async (args, zmq) => {
  const ioThreads = args.lib === "zeromq" ? Math.max(1, args.ioThreads) : args.ioThreads;
  const context = new zmq.Context({ ioThreads });
  if (args.role === "receiver") {
    const pull = new zmq.Pull({ context, ...(args.curve ? { curveServer: true, curveSecretKey: args.curve.serverSecret } : {}) });
    onFinish(() => pull.close());
    await pull.bind(args.endpoint);
    report({ endpoint: pull.lastEndpoint });
    await receiveHello(pull);
    report({ ready: true });
    report(await withElu(() => receiveUntilEnd(pull, args.size)));
  } else {
    const curve = args.curve;
    const push = new zmq.Push({
      context,
      ...(curve ? { curveServerKey: curve.serverPublic, curvePublicKey: curve.clientPublic, curveSecretKey: curve.clientSecret } : {}),
    });
    onFinish(() => push.close());
    push.connect(args.endpoint);
    await sendHello(push);
    await fromBench();
    report(await withElu(() => sendFor(push, args.size, args.seconds)));
  }
});
