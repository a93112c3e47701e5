// Throughput of the shared ring between two worker threads (issue 7), and the size at which
// sending a message aside (ArrayBuffer transfer over the MessagePort) beats copying it
// through the ring. Build, then: node dist/bench/threads/ring-thr.js [sizes...]
// Each line: one size, the ring copying everything inline vs everything sent aside.
import { Worker, isMainThread, parentPort, workerData } from "node:worker_threads";
import { SharedRingReader, SharedRingWriter, createSharedRing, type SharedRingEnd } from "../../src/pipe/shared-ring";

interface Job {
  role: "producer" | "consumer";
  end: SharedRingEnd;
  size: number;
  count: number;
  threshold: number;
}

// Rates are counted from the producer's first write to the consumer's last read, in absolute
// time (performance.timeOrigin differs per thread), after both workers are up: a consumer
// that started late would otherwise find much of the run already queued and over-report.
const now = (): number => performance.timeOrigin + performance.now();

async function produce(job: Job): Promise<number> {
  const writer = new SharedRingWriter(job.end, job.threshold);
  await new Promise((resolve) => parentPort!.once("message", resolve)); // "go"
  const start = now();
  for (let i = 0; i < job.count; ) {
    // A fresh buffer per message, as an application sends them (and transfer detaches it).
    if (writer.write([Buffer.allocUnsafe(job.size)])) i++;
    else await new Promise<void>((resolve) => (writer.onWritable = resolve));
  }
  writer.end();
  return start;
}

async function consume(job: Job): Promise<number> {
  const reader = new SharedRingReader(job.end);
  parentPort!.postMessage("ready");
  let n = 0;
  for (;;) {
    if (reader.read() !== undefined) {
      n++;
      continue;
    }
    if (reader.done) break;
    await new Promise<void>((resolve) => (reader.onReadable = resolve));
  }
  if (n !== job.count) throw new Error(`read ${n} of ${job.count}`);
  return now();
}

function run(role: Job["role"], end: SharedRingEnd, size: number, count: number, threshold: number) {
  const job: Job = { role, end, size, count, threshold };
  const worker = new Worker(__filename, { workerData: job, transferList: [end.port] });
  const up = new Promise((resolve) => worker.once(role === "producer" ? "online" : "message", resolve));
  const done = new Promise<number>((resolve, reject) => {
    worker.on("message", (m: unknown) => typeof m === "number" && resolve(m));
    worker.on("error", reject);
  });
  return { worker, up, done };
}

async function measure(size: number, threshold: number): Promise<number> {
  const count = Math.max(20_000, Math.min(3_000_000, Math.floor(2e9 / Math.max(size, 1000))));
  const ends = createSharedRing(1 << 20);
  const producer = run("producer", ends.writer, size, count, threshold);
  const consumer = run("consumer", ends.reader, size, count, threshold);
  await Promise.all([producer.up, consumer.up]); // the consumer's "ready", the producer online
  producer.worker.postMessage("go");
  const [start, end] = await Promise.all([producer.done, consumer.done]);
  return count / ((end - start) / 1000);
}

async function main(): Promise<void> {
  const args = process.argv.slice(2).map(Number);
  const sizes = args.length > 0 ? args : [16, 256, 1024, 4096, 16384, 32768, 65536, 131072, 262144];
  console.log("size B      inline msg/s   inline MB/s    aside msg/s    aside MB/s");
  for (const size of sizes) {
    const inline = await measure(size, Infinity);
    const aside = size >= 1024 ? await measure(size, 0) : NaN;
    const mb = (rate: number) => ((rate * size) / 1e6).toFixed(1).padStart(12);
    const row = [String(size).padEnd(8), inline.toFixed(0).padStart(14), mb(inline), aside.toFixed(0).padStart(14), mb(aside)];
    console.log(row.join(" "));
  }
}

if (isMainThread) {
  main().catch((e) => {
    console.error(e);
    process.exitCode = 1;
  });
} else {
  const job = workerData as Job;
  void (job.role === "producer" ? produce(job) : consume(job)).then((t) => parentPort!.postMessage(t));
}
