// A consumer that stops reading must never grow the sender's memory past its high-water marks
// (issue 6, "Limits that hold"; STYLE.md point 7). The stalled peer is a raw connection that
// completes the ZMTP handshake and then never reads, so only the omq sender's memory is measured
// (kernel socket buffers fill too, but they are not the process's heap or buffers).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { frame, handshake } from "../helpers/zmtp";
import { bounded, liveBytes, MiB, mib, rawPeer, withContext, zmq } from "./support";

const T = { timeout: 60000 };
const SIZE = 32 * 1024;
const OFFERED = 256 * MiB;
const BOUND = 64 * MiB;

/** Sends fresh SIZE-byte messages until a send fails with EAGAIN or OFFERED bytes went out; returns how many were queued. */
async function offer(send: (message: Buffer) => Promise<void>): Promise<number> {
  let sent = 0;
  for (; sent * SIZE < OFFERED; sent++) {
    try {
      await send(Buffer.alloc(SIZE, sent & 0xff));
    } catch (error) {
      assert.equal((error as { code?: string }).code, "EAGAIN", `unexpected ${String(error)}`);
      return sent;
    }
  }
  return sent;
}

describe("slow consumer", () => {
  it("PUSH (HWM 1000) to a stalled PULL: sends block with EAGAIN, sender memory bounded", T, () =>
    withContext(async (context) => {
      const push = new zmq.Push({ context, sendHighWaterMark: 1000, sendTimeout: 200 });
      await push.bind("tcp://127.0.0.1:*");
      const stalled = await rawPeer(push.lastEndpoint!, handshake("PULL"));
      await bounded(stalled.receivedAtLeast(64), 10000, "no greeting from the PUSH");
      stalled.socket.pause(); // reads nothing more: the kernel buffers fill, then omq's pipe
      try {
        const before = liveBytes();
        const rssBefore = process.memoryUsage().rss;
        const sent = await offer((message) => push.send(message));
        const after = liveBytes();
        const rss = process.memoryUsage().rss - rssBefore;
        const buffers = after.buffers - before.buffers;
        console.log(`slow PULL: ${sent} of ${OFFERED / SIZE} messages queued before EAGAIN; arrayBuffers +${mib(buffers)}, heap +${mib(after.heap - before.heap)}, rss +${mib(rss)}`);
        assert.ok(sent * SIZE < OFFERED, "the PUSH never blocked");
        assert.ok(sent >= 1000, `the PUSH blocked before its HWM (${sent})`);
        assert.ok(buffers < BOUND, `arrayBuffers grew by ${mib(buffers)}`);
        assert.ok(rss < BOUND, `rss grew by ${mib(rss)}`);
        assert.ok(after.heap - before.heap < BOUND, `heap grew by ${mib(after.heap - before.heap)}`);
      } finally {
        stalled.destroy();
      }
    }));

  it("PUSH to an omq PULL that does not read (both HWM 1000): sends block after a bounded number", T, () =>
    withContext(async (context) => {
      const pull = new zmq.Pull({ context, receiveHighWaterMark: 1000 });
      await pull.bind("tcp://127.0.0.1:*");
      const push = new zmq.Push({ context, sendHighWaterMark: 1000, sendTimeout: 200 });
      push.connect(pull.lastEndpoint!);
      const sent = await offer((message) => push.send(message));
      console.log(`idle omq PULL: ${sent} messages queued before EAGAIN`);
      assert.ok(sent * SIZE < OFFERED, "the PUSH never blocked");
      // Both pipes full, plus what the kernel buffers hold: a few thousand messages, never all.
      assert.ok(sent >= 1000, `blocked before the HWM (${sent})`);
      const [first] = await pull.receive();
      assert.equal(first!.length, SIZE, "what was queued is still delivered");
    }));

  it("PUB (HWM 1000) to a stalled SUB: drops, never blocks, memory bounded", T, () =>
    withContext(async (context) => {
      const pub = new zmq.Publisher({ context, sendHighWaterMark: 1000 });
      await pub.bind("tcp://127.0.0.1:*");
      const stalled = await rawPeer(pub.lastEndpoint!, Buffer.concat([handshake("SUB"), frame(Buffer.from([1]))]));
      stalled.socket.pause();
      try {
        const live = new zmq.Subscriber({ context });
        live.subscribe();
        live.connect(pub.lastEndpoint!);
        // A live SUB that keeps reading; its subscription has arrived once it gets a message.
        let got = 0;
        const reading = (async () => {
          for await (const _ of live) got++;
        })().catch(() => {});
        while (got === 0) {
          await pub.send("probe");
          await new Promise((resolve) => setImmediate(resolve));
        }
        const before = liveBytes();
        for (let sent = 0; sent * SIZE < OFFERED; sent++) {
          await bounded(pub.send(Buffer.alloc(SIZE)), 10000, `publish ${sent} blocked`);
        }
        const after = liveBytes();
        console.log(`stalled SUB: ${OFFERED / SIZE} published, arrayBuffers +${mib(after.buffers - before.buffers)}, heap +${mib(after.heap - before.heap)}`);
        assert.ok(after.buffers - before.buffers < BOUND, `arrayBuffers grew by ${mib(after.buffers - before.buffers)}`);
        assert.ok(after.heap - before.heap < BOUND, `heap grew by ${mib(after.heap - before.heap)}`);
        assert.equal(stalled.socket.destroyed, false, "the slow subscriber is kept, its messages dropped");
        assert.ok(got > 0);
        void reading;
      } finally {
        stalled.destroy();
      }
    }));
  it("heartbeats on both sides and a PULL that stops reading: its live peer is kept, nothing lost (libzmq drops it)", T, () =>
    withContext(async (context) => {
      const heartbeats = { heartbeatInterval: 100, heartbeatTimeout: 1000 };
      const pull = new zmq.Pull({ context, ...heartbeats, receiveHighWaterMark: 100 });
      await pull.bind("tcp://127.0.0.1:*");
      const push = new zmq.Push({ context, ...heartbeats, sendHighWaterMark: 100, sendTimeout: 200 });
      let disconnects = 0;
      for (const socket of [pull, push]) socket.events.on("disconnect", () => disconnects++);
      push.connect(pull.lastEndpoint!);
      // Until both pipes and the kernel's buffers are full: the PULL has stopped reading.
      const sent = await offer((message) => push.send(message));
      assert.ok(sent * SIZE < OFFERED, "the PUSH never blocked");
      // The stall itself, three heartbeat timeouts long: the PULL reads nothing, so it sees no
      // PING, PONG or data from the PUSH; the PUSH hears the PULL's PINGs.
      await new Promise((resolve) => setTimeout(resolve, 3000));
      for (let i = 0; i < sent; i++) assert.equal((await bounded(pull.receive(), 10000, `message ${i}`))[0]![0], i & 0xff);
      assert.equal(disconnects, 0, "a stalled but live connection was dropped");
    }));
});
