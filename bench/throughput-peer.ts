// One side of a throughput run, in its own process. The receiver binds, tells the parent its
// endpoint, and receives; the sender connects and sends. Each reports its Timing, then closes
// its socket and exits when the parent closes the IPC channel (or dies).
import { loadLib } from "./libs";
import { receiveMessages, sendMessages } from "./perf/throughput";

export interface PeerArgs {
  role: "sender" | "receiver";
  lib: string;
  endpoint: string;
  size: number;
  messages: number;
}

async function main(args: PeerArgs): Promise<void> {
  const zmq = loadLib(args.lib);
  if (args.role === "receiver") {
    const pull = new zmq.Pull();
    process.once("disconnect", () => pull.close());
    await pull.bind(args.endpoint);
    process.send!({ endpoint: pull.lastEndpoint });
    process.send!(await receiveMessages(pull, args.size, args.messages));
  } else {
    const push = new zmq.Push();
    // The sender closes only once the receiver has everything, so that a run never depends
    // on how a library lingers at close (that is for the tests to check).
    process.once("disconnect", () => push.close());
    push.connect(args.endpoint);
    process.send!(await sendMessages(push, args.size, args.messages));
  }
}

main(JSON.parse(process.argv[2]) as PeerArgs).catch((err) => {
  console.error(`throughput-peer: ${err?.stack ?? err}`);
  process.exit(1);
});
