// PUSH -> PULL over inproc:// across two worker threads of this process: the receiver thread
// binds, then the sender thread connects, says hello, and sends for the run's time once told to
// go. Both threads time themselves (threads/inproc-worker.ts); this thread only starts them.
import { join } from "node:path";
import { Worker } from "node:worker_threads";
import type { InprocThreadJob } from "../threads/inproc-worker";
import { onFinish, peerMain, report, type LibArgs } from "./peer";
import type { ReceiverTiming, SideTiming } from "./stream-loops";

export interface InprocThreadsArgs extends LibArgs {
  size: number;
  seconds: number;
}

interface Reply {
  bound?: boolean;
  connected?: boolean;
  timing?: SideTiming;
  error?: string;
}

function start(job: InprocThreadJob): { worker: Worker; next: () => Promise<Reply> } {
  const worker = new Worker(join(__dirname, "..", "threads", "inproc-worker.js"), { workerData: job });
  const inbox: Reply[] = [];
  const waiting: Array<(reply: Reply) => void> = [];
  const deliver = (reply: Reply): void => {
    const waiter = waiting.shift();
    if (waiter) waiter(reply);
    else inbox.push(reply);
  };
  worker.on("message", deliver);
  worker.on("error", (err) => deliver({ error: err.stack ?? String(err) }));
  worker.on("exit", (code) => deliver({ error: `${job.role} thread exited (${code}) before reporting` }));
  const next = async (): Promise<Reply> => {
    const reply = inbox.shift() ?? (await new Promise<Reply>((resolve) => waiting.push(resolve)));
    if (reply.error !== undefined) throw new Error(`${job.role} thread: ${reply.error}`);
    return reply;
  };
  return { worker, next };
}

peerMain<InprocThreadsArgs>("inproc-threads-peer", async (args) => {
  const base = { lib: args.lib, endpoint: `inproc://bench-threads-${process.pid}`, size: args.size, seconds: args.seconds };
  const receiver = start({ ...base, role: "receiver" });
  await receiver.next(); // bound
  const sender = start({ ...base, role: "sender" });
  await receiver.next(); // it has the sender's hello: connected
  sender.worker.postMessage("go");
  const [receiverReply, senderReply] = await Promise.all([receiver.next(), sender.next()]);
  for (const thread of [sender, receiver]) thread.worker.postMessage("finish");
  // Both threads have closed their sockets and end by themselves; onFinish reports any that does not.
  onFinish(() => {});
  report({ sender: senderReply.timing!, receiver: receiverReply.timing as ReceiverTiming });
});
