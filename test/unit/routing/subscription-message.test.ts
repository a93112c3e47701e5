import { test } from "node:test";
import assert from "node:assert/strict";
import { parseSubscription, subscriptionMessage, toPrefixes } from "../../../src/routing/subscription-message";

test("parseSubscription: 0x01/0x00 + prefix in the first frame; anything else is data", () => {
  assert.deepEqual(parseSubscription([Buffer.from("\x01abc")]), { subscribe: true, prefix: Buffer.from("abc") });
  assert.deepEqual(parseSubscription([Buffer.from([0])]), { subscribe: false, prefix: Buffer.alloc(0) });
  assert.deepEqual(parseSubscription([Buffer.from("\x01a"), Buffer.from("more")]), { subscribe: true, prefix: Buffer.from("a") });
  assert.equal(parseSubscription([Buffer.alloc(0)]), undefined);
  assert.equal(parseSubscription([Buffer.from([2, 1])]), undefined);
  assert.equal(parseSubscription([Buffer.from("data")]), undefined);
});

test("subscriptionMessage builds the one-frame form", () => {
  assert.deepEqual(subscriptionMessage(true, Buffer.from("t")), [Buffer.from([1, 0x74])]);
  assert.deepEqual(subscriptionMessage(false, Buffer.alloc(0)), [Buffer.from([0])]);
});

test("toPrefixes: no argument is the empty prefix; strings are UTF-8; null is empty; other types throw", () => {
  assert.deepEqual(toPrefixes([]), [Buffer.alloc(0)]);
  assert.deepEqual(toPrefixes(["é", Buffer.from([1]), null, new Uint8Array([2, 3]).subarray(1)]), [
    Buffer.from("é"),
    Buffer.from([1]),
    Buffer.alloc(0),
    Buffer.from([3]),
  ]);
  assert.throws(() => toPrefixes([1]), TypeError);
});
