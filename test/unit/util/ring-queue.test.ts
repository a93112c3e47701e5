import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { RingQueue } from "../../../src/util/ring-queue";

describe("RingQueue", () => {
  it("is first in, first out across growth and wrap-around", () => {
    const queue = new RingQueue<number>(4);
    const model: number[] = [];
    let next = 0;
    for (let round = 0; round < 1000; round++) {
      const pushes = (round * 7) % 5;
      for (let i = 0; i < pushes; i++) {
        queue.push(next);
        model.push(next++);
      }
      const shifts = (round * 3) % 4;
      for (let i = 0; i < shifts; i++) assert.equal(queue.shift(), model.shift());
      assert.equal(queue.length, model.length);
      assert.equal(queue.peek(), model[0]);
    }
  });

  it("returns undefined when empty and clears in order", () => {
    const queue = new RingQueue<string>();
    assert.equal(queue.shift(), undefined);
    queue.push("a");
    queue.push("b");
    const seen: string[] = [];
    queue.clear((item) => seen.push(item));
    assert.deepEqual(seen, ["a", "b"]);
    assert.equal(queue.length, 0);
  });
});
