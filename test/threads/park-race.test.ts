import assert from "node:assert/strict";
import { join } from "node:path";
import { describe, it } from "node:test";
import { Worker } from "node:worker_threads";
import type { ParkRaceJob, ParkRaceReport } from "./park-race-worker";

// The parking protocol under the race that lost wake-ups (shared-ring-park.ts, publish): a
// parker wakes and parks again at once while publishers move its cell without pause, so a park
// often sees the new value by itself while a publisher is about to notify. More publisher threads
// than cores get preempted mid-publish all the time, which is what a lost wake-up needs.
const file = join(__dirname, "park-race-worker.js");

function exited(worker: Worker): Promise<void> {
  return new Promise((resolve, reject) => {
    worker.once("error", reject);
    worker.once("exit", () => resolve());
  });
}

async function run(publishers: number, ms: number): Promise<ParkRaceReport[]> {
  const buffer = new SharedArrayBuffer(16);
  const base: Omit<ParkRaceJob, "role" | "index"> = { buffer, publishers, ms, stallMs: 2000 };
  const parker = new Worker(file, { workerData: { ...base, role: "parker", index: 0 } });
  const reports: ParkRaceReport[] = [];
  const threads = [parker];
  for (let index = 0; index < publishers; index++) {
    const publisher = new Worker(file, { workerData: { ...base, role: "publisher", index } });
    publisher.once("message", (report: ParkRaceReport) => reports.push(report));
    threads.push(publisher);
  }
  await Promise.all(threads.map(exited));
  return reports;
}

describe("Ring parking across threads", () => {
  it("never loses a wake-up while others publish without pause", async () => {
    const reports = await run(3, 4000);
    assert.equal(reports.length, 3);
    const wakes = Math.max(...reports.map((r) => r.wakes));
    assert.ok(reports.every((r) => !r.lost), `the parker slept through publishes after ${wakes} wake-ups`);
    assert.ok(wakes >= 100, `the parker parked and woke ${wakes} times`);
  });
});
