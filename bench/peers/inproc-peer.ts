// PUSH -> PULL over inproc: both sockets in this one process, the sender and the receiver as two
// async loops on one event loop (inproc cannot leave a process). Each loop times itself, as
// over tcp, so the two sides are still reported separately.
import { onFinish, peerMain, report, type LibArgs } from "./peer";
import { receiveHello, receiveUntilEnd, sendFor, sendHello } from "./stream-loops";

export interface InprocArgs extends LibArgs {
  size: number;
  seconds: number;
}

peerMain<InprocArgs>("inproc-peer", async (args, zmq) => {
  const pull = new zmq.Pull();
  const push = new zmq.Push();
  onFinish(() => {
    push.close();
    pull.close();
  });
  const endpoint = `inproc://bench-${process.pid}`;
  await pull.bind(endpoint);
  push.connect(endpoint);
  const receiver = (async () => {
    await receiveHello(pull);
    return receiveUntilEnd(pull, args.size);
  })();
  const sender = (async () => {
    await sendHello(push);
    return sendFor(push, args.size, args.seconds);
  })();
  const [receiverTiming, senderTiming] = await Promise.all([receiver, sender]);
  report({ sender: senderTiming, receiver: receiverTiming });
});
