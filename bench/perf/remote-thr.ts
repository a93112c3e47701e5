// remote-thr: connects a PUSH socket to local-thr and sends <count> messages of <message-size>
// bytes as fast as they are accepted, then waits for them to be delivered before exiting.
//   node dist/bench/perf/remote-thr.js --lib zeromq tcp://127.0.0.1:5555 16 1000000
import { parsePerfArgs, runTool } from "./perf-args";
import { describe, sendMessages } from "./throughput";

runTool("remote-thr", async () => {
  const { libName, zmq, endpoint, size, count } = parsePerfArgs("remote-thr", "<connect-to>");
  const push = new zmq.Push();
  push.connect(endpoint);
  const timing = await sendMessages(push, size, count);
  console.log(`remote-thr (${libName}) sent: ${describe(timing)}`);
  push.close(); // linger keeps the process alive until the queue is delivered
});
