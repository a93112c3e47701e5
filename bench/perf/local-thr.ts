// local-thr: binds a PULL socket, receives <count> messages of <message-size> bytes and prints
// the throughput it saw. Pair it with remote-thr, on this machine or another, with either side
// on omq or libzmq (libzmq's own perf/remote_thr works too).
//   node dist/bench/perf/local-thr.js --lib omq tcp://0.0.0.0:5555 16 1000000
import { formatSize } from "../sizes";
import { parsePerfArgs, runTool } from "./perf-args";
import { describe, receiveMessages } from "./throughput";

runTool("local-thr", async () => {
  const { libName, zmq, endpoint, size, count } = parsePerfArgs("local-thr", "<bind-to>");
  const pull = new zmq.Pull();
  await pull.bind(endpoint);
  console.log(`local-thr (${libName}) bound to ${pull.lastEndpoint}, waiting for ${count} messages of ${formatSize(size)}`);
  const timing = await receiveMessages(pull, size, count);
  console.log(`received: ${describe(timing)}`);
  pull.close();
});
