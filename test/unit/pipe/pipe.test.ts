import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Pipe } from "../../../src/pipe/pipe";

const msg = (text: string) => [Buffer.from(text)];

describe("Pipe", () => {
  it("signals the reader once per batch, not once per message", () => {
    const pipe = new Pipe(10);
    let signals = 0;
    pipe.onReadable = () => signals++;
    pipe.write(msg("a"));
    pipe.write(msg("b"));
    assert.equal(signals, 1);
    assert.equal(pipe.read()?.[0]?.toString(), "a");
    assert.equal(pipe.read()?.[0]?.toString(), "b");
    assert.equal(pipe.read(), undefined);
    pipe.write(msg("c"));
    assert.equal(signals, 2);
  });

  it("refuses writes at the high-water mark and wakes the writer at the low-water mark", () => {
    const pipe = new Pipe(4);
    let wakes = 0;
    pipe.onWritable = () => wakes++;
    for (let i = 0; i < 4; i++) assert.equal(pipe.write(msg(String(i))), true);
    assert.equal(pipe.full, true);
    assert.equal(pipe.write(msg("x")), false);
    assert.equal(pipe.length, 4);
    pipe.read();
    assert.equal(wakes, 0, "still above the low-water mark");
    pipe.read();
    pipe.read();
    assert.equal(wakes, 1);
    assert.equal(pipe.full, false);
  });

  it("has no limit when the high-water mark is 0", () => {
    const pipe = new Pipe(0);
    for (let i = 0; i < 10000; i++) assert.equal(pipe.write(msg("m")), true);
    assert.equal(pipe.length, 10000);
  });

  it("keeps only the newest message when conflating", () => {
    const pipe = new Pipe(1000, true);
    for (const text of ["a", "b", "c"]) pipe.write(msg(text));
    assert.equal(pipe.length, 1);
    assert.equal(pipe.read()?.[0]?.toString(), "c");
  });

  it("lets the reader drain an ended pipe, then reports done once", () => {
    const pipe = new Pipe(10);
    let done = 0;
    pipe.onDone = () => done++;
    pipe.write(msg("a"));
    pipe.end();
    assert.equal(pipe.write(msg("late")), false);
    assert.equal(done, 0);
    assert.equal(pipe.read()?.[0]?.toString(), "a");
    assert.equal(done, 1);
    assert.equal(pipe.done, true);
  });

  it("drops what is queued when the reader closes it, and refuses later writes", () => {
    const pipe = new Pipe(2);
    let wakes = 0;
    pipe.onWritable = () => wakes++;
    pipe.write(msg("a"));
    pipe.write(msg("b"));
    pipe.write(msg("c"));
    pipe.close();
    assert.equal(wakes, 1, "a waiting writer learns the pipe is gone");
    assert.equal(pipe.length, 0);
    assert.equal(pipe.write(msg("d")), false);
  });

  it("checkRead arms the reader so the next write signals", () => {
    const pipe = new Pipe(10);
    let signals = 0;
    pipe.onReadable = () => signals++;
    pipe.write(msg("a"));
    pipe.read();
    assert.equal(pipe.checkRead(), false);
    pipe.write(msg("b"));
    assert.equal(signals, 2);
  });
});
