import assert from "node:assert/strict";
import { constants } from "node:buffer";
import { describe, it } from "node:test";
import { BODY_FIRST_STEP, BODY_GROWTH, COPY_BELOW, FrameDecoder, READ_IN_PLACE_FROM } from "../../../src/zmtp/decoder";
import { Prng } from "../../fuzz/prng";
import { RecordingSink } from "./recording-sink";

/** One frame, built by hand from RFC 37 "Framing" (independent of our encoder). */
function frame(flags: number, body: Buffer | string, forceLong = false): Buffer {
  const data = typeof body === "string" ? Buffer.from(body) : body;
  if (data.length <= 255 && !forceLong) return Buffer.concat([Buffer.from([flags, data.length]), data]);
  const header = Buffer.alloc(9);
  header[0] = flags | 0x02;
  header.writeBigUInt64BE(BigInt(data.length), 1);
  return Buffer.concat([header, data]);
}

function longHeader(flags: number, size: bigint): Buffer {
  const header = Buffer.alloc(9);
  header[0] = flags | 0x02;
  header.writeBigUInt64BE(size, 1);
  return header;
}

/** A stream with a bit of everything: short, long, empty, multipart frames and commands. */
function sampleStream(): Buffer {
  return Buffer.concat([
    frame(0x00, "hello"),
    frame(0x01, ""),
    frame(0x01, Buffer.alloc(300, 1)),
    frame(0x00, "last"),
    frame(0x04, "\x04PING\x00\x0a"),
    frame(0x00, "x", true),
    frame(0x00, Buffer.alloc(70_000, 2)),
  ]);
}

function decodeAll(chunks: Buffer[], options = {}): RecordingSink {
  const sink = new RecordingSink();
  const decoder = new FrameDecoder(sink, options);
  for (const chunk of chunks) decoder.write(chunk);
  return sink;
}

describe("FrameDecoder", () => {
  it("decodes short, long, empty and multipart frames and commands", () => {
    const sink = decodeAll([sampleStream()]);
    assert.equal(sink.errors.length, 0);
    assert.equal(sink.decoded.length, 5);
    assert.deepEqual(sink.summary().slice(0, 4), [
      Buffer.from("hello").toString("hex"),
      ["", Buffer.alloc(300, 1).toString("hex"), Buffer.from("last").toString("hex")].join("|"),
      `cmd:${Buffer.from("\x04PING\x00\x0a").toString("hex")}`,
      Buffer.from("x").toString("hex"),
    ]);
  });

  it("gives the same result fed one byte at a time", () => {
    const whole = decodeAll([sampleStream()]).summary();
    const data = sampleStream();
    const bytes = Array.from({ length: data.length }, (_, i) => data.subarray(i, i + 1));
    assert.deepEqual(decodeAll(bytes).summary(), whole);
  });

  it("gives the same result in random splits", () => {
    const whole = decodeAll([sampleStream()]).summary();
    const prng = new Prng(23);
    for (let round = 0; round < 50; round++) {
      const sink = decodeAll(prng.split(sampleStream(), 1 + prng.int(600)));
      assert.deepEqual(sink.summary(), whole, `round ${round}`);
    }
  });

  it("copies small bodies and hands out views of large ones", () => {
    const small = Buffer.alloc(COPY_BELOW - 1, 3);
    const large = Buffer.alloc(COPY_BELOW, 4);
    const chunk = Buffer.concat([frame(0, small), frame(0, large)]);
    const sink = decodeAll([chunk]);
    const [first, second] = sink.decoded.map((d) => ("message" in d ? d.message[0] : Buffer.alloc(0)));
    chunk.fill(0xee); // a copy keeps its bytes, a view shows the change
    assert.ok(first.equals(small));
    assert.ok(second.every((b) => b === 0xee) && second.length === large.length);
  });

  it("takes the copy threshold as an option", () => {
    const chunk = frame(0, Buffer.alloc(10, 5));
    const sink = decodeAll([chunk], { copyBelow: 1 });
    chunk.fill(0xee);
    const d = sink.decoded[0];
    assert.ok("message" in d && d.message[0].every((b) => b === 0xee));
  });

  it("gathers a body that straddles chunks into one buffer", () => {
    const body = new Prng(7).bytes(5000);
    const data = frame(0, body);
    const sink = decodeAll([data.subarray(0, 100), data.subarray(100, 4000), data.subarray(4000)]);
    const d = sink.decoded[0];
    assert.ok("message" in d);
    assert.deepEqual(d.message[0], body);
  });

  it("never allocates by the declared size: a 2^62-byte frame is refused from its header", () => {
    const sink = new RecordingSink();
    const decoder = new FrameDecoder(sink);
    decoder.write(longHeader(0, 1n << 62n));
    assert.equal(sink.errors.length, 1);
    assert.equal(sink.errors[0].code, "EMSGSIZE");
  });

  it("gathers a huge declared frame piece by piece, holding only what arrived", () => {
    const sink = new RecordingSink();
    const decoder = new FrameDecoder(sink);
    const before = process.memoryUsage().arrayBuffers;
    decoder.write(longHeader(0, BigInt(constants.MAX_LENGTH)));
    for (let i = 0; i < 16; i++) decoder.write(Buffer.alloc(1024));
    const grown = process.memoryUsage().arrayBuffers - before;
    assert.ok(grown < 64 * 1024 * 1024, `grew by ${grown} bytes`);
    assert.equal(sink.errors.length, 0);
    assert.equal(sink.decoded.length, 0);
    assert.ok(decoder.midMessage);
    decoder.close();
  });

  it("offers a large body's free part for the next read and delivers it once filled in place", () => {
    const body = new Prng(11).bytes(1 << 20);
    const data = Buffer.concat([frame(0, body), frame(0, "next")]);
    const sink = new RecordingSink();
    const decoder = new FrameDecoder(sink);
    assert.equal(decoder.readBuffer(), undefined, "no body under way: read anywhere");
    decoder.write(data.subarray(0, 1000));
    let at = 1000;
    const bodyEnd = 9 + body.length;
    for (let target = decoder.readBuffer(); target !== undefined; target = decoder.readBuffer()) {
      // A read fills part of what is offered, as a socket read does.
      const length = Math.min(target.length, 100_000, bodyEnd - at);
      data.copy(target, 0, at, at + length);
      at += length;
      decoder.received(length);
    }
    assert.ok(bodyEnd - at < READ_IN_PLACE_FROM, "the tail of a body is read with the next frames");
    decoder.write(data.subarray(at));
    assert.deepEqual(sink.summary(), [body.toString("hex"), Buffer.from("next").toString("hex")]);
  });

  it("grows a straddling body with what arrives, never past BODY_GROWTH times it", () => {
    const decoder = new FrameDecoder(new RecordingSink());
    decoder.write(Buffer.concat([longHeader(0, BigInt(constants.MAX_LENGTH)), Buffer.alloc(10)]));
    assert.equal(decoder.readBuffer()!.length, BODY_FIRST_STEP - 10, "the largest Buffer declared gets the first step only");
    let arrived = 10;
    for (let i = 0; i < 6; i++) {
      const target = decoder.readBuffer()!;
      assert.ok(arrived + target.length <= Math.max(BODY_FIRST_STEP, BODY_GROWTH * arrived));
      decoder.received(target.length);
      arrived += target.length;
    }
    decoder.close();
    assert.equal(decoder.readBuffer(), undefined, "nothing offered once closed");
  });

  it("reports whether the chunk last written is still needed", () => {
    const decoder = new FrameDecoder(new RecordingSink());
    decoder.write(frame(0, "small"));
    assert.equal(decoder.keepsChunk, false, "a small body is copied out");
    decoder.write(frame(0, Buffer.alloc(COPY_BELOW)));
    assert.equal(decoder.keepsChunk, true, "a large body is a view of the chunk");
    decoder.write(frame(0, "small"));
    assert.equal(decoder.keepsChunk, false);
    const refusing = new RecordingSink();
    refusing.accept = false;
    const stopped = new FrameDecoder(refusing);
    stopped.write(Buffer.concat([frame(0, "a"), frame(0, "b")]));
    assert.equal(stopped.keepsChunk, true, "stopped with part of the chunk undecoded");
  });

  it("checks maxMessageSize per frame against the header, before any body arrives", () => {
    const ok = decodeAll([frame(0, Buffer.alloc(100))], { maxMessageSize: 100 });
    assert.equal(ok.errors.length, 0);
    assert.equal(ok.decoded.length, 1);
    const sink = new RecordingSink();
    const decoder = new FrameDecoder(sink, { maxMessageSize: 100 });
    decoder.write(Buffer.from([0x00, 101]));
    assert.equal(sink.errors.length, 1);
    assert.equal(sink.errors[0].code, "EMSGSIZE");
  });

  it("refuses a command frame with MORE set (RFC 37: SHALL be zero on command frames)", () => {
    const sink = decodeAll([frame(0x05, "\x04PING\x00\x00")]);
    assert.equal(sink.errors[0]?.code, "EPROTO");
    assert.equal(sink.decoded.length, 0);
  });

  it("refuses a command inside a multipart message", () => {
    const sink = decodeAll([Buffer.concat([frame(0x01, "a"), frame(0x04, "\x04PING\x00\x00"), frame(0, "b")])]);
    assert.equal(sink.errors.length, 1);
    assert.equal(sink.errors[0].code, "EPROTO");
    assert.equal(sink.decoded.length, 0);
  });

  it("ignores all input after an error", () => {
    const sink = new RecordingSink();
    const decoder = new FrameDecoder(sink, { maxMessageSize: 1 });
    decoder.write(frame(0, "too long"));
    decoder.write(frame(0, "a"));
    assert.equal(sink.errors.length, 1);
    assert.equal(sink.decoded.length, 0);
    assert.ok(decoder.closed);
  });

  it("ignores the reserved flag bits, as libzmq does", () => {
    const sink = decodeAll([frame(0xf8, "x")]);
    assert.equal(sink.errors.length, 0);
    assert.equal(sink.decoded.length, 1);
  });

  it("stops right after a refused message and resumes with the rest of the chunk", () => {
    const sink = new RecordingSink();
    sink.accept = false;
    const decoder = new FrameDecoder(sink);
    decoder.write(Buffer.concat([frame(0, "1"), frame(0, "2"), frame(0, "3")]));
    assert.equal(sink.decoded.length, 1);
    assert.ok(decoder.stopped && decoder.hasPendingInput);
    decoder.write(frame(0, "4")); // arrives while stopped: kept, in order
    decoder.resume();
    assert.equal(sink.decoded.length, 2);
    sink.accept = true;
    decoder.resume();
    assert.deepEqual(sink.summary(), ["31", "32", "33", "34"]);
    assert.ok(!decoder.stopped && !decoder.hasPendingInput);
  });

  it("stops after a refused command too", () => {
    const sink = new RecordingSink();
    sink.accept = false;
    const decoder = new FrameDecoder(sink);
    decoder.write(Buffer.concat([frame(0x04, "\x04PONG"), frame(0, "m")]));
    assert.equal(sink.decoded.length, 1);
    sink.accept = true;
    decoder.resume();
    assert.equal(sink.decoded.length, 2);
  });

  it("reports a partial frame or message as midMessage", () => {
    const sink = new RecordingSink();
    const decoder = new FrameDecoder(sink);
    decoder.write(Buffer.from([0x00]));
    assert.ok(decoder.midMessage);
    decoder.write(Buffer.from([0x00]));
    assert.ok(!decoder.midMessage);
    decoder.write(frame(0x01, "a"));
    assert.ok(decoder.midMessage);
    decoder.write(frame(0x00, "b"));
    assert.ok(!decoder.midMessage);
  });

  it("decodes a long-form header that straddles chunks", () => {
    const data = frame(0x01, Buffer.alloc(1000, 9));
    const tail = frame(0, "z");
    const sink = decodeAll([data.subarray(0, 4), data.subarray(4, 8), data.subarray(8), tail]);
    assert.equal(sink.decoded.length, 1);
    const d = sink.decoded[0];
    assert.ok("message" in d && d.message[0].length === 1000 && d.message[1].toString() === "z");
  });
  it("applies a changed maxMessageSize from the next frame header on", () => {
    const sink = new RecordingSink();
    const decoder = new FrameDecoder(sink, { maxMessageSize: 4 });
    decoder.write(frame(0, "1234"));
    decoder.maxMessageSize = 8;
    decoder.write(frame(0, "12345678"));
    assert.equal(decoder.maxMessageSize, 8);
    assert.equal(sink.decoded.length, 2);
    decoder.write(frame(0, "123456789"));
    assert.equal(sink.errors[0]?.code, "EMSGSIZE");
  });
});
