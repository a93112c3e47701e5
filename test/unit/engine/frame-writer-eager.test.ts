import assert from "node:assert/strict";
import { EventEmitter } from "node:events";
import type { Socket } from "node:net";
import { describe, it } from "node:test";
import { FrameWriter } from "../../../src/engine/frame-writer";
import { Pipe } from "../../../src/pipe/pipe";

/** A stream that reports how much it holds (`writableLength`), as a net.Socket does. */
class IdleStream extends EventEmitter {
  writes: Buffer[] = [];
  writableLength = 0;
  writableEnded = false;
  accept = true;

  write(chunk: Buffer): boolean {
    this.writes.push(chunk);
    if (!this.accept) this.writableLength += chunk.length;
    return this.accept;
  }

  cork(): void {}
  uncork(): void {}
  ref(): this {
    return this;
  }
  unref(): this {
    return this;
  }
}

function setup() {
  const stream = new IdleStream();
  const writer = new FrameWriter(stream as unknown as Socket);
  const pipe = new Pipe(0);
  writer.attach(pipe, false);
  return { stream, writer, pipe };
}

const turn = () => new Promise((resolve) => setImmediate(resolve));

describe("FrameWriter on an idle stream", () => {
  it("writes a lone message at once, and the rest of the turn's messages in one write after it", async () => {
    const { stream, pipe } = setup();
    await turn(); // the flush scheduled by attach
    pipe.write([Buffer.from("first")]);
    assert.equal(stream.writes.length, 1, "the first message went out at once");
    assert.deepEqual(stream.writes[0], Buffer.from("\x00\x05first", "latin1"));
    for (let i = 0; i < 10; i++) pipe.write([Buffer.from("abc")]);
    assert.equal(stream.writes.length, 1, "the others wait for the scheduled flush");
    await turn();
    assert.equal(stream.writes.length, 2);
    assert.equal(stream.writes[1].length, 10 * 5);
  });

  it("coalesces when the stream holds unwritten bytes", async () => {
    const { stream, pipe } = setup();
    await turn();
    stream.writableLength = 100;
    pipe.write([Buffer.from("a")]);
    pipe.write([Buffer.from("b")]);
    assert.equal(stream.writes.length, 0);
    await turn();
    assert.equal(stream.writes.length, 1);
    assert.deepEqual(stream.writes[0], Buffer.from("\x00\x01a\x00\x01b", "latin1"));
  });

  it("keeps the order of messages across the eager write and the flush", async () => {
    const { stream, pipe } = setup();
    await turn();
    for (let i = 0; i < 5; i++) pipe.write([Buffer.from([i])]);
    await turn();
    const bytes = Buffer.concat(stream.writes);
    assert.deepEqual([...bytes], [0, 1, 0, 0, 1, 1, 0, 1, 2, 0, 1, 3, 0, 1, 4]);
  });
});
