import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { MechanismOptions } from "../../../src/mechanisms/mechanism";
import { NullMechanism } from "../../../src/mechanisms/null";
import { encodeCommand, encodeError, encodeReady } from "../../../src/zmtp/commands";
import { getProperty } from "../../../src/zmtp/metadata";

function options(socketType: MechanismOptions["socketType"], routingId?: Buffer): MechanismOptions {
  return { socketType, routingId, asServer: false };
}

describe("NullMechanism", () => {
  it("sends READY with only Socket-Type for PUSH, as libzmq 4.3.5 does", () => {
    const ready = new NullMechanism(options("PUSH")).nextCommand();
    // Captured from libzmq 4.3.5 (zeromq npm package): a PUSH socket's READY.
    assert.deepEqual(ready, Buffer.from("\x05READY\x0bSocket-Type\x00\x00\x00\x04PUSH", "latin1"));
  });

  it("adds Identity for REQ, DEALER and ROUTER, empty when there is no routing id", () => {
    const req = new NullMechanism(options("REQ", Buffer.from("abc"))).nextCommand();
    assert.deepEqual(req, Buffer.from("\x05READY\x0bSocket-Type\x00\x00\x00\x03REQ\x08Identity\x00\x00\x00\x03abc", "latin1"));
    const router = new NullMechanism(options("ROUTER")).nextCommand();
    assert.deepEqual(router, Buffer.from("\x05READY\x0bSocket-Type\x00\x00\x00\x06ROUTER\x08Identity\x00\x00\x00\x00", "latin1"));
    const dealer = new NullMechanism(options("DEALER", Buffer.from("d"))).nextCommand();
    assert.ok(dealer?.includes(Buffer.from("Identity")));
    const sub = new NullMechanism(options("SUB", Buffer.from("x"))).nextCommand();
    assert.ok(!sub?.includes(Buffer.from("Identity")));
  });

  it("announces application metadata after the basic properties", () => {
    const mechanism = new NullMechanism({ ...options("PAIR"), metadata: new Map([["X-App", "v1"]]) });
    const ready = mechanism.nextCommand();
    assert.ok(ready?.includes(Buffer.from("X-App\x00\x00\x00\x02v1", "latin1")));
  });

  it("sends READY once", () => {
    const mechanism = new NullMechanism(options("PUSH"));
    assert.ok(mechanism.nextCommand());
    assert.equal(mechanism.nextCommand(), undefined);
  });

  it("completes when READY was both sent and received", () => {
    const a = new NullMechanism(options("DEALER", Buffer.from("A")));
    const b = new NullMechanism(options("ROUTER"));
    const fromA = a.nextCommand() as Buffer;
    b.processCommand(fromA);
    assert.equal(b.status.state, "handshaking");
    a.processCommand(b.nextCommand() as Buffer);
    assert.equal(a.status.state, "ready");
    assert.equal(b.status.state, "ready");
    assert.equal(getProperty(b.peerMetadata, "Identity")?.toString(), "A");
    assert.equal(getProperty(a.peerMetadata, "Socket-Type")?.toString(), "ROUTER");
  });

  it("fails on a peer's ERROR, as an auth refusal for ZAP status codes", () => {
    const plain = new NullMechanism(options("PUSH"));
    plain.processCommand(encodeError("go away"));
    assert.ok(plain.status.state === "error" && plain.status.failure.kind === "protocol");
    const auth = new NullMechanism(options("PUSH"));
    auth.processCommand(encodeError("400"));
    assert.deepEqual(auth.status.state === "error" && auth.status.failure.kind === "auth" && auth.status.failure.status, 400);
  });

  it("fails on a malformed ERROR", () => {
    const mechanism = new NullMechanism(options("PUSH"));
    mechanism.processCommand(encodeCommand("ERROR", Buffer.from([9, 0x41])));
    assert.ok(mechanism.status.state === "error" && mechanism.status.failure.kind === "protocol");
    assert.equal(mechanism.status.failure.code, "ERR_ZMTP_MALFORMED_COMMAND_ERROR");
  });

  it("fails on metadata that overruns the READY command", () => {
    const mechanism = new NullMechanism(options("PUSH"));
    mechanism.nextCommand();
    mechanism.processCommand(encodeCommand("READY", Buffer.from([11, 0x53])));
    assert.ok(mechanism.status.state === "error" && mechanism.status.failure.kind === "protocol");
    assert.equal(mechanism.status.failure.code, "ERR_ZMTP_INVALID_METADATA");
  });

  it("fails on any other command, and on a second READY", () => {
    const other = new NullMechanism(options("PUSH"));
    other.processCommand(encodeCommand("HELLO"));
    assert.ok(other.status.state === "error" && other.status.failure.kind === "protocol");
    assert.equal(other.status.failure.code, "ERR_ZMTP_UNEXPECTED_COMMAND");

    const twice = new NullMechanism(options("PUSH"));
    twice.processCommand(encodeReady([["Socket-Type", "PULL"]]));
    twice.processCommand(encodeReady([["Socket-Type", "PULL"]]));
    assert.ok(twice.status.state === "error" && twice.status.failure.kind === "protocol");
    assert.equal(twice.status.failure.code, "ERR_ZMTP_UNEXPECTED_COMMAND");
  });

  it("fails on a malformed command name", () => {
    const mechanism = new NullMechanism(options("PUSH"));
    mechanism.processCommand(Buffer.from([9, 0x52]));
    assert.ok(mechanism.status.state === "error" && mechanism.status.failure.kind === "protocol");
    assert.equal(mechanism.status.failure.code, "ERR_ZMTP_MALFORMED_COMMAND_UNSPECIFIED");
  });

  it("announces as-server 0 and sends nothing after an error", () => {
    const mechanism = new NullMechanism({ ...options("PUSH"), asServer: true });
    assert.equal(mechanism.asServer, false);
    mechanism.processCommand(encodeCommand("HELLO"));
    assert.equal(mechanism.nextCommand(), undefined);
  });
});
