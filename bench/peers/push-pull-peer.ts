// One end of a PUSH -> PULL run over tcp or ipc, in its own process. The receiver binds and
// reports its endpoint; the sender connects and sends hello; once the receiver has it, the bench
// says "go" and the sender sends for the given time. Each end reports its own timing.
import { fromBench, onFinish, peerMain, report, type LibArgs } from "./peer";
import { HeapMeter } from "./heap-meter";
import { receiveHello, receiveUntilEnd, sendFor, sendHello } from "./stream-loops";

export interface CurveKeys {
  serverPublic: string;
  serverSecret: string;
  clientPublic: string;
  clientSecret: string;
}

export interface PushPullArgs extends LibArgs {
  /** Both ends use CURVE with these keys (the receiver is the server). */
  curve?: CurveKeys;
  role: "sender" | "receiver";
  endpoint: string;
  size: number;
  seconds: number;
  /** Receiver only: meter heap allocation after this many seconds of warm-up. */
  heapWarmSeconds?: number;
}

peerMain<PushPullArgs>("push-pull-peer", async (args, zmq) => {
  if (args.role === "receiver") {
    const pull = new zmq.Pull(args.curve ? { curveServer: true, curveSecretKey: args.curve.serverSecret } : {});
    onFinish(() => pull.close());
    await pull.bind(args.endpoint);
    report({ endpoint: pull.lastEndpoint });
    await receiveHello(pull);
    report({ ready: true });
    const meter = args.heapWarmSeconds === undefined ? undefined : new HeapMeter();
    report(await receiveUntilEnd(pull, args.size, meter, args.heapWarmSeconds));
  } else {
    const curve = args.curve;
    const push = new zmq.Push(
      curve ? { curveServerKey: curve.serverPublic, curvePublicKey: curve.clientPublic, curveSecretKey: curve.clientSecret } : {},
    );
    // The sender closes only once the receiver has everything, so that a run never depends
    // on how a library lingers at close (that is for the tests to check).
    onFinish(() => push.close());
    push.connect(args.endpoint);
    await sendHello(push);
    await fromBench();
    report(await sendFor(push, args.size, args.seconds));
  }
});
