// The receive path's batching: how a reader and a writer in one thread interleave, and what
// a wait costs. These are properties of omq's own scheduling, so they run on omq only.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Pull, Push } from "../../../src";

let next = 0;
async function inprocPair(): Promise<{ push: Push; pull: Pull; close: () => void }> {
  const pull = new Pull();
  const push = new Push();
  const endpoint = `inproc://receive-path-${next++}`;
  await pull.bind(endpoint);
  push.connect(endpoint);
  return { push, pull, close: () => (push.close(), pull.close()) };
}

describe("receive path", () => {
  it("an inproc reader looping on receive() finds the next message already queued while a writer loops on send()", async () => {
    const { push, pull, close } = await inprocPair();
    const count = 100;
    const queuedAfterEach: boolean[] = [];
    const reader = (async () => {
      for (let i = 0; i < count; i++) {
        await pull.receive();
        queuedAfterEach.push(pull.readable);
      }
    })();
    for (let i = 0; i < count; i++) await push.send(`m${i}`);
    await reader;
    close();
    // The writer stays one message ahead: only after the last message is nothing queued.
    assert.deepEqual(queuedAfterEach, [...Array(count - 1).fill(true), false]);
  });

  it("for await delivers every message in order and ends when the socket closes", async () => {
    const { push, pull, close } = await inprocPair();
    const received: string[] = [];
    const reader = (async () => {
      for await (const [frame] of pull) received.push(frame!.toString());
    })();
    for (let i = 0; i < 1000; i++) await push.send(`m${i}`);
    while (received.length < 1000) await new Promise((resolve) => setImmediate(resolve));
    close();
    await reader;
    assert.deepEqual(received, Array.from({ length: 1000 }, (_, i) => `m${i}`));
  });

  it("a second receive() while one waits throws EBUSY at once, and for await rejects with it", async () => {
    const { pull, close } = await inprocPair();
    const waiting = pull.receive();
    assert.throws(() => pull.receive(), { code: "EBUSY" });
    await assert.rejects(pull[Symbol.asyncIterator]().next(), { code: "EBUSY" });
    close();
    await assert.rejects(waiting, { code: "EAGAIN" });
  });
});
