// One side of a throughput run, in its own process. The receiver binds, tells the parent its
// endpoint, and receives; the sender connects and sends. Each reports its Timing and exits.
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
    await pull.bind(args.endpoint);
    process.send!({ endpoint: pull.lastEndpoint });
    process.send!(await receiveMessages(pull, args.size, args.messages));
    pull.close();
  } else {
    const push = new zmq.Push();
    push.connect(args.endpoint);
    process.send!(await sendMessages(push, args.size, args.messages));
    push.close(); // linger: the process stays until the queue is delivered
  }
}

// If the parent dies, do not wait forever for a peer that will never come; the unref keeps
// the IPC channel from holding this process alive once the work is done.
process.on("disconnect", () => process.exit(2));
process.channel?.unref();

main(JSON.parse(process.argv[2]) as PeerArgs).catch((err) => {
  console.error(`throughput-peer: ${err?.stack ?? err}`);
  process.exit(1);
});
