import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { Engine, HANDSHAKE_FRAME_MAX } from "../../../src/engine/engine";
import type { EngineOptions } from "../../../src/engine/options";
import { encodeCommand, encodeReady } from "../../../src/zmtp/commands";
import { encodeGreeting, GREETING_SIZE } from "../../../src/zmtp/greeting";
import { Collector, engineOptions, frame, handshaken, holdLoop, nextMessage, peerHello, socketPair, StubHost } from "./harness";

/** Starts an engine, lets a hand-driven peer send `bytes`, and returns how the engine ended. */
async function feed(bytes: Buffer | Buffer[], options: Partial<EngineOptions> = {}) {
  const pair = await socketPair();
  const host = new StubHost();
  const received = new Collector(pair.theirs);
  const engine = new Engine(pair.ours, engineOptions(options), host);
  engine.start();
  for (const chunk of Array.isArray(bytes) ? bytes : [bytes]) pair.theirs.write(chunk);
  const error = await host.closed;
  await received.closed();
  pair.close();
  return { error, host, received };
}

describe("Engine with bad input", () => {
  let release: () => void;
  before(() => (release = holdLoop()));
  after(() => release());

  it("refuses a peer that is not speaking ZMTP at its first byte, after sending its greeting", async () => {
    const { error, host, received } = await feed(Buffer.from("GET / HTTP/1.1\r\n"));
    assert.equal(error?.kind, "protocol");
    assert.equal(error?.code, "ERR_ZMTP_UNSPECIFIED");
    assert.equal(error?.handshake, true);
    assert.equal(host.readyCalls, 0);
    assert.equal(host.closedCalls, 1);
    assert.equal(received.data.length, GREETING_SIZE);
  });

  it("refuses a ZMTP 2.0 peer (major version 1)", async () => {
    const greeting = encodeGreeting("NULL", false);
    greeting[10] = 1;
    const { error } = await feed(greeting.subarray(0, 11));
    assert.equal(error?.code, "ERR_ZMTP_UNSPECIFIED");
  });

  it("refuses a peer with another mechanism", async () => {
    const { error } = await feed(encodeGreeting("PLAIN", false));
    assert.equal(error?.code, "ERR_ZMTP_MECHANISM_MISMATCH");
  });

  it("refuses a message frame before the handshake is complete", async () => {
    const { error } = await feed([encodeGreeting("NULL", false), frame(0, "too early")]);
    assert.equal(error?.kind, "protocol");
    assert.equal(error?.handshake, true);
  });

  it("refuses READY metadata that overruns the command", async () => {
    const ready = encodeCommand("READY", Buffer.from([11, ...Buffer.from("Socket-Type"), 0, 0, 0, 200, 0x50]));
    const { error, host } = await feed([encodeGreeting("NULL", false), frame(0x04, ready)]);
    assert.equal(error?.code, "ERR_ZMTP_INVALID_METADATA");
    assert.equal(host.readyCalls, 0);
  });

  it("sends ERROR to a peer of an incompatible type before closing", async () => {
    const { error, received } = await feed(peerHello("PUSH"));
    assert.equal(error?.code, "ERR_ZMTP_INVALID_METADATA");
    assert.ok(received.data.includes(Buffer.from("\x05ERROR", "latin1")));
  });

  it("refuses an ERROR from the peer during the handshake", async () => {
    const { error } = await feed([encodeGreeting("NULL", false), frame(0x04, encodeCommand("ERROR", Buffer.from("\x03400")))]);
    assert.equal(error?.kind, "auth");
    assert.equal(error?.status, 400);
  });

  it("refuses a frame larger than maxMessageSize from its header", async () => {
    const header = Buffer.from([0x02, 0, 0, 0, 0, 0, 1, 0, 0]); // 65536 bytes declared, none sent
    const { error } = await feed([peerHello("PULL"), header], { maxMessageSize: 1024 });
    assert.equal(error?.code, "EMSGSIZE");
    assert.equal(error?.handshake, false);
  });

  it("refuses a frame declaring 2^62 bytes without allocating it", async () => {
    const header = Buffer.alloc(9);
    header[0] = 0x02;
    header.writeBigUInt64BE(1n << 62n, 1);
    const { error } = await feed([peerHello("PULL"), header]);
    assert.equal(error?.code, "EMSGSIZE");
  });

  it("refuses a command with MORE set after the handshake", async () => {
    const { error } = await feed([peerHello("PULL"), frame(0x05, encodeCommand("PING", Buffer.from([0, 0])))]);
    assert.equal(error?.code, "EPROTO");
  });

  it("refuses a malformed PING", async () => {
    const { error } = await feed([peerHello("PULL"), frame(0x04, encodeCommand("PING"))]);
    assert.equal(error?.code, "ERR_ZMTP_MALFORMED_COMMAND_UNSPECIFIED");
  });

  it("reports a peer closing mid-frame", async () => {
    const pair = await socketPair();
    const host = new StubHost();
    const engine = new Engine(pair.ours, engineOptions({ socketType: "PULL" }), host);
    engine.start();
    pair.theirs.end(Buffer.concat([peerHello("PUSH"), Buffer.from([0x00, 10, 1, 2, 3])]));
    const error = await host.closed;
    assert.equal(error?.code, "EPROTO");
    assert.equal(host.readyCalls, 1);
    pair.close();
  });

  it("reports a peer closing in the middle of a multipart message", async () => {
    const pair = await socketPair();
    const host = new StubHost();
    const engine = new Engine(pair.ours, engineOptions({ socketType: "PULL" }), host);
    engine.start();
    pair.theirs.end(Buffer.concat([peerHello("PUSH"), frame(0x01, "first of two")]));
    assert.equal((await host.closed)?.code, "EPROTO");
    pair.close();
  });

  it("reports a peer closing during the handshake as an io error", async () => {
    const pair = await socketPair();
    const host = new StubHost();
    new Engine(pair.ours, engineOptions(), host).start();
    pair.theirs.end(encodeGreeting("NULL", false).subarray(0, 20));
    const error = await host.closed;
    assert.equal(error?.kind, "io");
    assert.equal(error?.handshake, true);
    pair.close();
  });

  it("reports a connection reset as an io error, with no 'error' event escaping", async () => {
    const { engine, host, theirs, close } = await handshaken({ socketType: "PULL" }, "PUSH");
    theirs.resetAndDestroy();
    const error = await host.closed;
    assert.equal(error?.kind, "io");
    assert.equal(host.closedCalls, 1);
    engine.destroy();
    close();
  });

  it("drops a peer that has not completed the handshake within handshakeInterval", async () => {
    const { error } = await feed(encodeGreeting("NULL", false), { handshakeInterval: 20 });
    assert.equal(error?.kind, "handshake-timeout");
    assert.equal(error?.code, "ETIMEDOUT");
  });

  it("ignores unknown commands after the handshake, as libzmq does", async () => {
    const { engine, host, theirs, close } = await handshaken({ socketType: "PULL" }, "PUSH");
    theirs.write(Buffer.concat([frame(0x04, encodeCommand("JOIN", Buffer.from("g"))), frame(0, "after")]));
    assert.deepEqual(await nextMessage(host.inbound), [Buffer.from("after")]);
    engine.destroy();
    close();
  });

  it("takes a READY whose property names differ in case", async () => {
    const greeting = encodeGreeting("NULL", false);
    const ready = frame(0x04, encodeReady([["SOCKET-TYPE", "PULL"]]));
    const pair = await socketPair();
    const host = new StubHost();
    const engine = new Engine(pair.ours, engineOptions(), host);
    engine.start();
    pair.theirs.write(Buffer.concat([greeting, ready]));
    assert.equal((await host.ready).socketType, "PULL");
    engine.destroy();
    pair.close();
  });
  it("limits frames before the handshake completes, whatever maxMessageSize allows (RFC 37 security)", async () => {
    const header = Buffer.alloc(9);
    header[0] = 0x06;
    header.writeBigUInt64BE(BigInt(HANDSHAKE_FRAME_MAX + 1), 1);
    const { error } = await feed([encodeGreeting("NULL", false), header]);
    assert.equal(error?.code, "EMSGSIZE");
    assert.equal(error?.handshake, true);
  });

  it("lifts the handshake limit once the handshake is done", async () => {
    const { engine, host, theirs, close } = await handshaken({ socketType: "PULL" }, "PUSH");
    const big = Buffer.alloc(HANDSHAKE_FRAME_MAX * 2, 3);
    theirs.write(frame(0, big));
    assert.deepEqual(await nextMessage(host.inbound), [big]);
    engine.destroy();
    close();
  });
});
