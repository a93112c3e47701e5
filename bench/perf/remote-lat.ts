// remote-lat: connects a REQ socket to local-lat, makes <count> round trips of <message-size>
// bytes one after another and prints the average. Like libzmq's perf/remote_lat, "latency" is
// half a round trip.
//   node dist/bench/perf/remote-lat.js --lib zeromq tcp://127.0.0.1:5556 16 10000
import { parsePerfArgs, runTool } from "./perf-args";

runTool("remote-lat", async () => {
  const { libName, zmq, endpoint, size, count } = parsePerfArgs("remote-lat", "<connect-to>");
  if (count < 2) throw new Error("count must be at least 2: the first round trip is not timed");
  const req = new zmq.Request();
  req.connect(endpoint);
  const payload = Buffer.alloc(size, "m");
  // The first round trip also waits for the connection, so it is not timed.
  await req.send(payload);
  await req.receive();
  const start = performance.now();
  for (let i = 1; i < count; i++) {
    await req.send(payload);
    const [reply] = await req.receive();
    if (reply.length !== size) throw new Error(`expected ${size} bytes, got ${reply.length}`);
  }
  const roundTripUs = ((performance.now() - start) * 1000) / (count - 1);
  console.log(`remote-lat (${libName}): ${count - 1} timed round trips of ${size} B`);
  console.log(`average latency: ${(roundTripUs / 2).toFixed(1)} us (round trip ${roundTripUs.toFixed(1)} us)`);
  req.close();
});
