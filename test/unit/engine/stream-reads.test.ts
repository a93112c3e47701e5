import assert from "node:assert/strict";
import { once } from "node:events";
import * as net from "node:net";
import { describe, it } from "node:test";
import { takeOverReads, type ReadTarget } from "../../../src/engine/stream-reads";
import { connectTo } from "./harness";

/** A target that reads into buffers of a fixed size and keeps a copy of every byte. */
class Collecting implements ReadTarget {
  readonly buffers = new Set<Buffer>();
  data = Buffer.alloc(0);
  waiter: (() => void) | undefined;
  constructor(readonly size: number) {}
  nextBuffer(): Buffer {
    const buffer = Buffer.alloc(this.size);
    this.buffers.add(buffer);
    return buffer;
  }
  received(buffer: Buffer, length: number): void {
    assert.ok(this.buffers.has(buffer), "a read lands in a buffer the target chose");
    this.data = Buffer.concat([this.data, buffer.subarray(0, length)]);
    this.waiter?.();
  }
  async bytes(count: number): Promise<void> {
    while (this.data.length < count) await new Promise<void>((resolve) => (this.waiter = resolve));
  }
}

describe("takeOverReads", () => {
  it("reads an accepted socket into the target's buffers, and the server still counts it", async () => {
    const server = net.createServer();
    server.listen(0, "127.0.0.1");
    await once(server, "listening");
    const accepted = once(server, "connection");
    const client = await connectTo((server.address() as net.AddressInfo).port);
    const [stream] = (await accepted) as [net.Socket];
    const target = new Collecting(1000);
    const taken = takeOverReads(stream, target)!;
    assert.ok(taken !== undefined);
    taken.resume();
    const sent = Buffer.alloc(5000, 7);
    client.write(sent);
    await target.bytes(sent.length);
    assert.deepEqual(target.data, sent);
    assert.ok(target.buffers.size >= 5, "reads are no larger than the buffers offered");
    // Writes and 'end' work as on any socket.
    const echoed = once(client, "data");
    taken.write("back");
    assert.equal(String((await echoed)[0]), "back");
    const ended = once(taken, "end");
    client.end();
    await ended;
    const serverClosed = new Promise<void>((resolve) => server.close(() => resolve()));
    taken.destroy();
    await serverClosed; // net.Server waited for the connection it accepted, now `taken`
  });

  it("leaves alone a stream with bytes already buffered", async () => {
    const server = net.createServer((socket) => socket.end("early"));
    server.listen(0, "127.0.0.1");
    await once(server, "listening");
    const client = await connectTo((server.address() as net.AddressInfo).port);
    client.pause();
    await new Promise<void>((resolve) => client.once("readable", resolve));
    assert.equal(takeOverReads(client, new Collecting(10)), undefined);
    client.destroy();
    server.close();
  });
});
