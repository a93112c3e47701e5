import assert from "node:assert/strict";
import { constants } from "node:buffer";
import { describe, it } from "node:test";
import { BODY_FIRST_STEP, BODY_GROWTH, bodyCapacity, SPARE_STEP_LIMIT } from "../../../src/zmtp/body-growth";
import { FrameDecoder } from "../../../src/zmtp/decoder";
import { Prng } from "../../fuzz/prng";
import { RecordingSink } from "./recording-sink";

const KiB = 1024;
const MiB = 1024 * KiB;

/** One long-form message frame (RFC 37 "Framing"), built by hand. */
function longFrame(flags: number, body: Buffer): Buffer {
  const header = Buffer.alloc(9);
  header[0] = flags | 0x02;
  header.writeBigUInt64BE(BigInt(body.length), 1);
  return Buffer.concat([header, body]);
}

/**
 * Feeds `data` as a socket read by the engine would: into the buffer readBuffer() offers when
 * it offers one, else written; each read at most `readSize` octets. Returns the capacities
 * of the buffers offered, in order.
 */
function feedLikeASocket(decoder: FrameDecoder, data: Buffer, readSize: number): number[] {
  const offered: number[] = [];
  let at = 0;
  while (at < data.length) {
    const target = decoder.readBuffer();
    const length = Math.min(readSize, data.length - at, target?.length ?? readSize);
    if (target === undefined) {
      decoder.write(data.subarray(at, at + length));
    } else {
      offered.push(target.length);
      data.copy(target, 0, at, at + length);
      decoder.received(length);
    }
    at += length;
  }
  return offered;
}

function framesOf(sink: RecordingSink): Buffer[] {
  return sink.decoded.flatMap((d) => ("message" in d ? d.message : [d.command]));
}

describe("bodyCapacity", () => {
  it("starts at the first step and grows BODY_GROWTH-fold with what arrived", () => {
    const huge = constants.MAX_LENGTH;
    assert.equal(bodyCapacity(huge, 0), BODY_FIRST_STEP);
    assert.equal(bodyCapacity(huge, 10), BODY_FIRST_STEP);
    assert.equal(bodyCapacity(huge, BODY_FIRST_STEP), BODY_GROWTH * BODY_FIRST_STEP);
    assert.equal(bodyCapacity(huge, 3 * MiB), BODY_GROWTH * 3 * MiB);
  });

  it("takes the whole body at once when a step would leave less than BODY_FIRST_STEP of it out", () => {
    // A 1 MiB body whose first read carried a 9-octet header: 4 × (256 KiB − 36) is 144 short.
    assert.equal(bodyCapacity(MiB, 256 * KiB - 36), MiB);
    assert.equal(bodyCapacity(MiB, 64 * KiB - 9), 4 * (64 * KiB - 9), "far from the end: a step");
    assert.equal(bodyCapacity(64 * KiB, 100), 64 * KiB);
    assert.equal(bodyCapacity(100 * KiB, 100), 100 * KiB, "100 KiB − 64 KiB < 64 KiB: whole");
  });

  it("never holds more than BODY_GROWTH × what arrived + BODY_FIRST_STEP, nor more than the body", () => {
    const prng = new Prng(5);
    for (let i = 0; i < 10_000; i++) {
      const size = 1 + prng.int(64 * MiB);
      const arrived = prng.int(size);
      const capacity = bodyCapacity(size, arrived);
      assert.ok(capacity <= size, `${capacity} > size ${size}`);
      assert.ok(capacity <= BODY_GROWTH * arrived + BODY_FIRST_STEP, `size ${size}, arrived ${arrived}: ${capacity}`);
      assert.ok(capacity > arrived || capacity === size, "room for at least one more octet");
    }
  });
});

describe("FrameDecoder body growth", () => {
  it("reads a 1 MiB body in place through one step: 64 KiB chunk, 256 KiB step, then the whole body", () => {
    const body = new Prng(1).bytes(MiB);
    const data = longFrame(0, body);
    const sink = new RecordingSink();
    const decoder = new FrameDecoder(sink);
    decoder.write(data.subarray(0, 64 * KiB));
    const offered = feedLikeASocket(decoder, data.subarray(64 * KiB), 64 * KiB);
    const frames = framesOf(sink);
    assert.equal(frames.length, 1);
    assert.ok(frames[0]!.equals(body));
    const step = 4 * (64 * KiB - 9);
    assert.equal(offered[0], step - (64 * KiB - 9), "the first chunk's body part went into a step 4 times its size");
    assert.ok(offered.includes(MiB - step), "from the full step straight to the whole body");
    assert.ok(offered.every((length) => length <= MiB - step), "no third buffer");
  });

  it("delivers every body intact whatever the read sizes, through the spare step buffer", () => {
    const prng = new Prng(2);
    const bodies = [300 * KiB, MiB, 70 * KiB, 2 * MiB + 3, 5 * MiB, 256 * KiB + 1].map((size) => prng.bytes(size));
    const stream = Buffer.concat([...bodies.map((body, i) => longFrame(i === 1 ? 1 : 0, body)), longFrame(0, Buffer.from("end"))]);
    for (const readSize of [1000, 4096, 65_536, 200_001, 3 * MiB]) {
      const sink = new RecordingSink();
      feedLikeASocket(new FrameDecoder(sink), stream, readSize);
      const frames = framesOf(sink);
      assert.equal(frames.length, bodies.length + 1, `read size ${readSize}`);
      // Checked once all are decoded: a step buffer reused while a body still lived in it would show here.
      bodies.forEach((body, i) => assert.ok(frames[i]!.equals(body), `read size ${readSize}: body ${i} intact`));
    }
  });

  it("gives the same bodies split in two at every offset of the headers and around each growth", () => {
    const prng = new Prng(3);
    const bodies = [prng.bytes(300 * KiB), prng.bytes(90 * KiB)];
    const stream = Buffer.concat(bodies.map((body) => longFrame(0, body)));
    const second = 9 + bodies[0]!.length;
    const cuts = new Set<number>();
    for (let i = 0; i <= 12; i++) cuts.add(i).add(second - 2 + i);
    for (const boundary of [BODY_FIRST_STEP, 4 * BODY_FIRST_STEP, second + BODY_FIRST_STEP, stream.length]) {
      for (let d = -10; d <= 10; d++) cuts.add(Math.min(stream.length, Math.max(0, boundary + d)));
    }
    for (const cut of cuts) {
      const sink = new RecordingSink();
      const decoder = new FrameDecoder(sink);
      decoder.write(stream.subarray(0, cut));
      feedLikeASocket(decoder, stream.subarray(cut), 100 * KiB);
      const frames = framesOf(sink);
      assert.equal(frames.length, 2, `cut at ${cut}`);
      frames.forEach((frame, i) => assert.ok(frame.equals(bodies[i]!), `cut at ${cut}: body ${i}`));
    }
  });

  it("reuses the step buffer of one body for the next, and never keeps one above SPARE_STEP_LIMIT", () => {
    const sink = new RecordingSink();
    const decoder = new FrameDecoder(sink);
    /** The buffers (other than the delivered body's) that a body of `size` was gathered in. */
    const stepsOf = (size: number): ArrayBufferLike[] => {
      const offered = new Set<ArrayBufferLike>();
      const data = longFrame(0, Buffer.alloc(size, 7));
      decoder.write(data.subarray(0, 64 * KiB));
      let at = 64 * KiB;
      for (let target = decoder.readBuffer(); target !== undefined; target = decoder.readBuffer()) {
        offered.add(target.buffer);
        const length = Math.min(target.length, data.length - at);
        data.copy(target, 0, at, at + length);
        decoder.received(length);
        at += length;
      }
      decoder.write(data.subarray(at));
      const delivered = framesOf(sink).at(-1)!;
      assert.ok(delivered.equals(data.subarray(9)));
      offered.delete(delivered.buffer);
      return [...offered];
    };
    const first = stepsOf(MiB);
    const second = stepsOf(MiB);
    assert.equal(first.length, 1);
    assert.deepEqual(second, first, "the second 1 MiB body gathered its start in the first one's step");
    assert.ok(stepsOf(64 * MiB).some((step) => step.byteLength > SPARE_STEP_LIMIT), "a 64 MiB body steps past the limit");
    const afterHuge = stepsOf(MiB);
    assert.equal(afterHuge.length, 1);
    assert.ok(afterHuge[0]!.byteLength <= SPARE_STEP_LIMIT, "steps above the limit were not kept");
  });

  it("gives the spare step to one decoder at a time: two connections gathering bodies at once stay intact", () => {
    const prng = new Prng(6);
    const sinks = [new RecordingSink(), new RecordingSink()];
    const decoders = sinks.map((sink) => new FrameDecoder(sink));
    const bodies = [prng.bytes(MiB), prng.bytes(MiB)];
    const streams = bodies.map((body) => longFrame(0, body));
    const at = [0, 0];
    // Alternate reads between the two, so that both hold a step buffer at the same time.
    while (at[0]! < streams[0]!.length || at[1]! < streams[1]!.length) {
      for (const i of [0, 1]) {
        const stream = streams[i]!;
        if (at[i]! >= stream.length) continue;
        const target = decoders[i]!.readBuffer();
        const length = Math.min(50_000, stream.length - at[i]!, target?.length ?? 50_000);
        if (target === undefined) decoders[i]!.write(stream.subarray(at[i]!, at[i]! + length));
        else {
          stream.copy(target, 0, at[i]!, at[i]! + length);
          decoders[i]!.received(length);
        }
        at[i]! += length;
      }
    }
    sinks.forEach((sink, i) => {
      const frames = framesOf(sink);
      assert.equal(frames.length, 1);
      assert.ok(frames[0]!.equals(bodies[i]!), `connection ${i}: body intact`);
    });
  });

  it("holds a declared-huge frame that never arrives by what arrived, read in place or written", () => {
    for (const inPlace of [true, false]) {
      const decoder = new FrameDecoder(new RecordingSink());
      const header = longFrame(0, Buffer.alloc(0));
      header.writeBigUInt64BE(BigInt(constants.MAX_LENGTH), 1);
      decoder.write(header);
      let arrived = 0;
      for (let i = 0; i < 200; i++) {
        const target = inPlace ? decoder.readBuffer() : undefined;
        const length = Math.min(target?.length ?? 40_000, 40_000);
        if (target === undefined) decoder.write(Buffer.alloc(length));
        else decoder.received(length);
        arrived += length;
        const held = arrived + (inPlace ? decoder.readBuffer()!.length : 0);
        assert.ok(held <= BODY_GROWTH * arrived + BODY_FIRST_STEP, `${inPlace ? "in place" : "written"}: ${held} held for ${arrived}`);
      }
      assert.ok(decoder.midMessage);
      decoder.close();
    }
  });
});
