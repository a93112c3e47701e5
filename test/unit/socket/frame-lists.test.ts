import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { delimiterIndex, firstFrames, framesFrom, joinFrames } from "../../../src/socket/frame-lists";

const a = Buffer.from("a");
const b = Buffer.from("b");
const c = Buffer.from("c");
const empty = Buffer.alloc(0);

describe("frame lists (REQ/REP envelopes)", () => {
  it("framesFrom returns a new list of the frames from start on, as slice(start)", () => {
    const message = [a, empty, b];
    assert.deepEqual(framesFrom(message, 2), [b]);
    assert.deepEqual(framesFrom(message, 1), [empty, b]);
    assert.notEqual(framesFrom(message, 0), message);
    assert.deepEqual(framesFrom(message, 0), message);
  });

  it("firstFrames returns a new list of the first frames, as slice(0, count)", () => {
    const message = [a, empty, b];
    assert.deepEqual(firstFrames(message, 1), [a]);
    assert.deepEqual(firstFrames(message, 2), [a, empty]);
  });

  it("joinFrames concatenates without touching either list", () => {
    const head = [empty];
    const tail = [a];
    assert.deepEqual(joinFrames(head, tail), [empty, a]);
    assert.deepEqual(joinFrames([a, empty], [b, c]), [a, empty, b, c]);
    assert.deepEqual(joinFrames([empty], [b, c]), [empty, b, c]);
    assert.deepEqual(head, [empty]);
    assert.deepEqual(tail, [a]);
  });

  it("delimiterIndex finds the first empty frame, or -1", () => {
    assert.equal(delimiterIndex([a, empty, b, empty]), 1);
    assert.equal(delimiterIndex([empty]), 0);
    assert.equal(delimiterIndex([a, b]), -1);
    assert.equal(delimiterIndex([]), -1);
  });
});
