import assert from "node:assert/strict";
import { once } from "node:events";
import type { Socket } from "node:net";
import { after, before, describe, it } from "node:test";
import { Engine } from "../../../src/engine/engine";
import { encodeCommand, encodePing } from "../../../src/zmtp/commands";
import { FrameDecoder } from "../../../src/zmtp/decoder";
import { GREETING_SIZE } from "../../../src/zmtp/greeting";
import { RecordingSink } from "../zmtp/recording-sink";
import {
  engineOptions, frame, handshaken, holdLoop, nextMessage, peerHello, socketPair, spyWrites, StubHost, turnsUntil,
} from "./harness";

/** What the engine sent after its greeting, decoded (skipping our READY). */
function decodeSent(data: Buffer): string[] {
  const sink = new RecordingSink();
  new FrameDecoder(sink).write(data.subarray(GREETING_SIZE));
  return sink.summary().slice(1);
}

function hex(text: string): string {
  return Buffer.from(text, "latin1").toString("hex");
}

function count(list: string[], item: string): number {
  return list.filter((x) => x === item).length;
}

function hasRef(socket: Socket): boolean {
  return (socket as unknown as { _handle?: { hasRef(): boolean } })._handle?.hasRef() ?? false;
}

describe("Engine traffic", () => {
  let release: () => void;
  before(() => (release = holdLoop()));
  after(() => release());

  it("answers PING with a PONG echoing the context (RFC 37)", async () => {
    const { engine, theirs, received, close } = await handshaken({ socketType: "PULL" }, "PUSH");
    const before = received.data.length;
    theirs.write(frame(0x04, encodePing(0, Buffer.from("ctx-123"))));
    await received.bytes(before + 2 + 5 + 7);
    assert.deepEqual(decodeSent(received.data), [`cmd:${hex("\x04PONGctx-123")}`]);
    engine.destroy();
    close();
  });

  it("drops a peer that stays silent past the TTL of its own PING", async () => {
    const { host, theirs, close } = await handshaken({ socketType: "PULL" }, "PUSH");
    theirs.write(frame(0x04, encodePing(1))); // 100 ms
    const error = await host.closed;
    assert.equal(error?.kind, "heartbeat-timeout");
    close();
  });

  it("sends PINGs with our TTL and drops a peer that sends nothing back", async () => {
    const { host, received, close } = await handshaken(
      { socketType: "PULL", heartbeatInterval: 10, heartbeatTimeToLive: 2000 },
      "PUSH",
    );
    const error = await host.closed;
    assert.equal(error?.kind, "heartbeat-timeout");
    assert.equal(error?.code, "ETIMEDOUT");
    assert.equal(decodeSent(received.data)[0], `cmd:${hex("\x04PING\x00\x14")}`);
    close();
  });

  it("sends a SUB's subscriptions as SUBSCRIBE/CANCEL commands to a ZMTP 3.1 peer", async () => {
    const { engine, host, received, close } = await handshaken({ socketType: "SUB" }, "PUB");
    const before = received.data.length;
    host.outbound.write([Buffer.from("\x01a", "latin1")]);
    host.outbound.write([Buffer.from("\x00a", "latin1")]);
    await received.bytes(before + 2 + 11 + 2 + 8);
    assert.deepEqual(decodeSent(received.data), [`cmd:${hex("\x09SUBSCRIBEa")}`, `cmd:${hex("\x06CANCELa")}`]);
    engine.destroy();
    close();
  });

  it("talks ZMTP 3.0 (RFC 23) to a minor-0 peer: subscriptions stay messages", async () => {
    const { engine, host, received, close } = await handshaken({ socketType: "SUB" }, "PUB", 1000, 0);
    const before = received.data.length;
    host.outbound.write([Buffer.from("\x01a", "latin1")]);
    await received.bytes(before + 4);
    assert.deepEqual(decodeSent(received.data), [hex("\x01a")]);
    engine.destroy();
    close();
  });

  it("delivers SUBSCRIBE and CANCEL commands to an XPUB as [1 + topic] and [0 + topic]", async () => {
    const { engine, host, theirs, close } = await handshaken({ socketType: "XPUB" }, "SUB");
    theirs.write(frame(0x04, encodeCommand("SUBSCRIBE", Buffer.from("t"))));
    theirs.write(frame(0x04, encodeCommand("CANCEL", Buffer.from("t"))));
    assert.deepEqual(await nextMessage(host.inbound), [Buffer.from("\x01t", "latin1")]);
    assert.deepEqual(await nextMessage(host.inbound), [Buffer.from("\x00t", "latin1")]);
    engine.destroy();
    close();
  });

  it("ignores SUBSCRIBE for socket types that take no subscriptions", async () => {
    const { engine, host, theirs, close } = await handshaken({ socketType: "PULL" }, "PUSH");
    theirs.write(Buffer.concat([frame(0x04, encodeCommand("SUBSCRIBE", Buffer.from("t"))), frame(0, "m")]));
    assert.deepEqual(await nextMessage(host.inbound), [Buffer.from("m")]);
    engine.destroy();
    close();
  });

  it("writes a burst of messages sent in one turn with one write", async () => {
    const { engine, host, theirs, received, close } = await handshaken({ socketType: "PUSH" }, "PULL");
    const spy = spyWrites([theirs]);
    const before = received.data.length;
    for (let i = 0; i < 100; i++) host.outbound.write([Buffer.from("0123456789")]);
    await received.bytes(before + 100 * 12);
    spy.restore();
    assert.equal(spy.writes.length, 1);
    engine.destroy();
    close();
  });

  it("keeps the stream ref()ed only while messages wait to be written", async () => {
    const { engine, host, ours, received, close } = await handshaken({ socketType: "PUSH" }, "PULL");
    assert.ok(await turnsUntil(() => !hasRef(ours)));
    const before = received.data.length;
    host.outbound.write([Buffer.from("x")]);
    assert.equal(hasRef(ours), true);
    await received.bytes(before + 3);
    assert.equal(hasRef(ours), false);
    engine.destroy();
    close();
  });

  it("lets a host refuse the peer: the engine closes without an error", async () => {
    const pair = await socketPair();
    const host = new StubHost();
    host.refuse = true;
    new Engine(pair.ours, engineOptions({ socketType: "PULL" }), host).start();
    pair.theirs.write(peerHello("PUSH"));
    assert.equal(await host.closed, undefined);
    assert.equal(host.readyCalls, 1);
    await once(pair.theirs, "close");
    pair.close();
  });

  it("calls engineClosed once however often it is closed", async () => {
    const { engine, host, close } = await handshaken({ socketType: "PUSH" }, "PULL");
    engine.close(0);
    engine.close(-1);
    engine.destroy();
    assert.equal(await host.closed, undefined);
    engine.destroy();
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(host.closedCalls, 1);
    close();
  });

  it("closes during the handshake without waiting", async () => {
    const pair = await socketPair();
    const host = new StubHost();
    const engine = new Engine(pair.ours, engineOptions(), host);
    engine.start();
    engine.close(-1);
    assert.equal(await host.closed, undefined);
    assert.equal(host.closedCalls, 1);
    await once(pair.theirs, "close");
    pair.close();
  });

  it("destroys the stream when the linger time runs out", async () => {
    const { engine, host, theirs, close } = await handshaken({ socketType: "PUSH" }, "PULL", 0);
    theirs.pause();
    for (let i = 0; i < 64; i++) host.outbound.write([Buffer.alloc(1 << 20)]);
    await turnsUntil(() => host.outbound.length < 64);
    engine.close(20);
    assert.equal(await host.closed, undefined);
    close();
  });

  it("delivers what a departed peer sent as the inbound pipe drains, then closes", async () => {
    const pair = await socketPair();
    const host = new StubHost(2);
    new Engine(pair.ours, engineOptions({ socketType: "PULL" }), host).start();
    const messages = Array.from({ length: 20 }, (_, i) => frame(0, `m${i}`));
    pair.theirs.end(Buffer.concat([peerHello("PUSH"), ...messages]));
    // The peer has sent its FIN. (It cannot see ours yet: with the pipe full we stop reading,
    // so the FIN waits in the kernel until the pipe drains, as in libzmq.)
    await once(pair.theirs, "finish");
    for (let i = 0; i < 20; i++) assert.deepEqual(await nextMessage(host.inbound), [Buffer.from(`m${i}`)]);
    assert.equal(await host.closed, undefined);
    pair.close();
  });

  it("discards messages for an inbound pipe whose reader closed it", async () => {
    const { engine, host, theirs, close } = await handshaken({ socketType: "PULL" }, "PUSH", 1);
    host.inbound.close();
    for (let i = 0; i < 10; i++) theirs.write(frame(0, `m${i}`));
    theirs.end();
    assert.equal(await host.closed, undefined);
    engine.destroy();
    close();
  });
  it("lets go of a held message when the reader closes the full inbound pipe", async () => {
    const { engine, host, theirs, close } = await handshaken({ socketType: "PULL" }, "PUSH", 1);
    const refused = new Promise<void>((resolve) => (host.inbound.onRefused = resolve));
    for (let i = 0; i < 10; i++) theirs.write(frame(0, `m${i}`));
    await refused;
    host.inbound.close();
    theirs.end();
    assert.equal(await host.closed, undefined);
    engine.destroy();
    close();
  });
  it("closes at once when asked to linger after the peer has left", async () => {
    const pair = await socketPair();
    const host = new StubHost(1);
    const engine = new Engine(pair.ours, engineOptions({ socketType: "PULL" }), host);
    engine.start();
    const refused = new Promise<void>((resolve) => (host.inbound.onRefused = resolve));
    const finished = once(pair.theirs, "finish"); // our FIN waits for the full pipe, as above
    pair.theirs.end(Buffer.concat([peerHello("PUSH"), frame(0, "a"), frame(0, "b"), frame(0, "c")]));
    await refused;
    await finished;
    host.outbound.write([Buffer.from("unsent")]);
    engine.close(-1);
    assert.equal(await host.closed, undefined);
    pair.close();
    if (!pair.theirs.closed) await once(pair.theirs, "close"); // nothing left for the next test to see
  });
  it("leaves no request or handle behind once engineClosed has been called", async () => {
    // Immediates come and go with the test runner itself; handles and requests are what matter.
    const resources = () => process.getActiveResourcesInfo().filter((r) => r !== "Immediate").sort();
    const start = resources();
    const { engine, host, theirs, close } = await handshaken({ socketType: "PUSH" }, "PULL");
    host.outbound.write([Buffer.from("last words")]);
    engine.close(-1);
    assert.equal(await host.closed, undefined);
    theirs.destroy();
    await once(theirs, "close");
    // Earlier tests' sockets may still be closing at the start, so none may be added, but some may be gone.
    for (const kind of new Set(resources())) assert.ok(count(resources(), kind) <= count(start, kind), `a ${kind} was left behind`);
    close();
  });
});
