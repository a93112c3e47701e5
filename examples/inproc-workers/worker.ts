// A worker thread of examples/inproc-workers: tasks in, squares out, until told to stop.
import { Pull, Push } from "../../src";

async function work(): Promise<void> {
  const tasks = new Pull();
  const results = new Push();
  tasks.connect("inproc://tasks");
  results.connect("inproc://results"); // may not be bound yet: the link forms when it is
  for await (const [task] of tasks) {
    if (task!.toString() === "stop") break;
    const n = BigInt(task!.toString());
    await results.send(String(n * n));
  }
  tasks.close();
  results.close(); // linger: what is queued still reaches the sink
}

void work();
