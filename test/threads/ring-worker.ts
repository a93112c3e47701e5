// One end of a shared ring in a worker thread: a producer or a consumer that takes random
// batch sizes and random pauses (seed §24.9's batching, stressed from both sides). Run by
// ring-run.ts; reports what it saw to the parent and exits on its own.
import { parentPort, workerData } from "node:worker_threads";
import { setTimeout as sleep } from "node:timers/promises";
import type { Message } from "../../src/message";
import { SharedRingReader, SharedRingWriter, type RingStats, type SharedRingEnd } from "../../src/pipe/shared-ring";

export interface RingJob {
  role: "producer" | "consumer";
  end: SharedRingEnd;
  count: number;
  seed: number;
  /** One message in this many carries a large frame (sent aside); 0 for none. */
  largeEvery: number;
  asideThreshold?: number;
}

export interface RingReport {
  role: RingJob["role"];
  count: number;
  stats: RingStats;
  error?: string;
}

/** xorshift32: cheap, reproducible randomness per worker. */
function random(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13; x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5; x >>>= 0;
    return x;
  };
}

/** Message i: its number, then (sometimes) a body whose size and bytes follow from i. */
function make(i: number, largeEvery: number): Message {
  const head = Buffer.allocUnsafe(4);
  head.writeUInt32LE(i);
  if (largeEvery > 0 && i % largeEvery === largeEvery - 1) return [head, Buffer.alloc(100_000 + (i % 7), i & 0xff)];
  if (i % 3 === 0) return [head, Buffer.alloc(i % 61, i & 0xff)];
  return [head];
}

function check(m: Message, i: number, largeEvery: number): void {
  const want = make(i, largeEvery);
  const got = m[0]?.length === 4 ? m[0].readUInt32LE() : -1;
  if (got !== i) throw new Error(`expected message ${i}, got ${got}`);
  if (m.length !== want.length) throw new Error(`message ${i}: ${m.length} frames, expected ${want.length}`);
  if (m.length === 2 && !m[1]!.equals(want[1]!)) throw new Error(`message ${i}: body differs`);
}

/** Sometimes yields a turn, sometimes sleeps a little: the pauses that fill or empty the ring. */
async function pause(rnd: () => number): Promise<void> {
  const p = rnd() % 100;
  if (p < 15) await new Promise((r) => setImmediate(r));
  else if (p < 18) await sleep(rnd() % 3);
}

async function produce(job: RingJob, rnd: () => number): Promise<RingReport> {
  const writer = new SharedRingWriter(job.end, job.asideThreshold);
  let i = 0;
  while (i < job.count) {
    for (let batch = 1 + (rnd() % 2000); batch > 0 && i < job.count; batch--) {
      if (writer.write(make(i, job.largeEvery))) i++;
      else await new Promise<void>((resolve) => (writer.onWritable = resolve));
    }
    await pause(rnd);
  }
  writer.end();
  return { role: "producer", count: i, stats: writer.stats };
}

async function consume(job: RingJob, rnd: () => number): Promise<RingReport> {
  const reader = new SharedRingReader(job.end);
  let i = 0;
  for (;;) {
    for (let batch = 1 + (rnd() % 2000); batch > 0; batch--) {
      const m = reader.read();
      if (m === undefined) {
        if (reader.done) return { role: "consumer", count: i, stats: reader.stats };
        await new Promise<void>((resolve) => (reader.onReadable = resolve));
        continue;
      }
      check(m, i, job.largeEvery);
      i++;
    }
    await pause(rnd);
  }
}

if (parentPort !== null && workerData !== null) {
  const job = workerData as RingJob;
  const rnd = random(job.seed);
  const run = job.role === "producer" ? produce(job, rnd) : consume(job, rnd);
  run.then(
    (report) => parentPort!.postMessage(report),
    (error: Error) => parentPort!.postMessage({ role: job.role, count: -1, stats: undefined, error: error.stack }),
  );
}
