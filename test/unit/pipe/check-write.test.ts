import { test } from "node:test";
import assert from "node:assert/strict";
import { Pipe } from "../../../src/pipe/pipe";
import { msg } from "../routing/make-peer";

test("Pipe.checkWrite: a pipe with room: true, and nothing is written", () => {
  const pipe = new Pipe(2);
  assert.equal(pipe.checkWrite(), true);
  assert.equal(pipe.length, 0);
  assert.equal(new Pipe(0).checkWrite(), true, "no high-water mark: always room");
});

test("Pipe.checkWrite: a full pipe: false, nothing is queued, and the pipe signals its writer once drained", () => {
  const pipe = new Pipe(2);
  let signals = 0;
  pipe.onWritable = () => signals++;
  pipe.write(msg("a"));
  pipe.write(msg("b")); // full, but no write was refused yet
  assert.equal(pipe.checkWrite(), false);
  assert.equal(pipe.length, 2);
  pipe.read(); // 1 left: above the low-water mark (0 for hwm 2)
  assert.equal(signals, 0);
  pipe.read();
  assert.equal(signals, 1);
  assert.equal(pipe.read(), undefined, "the probe was never queued");
});

test("Pipe.checkWrite: without the check, a pipe filled by accepted writes would never signal", () => {
  const pipe = new Pipe(1);
  let signals = 0;
  pipe.onWritable = () => signals++;
  pipe.write(msg("a"));
  assert.equal(pipe.full, true);
  pipe.read();
  assert.equal(signals, 0);
});

test("Pipe.checkWrite: a closed or ended pipe refuses for good, and queues nothing", () => {
  const closed = new Pipe(1);
  closed.close();
  assert.equal(closed.checkWrite(), false);
  const ended = new Pipe(0);
  ended.end();
  assert.equal(ended.checkWrite(), false);
  assert.equal(ended.length, 0);
});
