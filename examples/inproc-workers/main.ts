// inproc:// across worker threads: a ventilator in this thread binds, N worker threads connect
// by name and square numbers, and a sink in one more worker thread collects the results. No
// port, no file, no copy through the kernel: each link is a pair of shared-memory rings.
//
//                                ┌──► worker thread 1 ──┐
//   this thread: PUSH (bind) ────┼──► worker thread 2 ──┼──► sink thread: PULL (bind)
//     inproc://tasks             └──► worker thread 3 ──┘     inproc://results
//
// Sockets in every thread use the default context, as with the native package, whose one
// context all threads share. The sink binds after the workers connect: connect-before-bind
// works across threads as within one.
// Run:  npm run build && node dist/examples/inproc-workers/main.js [tasks] [workers]
import { join } from "node:path";
import { Worker } from "node:worker_threads";
import { Push } from "../../src";

const TASKS = Number(process.argv[2] ?? 100_000);
const WORKERS = Number(process.argv[3] ?? 3);

async function main(): Promise<void> {
  const tasks = new Push();
  await tasks.bind("inproc://tasks");
  const started = performance.now();
  for (let i = 0; i < WORKERS; i++) new Worker(join(__dirname, "worker.js"));
  const sink = new Worker(join(__dirname, "sink.js"), { workerData: { tasks: TASKS } });
  const result = new Promise<{ count: number; sum: string }>((resolve) => sink.once("message", resolve));
  for (let i = 1; i <= TASKS; i++) await tasks.send(String(i));
  for (let i = 0; i < WORKERS; i++) await tasks.send("stop");
  const { count, sum } = await result;
  const expected = (BigInt(TASKS) * BigInt(TASKS + 1) * BigInt(2 * TASKS + 1)) / 6n;
  const seconds = (performance.now() - started) / 1000;
  console.log(`${count} results from ${WORKERS} worker threads in ${seconds.toFixed(2)} s; sum of squares ${sum} (${BigInt(sum) === expected ? "right" : "WRONG"})`);
  tasks.close(); // the worker threads and the sink end by themselves once their sockets close
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
