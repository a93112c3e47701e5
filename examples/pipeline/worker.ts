// Worker: pulls a task from the ventilator, does the work (squares the number) and pushes
// the result, tagged with its own id, to the sink. Stops when main closes our IPC channel.
import { zmq } from "./zmq";

const [id, ventilatorEndpoint, sinkEndpoint] = process.argv.slice(2);

async function main(): Promise<void> {
  const tasks = new zmq.Pull();
  const results = new zmq.Push();
  tasks.connect(ventilatorEndpoint);
  results.connect(sinkEndpoint);
  process.once("disconnect", () => tasks.close()); // ends the loop below

  for await (const [task] of tasks) {
    const n = Number(task.toString());
    await results.send([id, String(n * n)]);
  }
  results.close();
}

main().catch((err) => {
  console.error(`worker ${id}:`, err);
  process.exit(1);
});
