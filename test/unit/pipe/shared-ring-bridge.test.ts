import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Pipe } from "../../../src/pipe/pipe";
import { pumpFromRing, pumpToRing } from "../../../src/pipe/shared-ring-bridge";
import { SharedRingReader, SharedRingWriter, createSharedRing } from "../../../src/pipe/shared-ring";

// Pipe → ring → Pipe in one thread: the path inproc:// between workers would take.
function bridge(ringBytes: number, hwm: number) {
  const ends = createSharedRing(ringBytes);
  const writer = new SharedRingWriter(ends.writer);
  const reader = new SharedRingReader(ends.reader);
  const from = new Pipe(hwm);
  const to = new Pipe(hwm);
  pumpToRing(from, writer);
  pumpFromRing(reader, to);
  return { from, to, writer, reader };
}

describe("shared ring bridge (Pipe ↔ ring)", () => {
  it("carries every message in order under back-pressure on both sides, then the end", async () => {
    const { from, to, writer } = bridge(256, 8);
    const total = 5000;
    let sent = 0;
    const send = (): void => {
      while (sent < total && from.write([Buffer.from(String(sent))])) sent++;
      if (sent === total) from.end();
    };
    from.onWritable = send;
    send();
    const got: string[] = [];
    await new Promise<void>((resolve) => {
      to.onDone = resolve;
      const receive = (): void => {
        for (let m = to.read(); m !== undefined; m = to.read()) got.push(m[0]!.toString());
      };
      to.onReadable = () => setImmediate(receive); // a slow consumer: the ring fills
      receive();
    });
    assert.equal(got.length, total);
    got.forEach((s, i) => assert.equal(s, String(i)));
    assert.ok(writer.stats.refusals > 0, "the ring was full at times");
  });

  it("a closed receiving Pipe closes the ring, and the sending Pipe is closed in turn", async () => {
    const { from, to } = bridge(64, 4);
    to.close();
    while (from.write([Buffer.from("x")])) {}
    await new Promise<void>((resolve) => (from.onWritable = resolve)); // a refused writer is woken by close
    assert.equal(from.closed, true);
  });
});
