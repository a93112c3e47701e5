// Sink: binds a PULL socket, which fair-queues the results from all workers, and collects
// exactly as many results as there are tasks: the count per worker and the sum.
import { zmq } from "./zmq";

const tasks = Number(process.argv[2]);

async function main(): Promise<void> {
  const receiver = new zmq.Pull();
  await receiver.bind("tcp://127.0.0.1:*");
  process.send!({ endpoint: receiver.lastEndpoint });

  const perWorker: Record<string, number> = {};
  let sum = 0n; // BigInt: the sum of squares outgrows Number's exact integers
  for (let i = 0; i < tasks; i++) {
    const [worker, result] = await receiver.receive();
    const id = worker.toString();
    perWorker[id] = (perWorker[id] ?? 0) + 1;
    sum += BigInt(result.toString());
  }
  process.send!({ received: tasks, perWorker, sum: sum.toString(), finishedAt: Date.now() });
  receiver.close();
}

main().catch((err) => {
  console.error("sink:", err);
  process.exit(1);
});
