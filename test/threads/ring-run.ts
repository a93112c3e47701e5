// Runs a producer and a consumer worker over one shared ring and collects their reports.
// Used by shared-ring-threads.test.ts and by scripts/ring-soak.js (10 000 000 messages).
import { join } from "node:path";
import { Worker } from "node:worker_threads";
import { createSharedRing } from "../../src/pipe/shared-ring";
import type { RingJob, RingReport } from "./ring-worker";

export interface RingRun {
  count: number;
  ringBytes: number;
  seed: number;
  largeEvery: number;
}

export interface RingResult {
  producer: RingReport;
  consumer: RingReport;
  /** Both workers' exit codes: 0 when they ended by themselves. */
  exitCodes: number[];
  ms: number;
}

function start(job: RingJob): Promise<{ report: RingReport; code: number }> {
  const worker = new Worker(join(__dirname, "ring-worker.js"), { workerData: job, transferList: [job.end.port] });
  let report: RingReport | undefined;
  worker.on("message", (r: RingReport) => (report = r));
  return new Promise((resolve, reject) => {
    worker.on("error", reject);
    worker.on("exit", (code) => {
      if (report === undefined) reject(new Error(`${job.role} exited (${code}) without a report`));
      else resolve({ report, code });
    });
  });
}

export async function runRing(run: RingRun): Promise<RingResult> {
  const ends = createSharedRing(run.ringBytes);
  const base = { count: run.count, largeEvery: run.largeEvery };
  const t0 = performance.now();
  const [p, c] = await Promise.all([
    start({ ...base, role: "producer", end: ends.writer, seed: run.seed }),
    start({ ...base, role: "consumer", end: ends.reader, seed: run.seed * 7 + 1 }),
  ]);
  return { producer: p.report, consumer: c.report, exitCodes: [p.code, c.code], ms: performance.now() - t0 };
}
