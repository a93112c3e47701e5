// The ZeroMQ pipeline ("divide and conquer" in chapter 1 of the ZeroMQ guide), with every
// node in its own process, talking over TCP:
//
//                      ┌──► worker 1 ──┐
//   ventilator (PUSH) ─┼──► worker 2 ──┼──► sink (PULL)
//                      └──► worker 3 ──┘
//                       (PULL in, PUSH out)
//
// The ventilator and the sink bind to a free port; the workers connect to both.
// Run:  npm start [-- --tasks 100000 --workers 3]
//       OMQ_LIB=zeromq npm start    (the same code on the native zeromq package)
import { fork, type ChildProcess } from "node:child_process";
import { on, once } from "node:events";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { libName } from "./zmq";

const { values } = parseArgs({
  options: { tasks: { type: "string", default: "100000" }, workers: { type: "string", default: "3" } },
});
const TASKS = Number(values.tasks);
const WORKERS = Number(values.workers);
const TIMEOUT_MS = 60_000;

interface VentilatorReport { sent: number; startedAt: number }
interface SinkReport { received: number; perWorker: Record<string, number>; sum: string; finishedAt: number }

const children: ChildProcess[] = [];

/** Forks one node of the pipeline; `next()` resolves with its next message to us, in order. */
function start(role: string, ...args: Array<string | number>) {
  const child = fork(path.join(__dirname, `${role}.js`), args.map(String));
  child.on("exit", (code, signal) => {
    if (code !== 0) fail(`${role} exited with ${signal ?? `code ${code}`}`);
  });
  children.push(child);
  const inbox = on(child, "message"); // buffers messages until we ask for them
  return { child, next: async <T>() => (await inbox.next()).value[0] as T };
}

function fail(reason: string): never {
  console.error(`pipeline failed: ${reason}`);
  for (const child of children) child.kill();
  process.exit(1);
}

async function main(): Promise<void> {
  const watchdog = setTimeout(() => fail(`not done after ${TIMEOUT_MS / 1000} s`), TIMEOUT_MS);
  console.log(`pipeline on ${libName}: ventilator -> ${WORKERS} worker(s) -> sink, over tcp\n`);

  const sink = start("sink", TASKS);
  const { endpoint: sinkEndpoint } = await sink.next<{ endpoint: string }>();
  const ventilator = start("ventilator", TASKS, WORKERS);
  const { endpoint: ventilatorEndpoint } = await ventilator.next<{ endpoint: string }>();
  const workers = [];
  for (let id = 1; id <= WORKERS; id++) workers.push(start("worker", id, ventilatorEndpoint, sinkEndpoint));

  const { sent, startedAt } = await ventilator.next<VentilatorReport>();
  const { received, perWorker, sum, finishedAt } = await sink.next<SinkReport>();
  for (const worker of workers) worker.child.disconnect(); // the workers' signal to stop
  await Promise.all(children.map((child) => (child.exitCode === null ? once(child, "exit") : null)));
  clearTimeout(watchdog);

  const checksumOk = BigInt(sum) === sumOfSquares(TASKS);
  const seconds = (finishedAt - startedAt) / 1000;
  console.log(`ventilator  ${ventilatorEndpoint}  sent ${fmt(sent)} tasks`);
  for (let id = 1; id <= WORKERS; id++) {
    const share = perWorker[id] ?? 0;
    console.log(`  worker ${id}  did ${fmt(share)} tasks (${((100 * share) / TASKS).toFixed(1)} %)`);
  }
  console.log(`sink        ${sinkEndpoint}  received ${fmt(received)} results`);
  console.log(`checksum    ${checksumOk ? "OK" : "WRONG"} (sum of squares ${sum})`);
  console.log(`elapsed     ${fmt(seconds * 1000)} ms, ${fmt(received / seconds)} tasks/s end to end`);
  if (!checksumOk) process.exitCode = 1;
}

/** 1² + 2² + … + n², what the sink must have added up. */
function sumOfSquares(n: number): bigint {
  const big = BigInt(n);
  return (big * (big + 1n) * (2n * big + 1n)) / 6n;
}

function fmt(n: number): string {
  return Math.round(n).toLocaleString("en-US");
}

main().catch((err) => fail(String(err?.stack ?? err)));
