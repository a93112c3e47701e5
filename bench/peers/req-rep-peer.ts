// One end of a REQ/REP latency run, in its own process. The server (REP) binds and echoes; the
// client (REQ) connects and makes round trips one after another for the given time. Latency
// belongs to each message (seed §24.3), so every round trip is timed on its own with
// process.hrtime.bigint(), kept, and summarised as percentiles of the one-way latency (half
// the round trip, as libzmq's perf/remote_lat reports it).
import { onFinish, peerMain, report, finishing, type LibArgs } from "./peer";
import { percentiles, type LatencySummary } from "../stats";

export interface ReqRepArgs extends LibArgs {
  role: "client" | "server";
  endpoint: string;
  size: number;
  seconds: number;
}

// Round trips before the timed ones: the connection up, and the JIT done compiling the hot
// path. On 2 busy cores omq (JavaScript end to end) needs some 0.5-0.8 s of round trips before
// its latency settles (measured in 100 ms windows); 0.1 s left that ramp inside the timed run.
const WARM_UP_SECONDS = 1;
const MAX_SAMPLES = 1 << 21; // 16 MB of samples; a run stops early if it fills them

peerMain<ReqRepArgs>("req-rep-peer", async (args, zmq) => {
  if (args.role === "server") {
    const rep = new zmq.Reply();
    onFinish(() => rep.close());
    await rep.bind(args.endpoint);
    report({ endpoint: rep.lastEndpoint });
    try {
      for (;;) {
        const [request] = await rep.receive();
        await rep.send(request);
      }
    } catch (err) {
      if (!finishing()) throw err; // otherwise the pending receive() failed because we closed
    }
  } else {
    const req = new zmq.Request();
    onFinish(() => req.close());
    req.connect(args.endpoint);
    const payload = Buffer.alloc(args.size, "m");
    const roundTrip = async (): Promise<void> => {
      await req.send(payload);
      const [reply] = await req.receive();
      if (reply.length !== args.size) throw new Error(`expected ${args.size} bytes back, got ${reply.length}`);
    };
    for (const warmUntil = performance.now() + WARM_UP_SECONDS * 1000; performance.now() < warmUntil; ) await roundTrip();

    const samples = new Float64Array(MAX_SAMPLES); // nanoseconds per round trip
    const deadline = process.hrtime.bigint() + BigInt(Math.round(args.seconds * 1e9));
    let count = 0;
    let t0 = process.hrtime.bigint();
    while (t0 < deadline && count < MAX_SAMPLES) {
      await roundTrip();
      const t1 = process.hrtime.bigint();
      samples[count++] = Number(t1 - t0);
      t0 = t1;
    }
    // One-way latency in microseconds: half the round trip.
    const oneWayUs = samples.subarray(0, count).map((ns) => ns / 2000);
    report(percentiles(oneWayUs) satisfies LatencySummary);
  }
});
