import assert from "node:assert/strict";
import { EventEmitter } from "node:events";
import type { Socket } from "node:net";
import { describe, it } from "node:test";
import { FrameWriter, WRITE_CAP } from "../../../src/engine/frame-writer";
import { Pipe } from "../../../src/pipe/pipe";

/** Just enough of a net.Socket to watch what the writer does. */
class FakeStream extends EventEmitter {
  writes: Buffer[] = [];
  corks = 0;
  refed = true;
  accept = true;

  write(chunk: Buffer): boolean {
    this.writes.push(chunk);
    return this.accept;
  }

  cork(): void {
    this.corks++;
  }

  uncork(): void {}

  ref(): this {
    this.refed = true;
    return this;
  }

  unref(): this {
    this.refed = false;
    return this;
  }

  get written(): number {
    return this.writes.reduce((n, b) => n + b.length, 0);
  }
}

function setup(hwm = 0) {
  const stream = new FakeStream();
  stream.unref();
  const writer = new FrameWriter(stream as unknown as Socket);
  const pipe = new Pipe(hwm);
  writer.attach(pipe, false);
  return { stream, writer, pipe };
}

const turn = () => new Promise((resolve) => setImmediate(resolve));
/** Resolves after the ticks queued so far (a flush scheduled earlier has run), before the event loop turns. */
const tick = () => new Promise((resolve) => process.nextTick(resolve));

describe("FrameWriter", () => {
  it("flushes a burst written in one go with one write, once that code is done", async () => {
    const { stream, pipe } = setup();
    for (let i = 0; i < 50; i++) pipe.write([Buffer.from("abc")]);
    assert.equal(stream.writes.length, 0);
    assert.equal(stream.refed, true);
    await turn();
    assert.equal(stream.writes.length, 1);
    assert.equal(stream.written, 50 * 5);
    assert.equal(stream.refed, false);
  });

  it("writes a message on an idle connection before the event loop turns (latency)", async () => {
    const { stream, pipe } = setup();
    let turned = false;
    setImmediate(() => (turned = true));
    pipe.write([Buffer.from("abc")]);
    await tick();
    assert.equal(stream.writes.length, 1);
    assert.equal(turned, false);
  });

  it("coalesces a loop of awaited writes into one write (throughput)", async () => {
    const { stream, pipe } = setup();
    for (let i = 0; i < 50; i++) {
      pipe.write([Buffer.from("abc")]);
      await Promise.resolve();
    }
    await tick();
    assert.equal(stream.writes.length, 1);
    assert.equal(stream.written, 50 * 5);
  });

  it("while the stream is backed up, takes everything queued meanwhile in one write at 'drain'", async () => {
    const { stream, pipe } = setup();
    stream.accept = false;
    pipe.write([Buffer.from("first")]);
    await turn();
    assert.equal(stream.writes.length, 1);
    for (let i = 0; i < 20; i++) {
      pipe.write([Buffer.from("abc")]);
      await turn();
    }
    assert.equal(stream.writes.length, 1, "nothing written while backed up");
    assert.equal(stream.refed, true, "queued bytes keep the process alive");
    stream.accept = true;
    stream.emit("drain");
    assert.equal(stream.writes.length, 2);
    assert.equal(stream.written, 7 + 20 * 5);
    await turn();
    assert.equal(stream.refed, false);
  });

  it("corks when a flush has several buffers (one writev)", async () => {
    const { stream, pipe } = setup();
    pipe.write([Buffer.from("a"), Buffer.alloc(100_000), Buffer.from("b")]);
    await turn();
    assert.equal(stream.corks, 1);
    assert.equal(stream.writes.length, 3);
  });

  it("caps one write and waits for 'drain' when the stream is backed up", async () => {
    const { stream, pipe } = setup();
    stream.accept = false;
    const count = 10;
    for (let i = 0; i < count; i++) pipe.write([Buffer.alloc(WRITE_CAP / 4)]);
    await turn();
    const first = stream.written;
    assert.ok(first >= WRITE_CAP && first < count * (WRITE_CAP / 4), `${first} bytes in the first write`);
    assert.ok(pipe.length > 0);
    await turn();
    assert.equal(stream.written, first, "nothing more until drain");
    assert.equal(stream.refed, true);
    stream.accept = true;
    stream.emit("drain");
    await turn();
    assert.equal(pipe.length, 0);
    assert.equal(stream.written, count * (WRITE_CAP / 4 + 9));
    assert.equal(stream.refed, false);
  });

  it("continues a capped flush on the next turn when the stream keeps up", async () => {
    const { stream, pipe } = setup();
    for (let i = 0; i < 8; i++) pipe.write([Buffer.alloc(WRITE_CAP / 2)]);
    await turn();
    assert.ok(pipe.length > 0);
    for (let i = 0; i < 8 && pipe.length > 0; i++) await turn();
    assert.equal(pipe.length, 0);
  });

  it("sends queued commands with the next flush and calls onIdle when done", async () => {
    const { stream, writer } = setup();
    let idle = 0;
    writer.onIdle = () => idle++;
    writer.command(Buffer.from("\x04PONG", "latin1"));
    writer.schedule();
    await turn();
    assert.deepEqual(stream.writes[0], Buffer.from("\x04\x05\x04PONG", "latin1"));
    assert.equal(idle, 1);
  });

  it("writes nothing after close", async () => {
    const { stream, writer, pipe } = setup();
    writer.close();
    pipe.write([Buffer.from("late")]);
    writer.flush();
    await turn();
    assert.equal(stream.writes.length, 0);
    assert.equal(pipe.onReadable, undefined);
  });
});
