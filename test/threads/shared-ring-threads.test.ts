import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { runRing, type RingResult } from "./ring-run";

// Two real worker threads, one shared ring, random batches and random pauses on both sides
// (issue 7). Each worker checks order and content itself; here we check the totals, that
// the full and empty edges were really reached, and that both workers ended by themselves.
// scripts/ring-soak.js runs the same with 10 000 000 messages.
function assertClean(result: RingResult, count: number): void {
  assert.equal(result.producer.error, undefined, result.producer.error);
  assert.equal(result.consumer.error, undefined, result.consumer.error);
  assert.equal(result.producer.count, count);
  assert.equal(result.consumer.count, count, "none lost, none duplicated");
  assert.deepEqual(result.exitCodes, [0, 0], "both workers exited by themselves");
}

describe("SharedRing across two worker threads", () => {
  it("moves 1 000 000 messages in order through a small ring, full and empty many times", async () => {
    const count = 1_000_000;
    const result = await runRing({ count, ringBytes: 16 * 1024, seed: 12345, largeEvery: 0 });
    assertClean(result, count);
    const { producer, consumer } = result;
    assert.ok(producer.stats.refusals >= 20, `ring full (writer refused) ${producer.stats.refusals} times`);
    assert.ok(consumer.stats.parks >= 20, `ring empty (reader parked) ${consumer.stats.parks} times`);
    assert.ok(consumer.stats.notifies >= 1, "the reader woke a parked writer");
    assert.ok(producer.stats.notifies >= 1, "the writer woke a parked reader");
    // One notify per park at most: the other side is not woken when it does not wait.
    assert.ok(producer.stats.notifies <= consumer.stats.parks + 1);
    console.log(`# ${count} msgs in ${result.ms.toFixed(0)} ms; writer`, producer.stats, "reader", consumer.stats);
  });

  it("keeps large messages (sent aside by transfer) in their place among small ones", async () => {
    const count = 50_000;
    const result = await runRing({ count, ringBytes: 64 * 1024, seed: 777, largeEvery: 500 });
    assertClean(result, count);
    assert.equal(result.producer.stats.aside, count / 500);
    assert.equal(result.consumer.stats.aside, count / 500);
  });
});
