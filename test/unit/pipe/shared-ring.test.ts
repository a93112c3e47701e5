import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Message } from "../../../src/message";
import { HEAD, TAIL, ringViews } from "../../../src/pipe/shared-ring-codec";
import { SharedRingReader, SharedRingWriter, createSharedRing } from "../../../src/pipe/shared-ring";

// Both ends in one thread: the logic (wrap-around, full, empty, end, close, aside) without
// the scheduling; test/threads/ covers two real threads.
function open(bytes: number, threshold?: number) {
  const ends = createSharedRing(bytes);
  return { writer: new SharedRingWriter(ends.writer, threshold), reader: new SharedRingReader(ends.reader), buffer: ends.writer.buffer };
}
const msg = (...parts: string[]): Message => parts.map((p) => Buffer.from(p));
const text = (m: Message | undefined) => m?.map((f) => f.toString());
const signal = (set: (fn: () => void) => void) => new Promise<void>((resolve) => set(resolve));

describe("SharedRing (one thread)", () => {
  it("carries multipart messages, empty frames and zero-frame messages, in order", () => {
    const { writer, reader } = open(1024);
    assert.equal(writer.write(msg("a", "", "ccc")), true);
    assert.equal(writer.write([]), true);
    writer.flush();
    assert.deepEqual(text(reader.read()), ["a", "", "ccc"]);
    assert.deepEqual(text(reader.read()), []);
    assert.equal(reader.read(), undefined);
    reader.close();
  });

  it("publishes a batch only on flush (write-ahead), then the reader sees all of it", async () => {
    const { writer, reader } = open(1024);
    assert.equal(reader.read(), undefined); // parks
    writer.write(msg("1"));
    writer.write(msg("2"));
    assert.equal(reader.read(), undefined, "unpublished writes are private to the writer");
    const readable = signal((fn) => (reader.onReadable = fn));
    writer.flush();
    await readable;
    assert.deepEqual(text(reader.read()), ["1"]);
    assert.deepEqual(text(reader.read()), ["2"]);
    assert.equal(writer.stats.notifies, 1, "one notify for the batch, since the reader had parked");
    reader.close();
  });

  it("flushes a turn's first write at the end of its synchronous run, the rest at the end of the turn", async () => {
    const { writer, reader } = open(1024);
    writer.write(msg("x"));
    await Promise.resolve();
    assert.deepEqual(text(reader.read()), ["x"], "a lone message goes at once");
    writer.write(msg("y"));
    await Promise.resolve();
    assert.equal(reader.read(), undefined, "a loop of awaited sends still batches");
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(text(reader.read()), ["y"]);
    reader.close();
  });

  it("publishes at once when an eighth of the ring is unpublished", () => {
    const { writer, reader } = open(1024);
    writer.write([Buffer.alloc(60)]); // a 68-byte record
    assert.equal(reader.read(), undefined);
    writer.write([Buffer.alloc(60)]); // 136 bytes ≥ 1024 / 8
    assert.equal(reader.read()?.[0]?.length, 60);
    reader.close();
  });

  it("wraps records across the ring's end and the u32 counters across 2^32", async () => {
    const ends = createSharedRing(128); // records of up to 38 bytes: all inline (≤ half the ring)
    const { control } = ringViews(ends.writer.buffer);
    Atomics.store(control, TAIL, -40); // 40 bytes before the counters wrap to 0
    Atomics.store(control, HEAD, -40);
    const writer = new SharedRingWriter(ends.writer);
    const reader = new SharedRingReader(ends.reader);
    let sent = 0;
    let got = 0;
    for (let round = 0; round < 300; round++) {
      while (writer.write(msg(`m${sent}`, "x".repeat(sent % 23)))) sent++;
      const writable = signal((fn) => (writer.onWritable = fn));
      for (let m = reader.read(); m !== undefined; m = reader.read()) {
        assert.deepEqual(text(m), [`m${got}`, "x".repeat(got % 23)]);
        got++;
      }
      await writable; // every round fills the ring: the writer parks and is woken
    }
    assert.equal(got, sent);
    assert.ok(got > 600, `read ${got}`);
    assert.equal(writer.stats.aside, 0);
    assert.equal(writer.stats.refusals, 300);
    assert.ok((Atomics.load(control, TAIL) >>> 0) < 1 << 20, "the counter wrapped past 2^32");
    reader.close();
  });

  it("refuses a write when full, then wakes the writer once the reader gives room back", async () => {
    const { writer, reader } = open(64);
    let n = 0;
    while (writer.write(msg(`${n}`))) n++;
    assert.ok(n > 3);
    assert.equal(writer.full, true);
    assert.equal(writer.write(msg("more")), false, "still refused while waiting");
    assert.equal(writer.stats.refusals, 1);
    const writable = signal((fn) => (writer.onWritable = fn));
    for (let i = 0; i < n; i++) assert.deepEqual(text(reader.read()), [`${i}`]);
    assert.equal(reader.read(), undefined);
    await writable;
    assert.equal(writer.full, false);
    assert.ok(reader.stats.notifies >= 1, "the reader notified the parked writer");
    assert.equal(writer.write(msg("after")), true);
    reader.close();
  });

  it("wakes a writer parked for room only once half the ring is free (a low-water mark)", async () => {
    const { writer, reader } = open(1024);
    const frame = () => [Buffer.alloc(60)]; // 68-byte records: 15 fill the ring
    let n = 0;
    while (writer.write(frame())) n++;
    assert.equal(n, 15);
    let woken = false;
    const writable = signal((fn) => (writer.onWritable = fn)).then(() => (woken = true));
    for (let i = 0; i < 4; i++) assert.equal(reader.read()?.[0]?.length, 60); // gives back a quarter
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(woken, false, "room for a message, but not yet half the ring");
    assert.equal(reader.stats.notifies, 0);
    for (let i = 0; i < 4; i++) reader.read(); // the next quarter: over half is free
    await writable;
    assert.equal(reader.stats.notifies, 1);
    assert.equal(writer.write(frame()), true);
    reader.close();
  });

  it("ends: the reader drains, then done and onDone (also when it was parked)", async () => {
    const { writer, reader } = open(1024);
    assert.equal(reader.read(), undefined);
    const readable = signal((fn) => (reader.onReadable = fn));
    writer.write(msg("last"));
    writer.end();
    assert.equal(writer.write(msg("late")), false);
    await readable;
    let doneFired = 0;
    reader.onDone = () => doneFired++;
    assert.deepEqual(text(reader.read()), ["last"]);
    assert.equal(reader.read(), undefined);
    assert.equal(reader.done, true);
    assert.equal(doneFired, 1);
  });

  it("close by the reader wakes a parked writer and refuses its writes", async () => {
    const { writer, reader } = open(64);
    while (writer.write(msg("fill"))) {}
    const writable = signal((fn) => (writer.onWritable = fn));
    reader.close();
    await writable;
    assert.equal(writer.full, true);
    assert.equal(writer.write(msg("x")), false);
  });

  it("sends large messages aside by transfer, keeping their place in the order", async () => {
    const { writer, reader } = open(4096, 256);
    const big = Buffer.alloc(10_000, 7); // owns its ArrayBuffer: transferred, not copied
    const pooled = Buffer.from("p".repeat(300)); // a slice of the pool: copied once
    writer.write(msg("before"));
    writer.write([Buffer.from("head"), big, pooled]);
    writer.write(msg("after"));
    assert.equal(big.length, 0, "the big frame was transferred (detached)");
    assert.equal(pooled.length, 300, "a pooled frame is copied, not detached");
    assert.equal(writer.stats.aside, 1);
    writer.end();
    const got: Message[] = [];
    await new Promise<void>((resolve) => {
      const drain = () => {
        for (let m = reader.read(); m !== undefined; m = reader.read()) got.push(m);
        if (reader.done) resolve();
      };
      reader.onReadable = drain;
      drain();
    });
    assert.deepEqual(text(got[0]), ["before"]);
    assert.equal(got[1]!.length, 3);
    assert.equal(got[1]![1]!.length, 10_000);
    assert.ok(got[1]![1]!.every((b) => b === 7));
    assert.equal(got[1]![2]!.toString(), "p".repeat(300));
    assert.deepEqual(text(got[2]), ["after"]);
  });

  it("bounds messages in flight aside, and wakes the writer as the reader takes them", async () => {
    const { writer, reader } = open(4096, 256); // at most 4096 / 256 = 16 aside at once
    const big = () => [Buffer.alloc(1000, 1)];
    let n = 0;
    while (writer.write(big())) n++;
    assert.equal(n, 16, "refused by the aside bound, not by ring bytes (16 records are 128 B)");
    const writable = signal((fn) => (writer.onWritable = fn));
    for (let i = 0; i < n; ) {
      const m = reader.read(); // undefined until the port has delivered the frames
      if (m === undefined) await signal((fn) => (reader.onReadable = fn));
      else assert.equal(m[0]!.length, 1000, `message ${i++}`);
    }
    assert.equal(reader.read(), undefined); // end of batch: HEAD and ASIDE_TAKEN given back
    await writable;
    assert.equal(writer.write(big()), true);
    reader.close();
  });

  it("a reader closing while the writer waits for aside room wakes it too", async () => {
    const { writer, reader } = open(4096, 256);
    while (writer.write([Buffer.alloc(1000)])) {}
    const writable = signal((fn) => (writer.onWritable = fn));
    reader.close();
    await writable;
    assert.equal(writer.write([Buffer.from("x")]), false);
  });

  it("sizes the ring to a power of two and rejects a bad buffer", () => {
    const ends = createSharedRing(1000);
    assert.equal(ringViews(ends.writer.buffer).mask + 1, 1024);
    ends.writer.port.close();
    assert.throws(() => ringViews(new SharedArrayBuffer(128 + 100)), RangeError);
  });
});
