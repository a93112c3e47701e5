// local-lat: binds a REP socket and echoes <count> messages of <message-size> bytes back to
// remote-lat, which measures the round trips.
//   node dist/bench/perf/local-lat.js --lib omq tcp://0.0.0.0:5556 16 10000
import { formatSize } from "../sizes";
import { parsePerfArgs, runTool } from "./perf-args";

runTool("local-lat", async () => {
  const { libName, zmq, endpoint, size, count } = parsePerfArgs("local-lat", "<bind-to>");
  const rep = new zmq.Reply();
  await rep.bind(endpoint);
  console.log(`local-lat (${libName}) bound to ${rep.lastEndpoint}, echoing ${count} messages of ${formatSize(size)}`);
  for (let i = 0; i < count; i++) {
    const [message] = await rep.receive();
    if (message.length !== size) throw new Error(`expected ${size} bytes, got ${message.length}`);
    await rep.send(message);
  }
  rep.close();
});
