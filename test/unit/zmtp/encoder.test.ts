import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Message } from "../../../src/message";
import { FrameDecoder } from "../../../src/zmtp/decoder";
import { FrameEncoder, INLINE_BELOW } from "../../../src/zmtp/encoder";
import { Prng } from "../../fuzz/prng";
import { RecordingSink } from "./recording-sink";

function bytesOf(encoder: FrameEncoder): Buffer {
  return Buffer.concat(encoder.take());
}

describe("FrameEncoder", () => {
  it("writes short frames with a 1-octet size and MORE on all frames but the last", () => {
    const encoder = new FrameEncoder();
    encoder.message([Buffer.from("ab"), Buffer.alloc(0), Buffer.from("c")]);
    assert.equal(encoder.pendingBytes, 9);
    assert.deepEqual([...bytesOf(encoder)], [0x01, 2, 0x61, 0x62, 0x01, 0, 0x00, 1, 0x63]);
    assert.equal(encoder.pendingBytes, 0);
  });

  it("switches to the 8-octet size above 255 octets", () => {
    const encoder = new FrameEncoder();
    encoder.message([Buffer.alloc(255)]);
    encoder.message([Buffer.alloc(256)]);
    const out = bytesOf(encoder);
    assert.deepEqual([...out.subarray(0, 2)], [0x00, 255]);
    const long = out.subarray(257);
    assert.equal(long[0], 0x02);
    assert.equal(long.readBigUInt64BE(1), 256n);
    assert.equal(long.length, 9 + 256);
  });

  it("flags commands (0x04 short, 0x06 long)", () => {
    const encoder = new FrameEncoder();
    encoder.command(Buffer.from("\x04PONG"));
    encoder.command(Buffer.alloc(300));
    const out = bytesOf(encoder);
    assert.equal(out[0], 0x04);
    assert.equal(out[1], 5);
    assert.equal(out[7], 0x06);
  });

  it("passes large bodies by reference, without copying them", () => {
    const big = Buffer.alloc(INLINE_BELOW, 1);
    const encoder = new FrameEncoder();
    encoder.message([Buffer.from("head"), big, Buffer.from("tail")]);
    const out = encoder.take();
    assert.ok(out.includes(big));
    assert.equal(out.length, 3); // [headers + "head" + big's header] [big] [tail]
  });

  it("batches many small frames into few buffers and never rewrites a taken one", () => {
    const encoder = new FrameEncoder({ batchSize: 1024 });
    encoder.message([Buffer.from("first")]);
    const first = encoder.take();
    const snapshot = Buffer.concat(first);
    for (let i = 0; i < 1000; i++) encoder.message([Buffer.alloc(16, i & 0xff)]);
    assert.equal(encoder.pendingBytes, 1000 * 18);
    const rest = encoder.take();
    assert.ok(rest.length <= 20, `${rest.length} buffers`);
    assert.deepEqual(Buffer.concat(first), snapshot);
  });

  it("keeps a small flush in one buffer when it crosses into a new batch buffer", () => {
    const encoder = new FrameEncoder({ batchSize: 1024 });
    for (let i = 0; i < 50; i++) encoder.message([Buffer.alloc(16, i)]);
    const first = encoder.take(); // 900 bytes: the batch has 124 left
    const snapshot = Buffer.concat(first);
    for (let i = 0; i < 20; i++) encoder.message([Buffer.alloc(16, 100 + i)]);
    const second = encoder.take();
    assert.equal(second.length, 1, "the 360 bytes went out as one buffer");
    assert.equal(second[0].length, 20 * 18);
    for (let i = 0; i < 20; i++) assert.deepEqual([...second[0].subarray(i * 18, i * 18 + 3)], [0, 16, 100 + i]);
    assert.deepEqual(Buffer.concat(first), snapshot);
  });

  it("round-trips random messages through the decoder in random splits", () => {
    const prng = new Prng(37);
    const sizes = [0, 1, 16, 255, 256, 1000, INLINE_BELOW - 1, INLINE_BELOW, 70_000];
    for (let round = 0; round < 20; round++) {
      const messages: Message[] = [];
      const encoder = new FrameEncoder({ batchSize: 512 + prng.int(4096) });
      for (let m = 0; m < 30; m++) {
        const frames = 1 + prng.int(4);
        const message = Array.from({ length: frames }, () => prng.bytes(sizes[prng.int(sizes.length)]));
        messages.push(message);
        encoder.message(message);
      }
      const sink = new RecordingSink();
      const decoder = new FrameDecoder(sink);
      for (const piece of prng.split(Buffer.concat(encoder.take()), 1 + prng.int(3000))) decoder.write(piece);
      assert.equal(sink.errors.length, 0);
      assert.deepEqual(
        sink.decoded.map((d) => ("message" in d ? d.message : [])),
        messages,
        `round ${round}`,
      );
    }
  });

  it("ignores a message with no frames", () => {
    const encoder = new FrameEncoder();
    encoder.message([]);
    assert.equal(encoder.pendingBytes, 0);
    assert.deepEqual(encoder.take(), []);
  });
});
