// The sink thread of examples/inproc-workers: adds up every result and reports to the main thread.
import { parentPort, workerData } from "node:worker_threads";
import { Pull } from "../../src";

async function collect(): Promise<void> {
  const results = new Pull();
  await results.bind("inproc://results");
  let sum = 0n;
  for (let i = 0; i < (workerData as { tasks: number }).tasks; i++) sum += BigInt((await results.receive())[0]!.toString());
  parentPort!.postMessage({ count: (workerData as { tasks: number }).tasks, sum: String(sum) });
  results.close();
}

void collect();
