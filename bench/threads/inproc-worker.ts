// One end of PUSH -> PULL over inproc:// between two worker threads of one process (issue 7):
// the receiver binds, the sender connects by name. Each socket is made in the default context
// of its own thread: in the native package that is the one process-wide context, in omq each
// thread's default context finds names bound in the others. Run by peers/inproc-threads-peer.ts;
// the same loops and checks as over tcp (peers/stream-loops.ts).
import { parentPort, workerData } from "node:worker_threads";
import { loadLib } from "../libs";
import { receiveHello, receiveUntilEnd, sendFor, sendHello } from "../peers/stream-loops";

export interface InprocThreadJob {
  lib: string;
  role: "sender" | "receiver";
  endpoint: string;
  size: number;
  seconds: number;
}

/**
 * Both threads close only once both have reported. The native package passes large messages
 * between threads without copying, and a sender thread that exits while its messages are still
 * queued for the other one crashes the process (double free, seen at 64 KiB).
 */
function finish(): Promise<unknown> {
  return new Promise((resolve) => parentPort!.once("message", resolve));
}

async function main(job: InprocThreadJob): Promise<void> {
  const zmq = loadLib(job.lib);
  if (job.role === "receiver") {
    const pull = new zmq.Pull();
    await pull.bind(job.endpoint);
    parentPort!.postMessage({ bound: true });
    await receiveHello(pull);
    parentPort!.postMessage({ connected: true });
    const timing = await receiveUntilEnd(pull, job.size);
    parentPort!.postMessage({ timing });
    await finish();
    pull.close();
  } else {
    const push = new zmq.Push();
    push.connect(job.endpoint);
    await sendHello(push);
    await new Promise((resolve) => parentPort!.once("message", resolve)); // go
    const timing = await sendFor(push, job.size, job.seconds);
    parentPort!.postMessage({ timing });
    await finish();
    push.close();
  }
}

main(workerData as InprocThreadJob).catch((err: Error) => parentPort!.postMessage({ error: err.stack ?? String(err) }));
