import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  encodeCancel, encodeCommand, encodeError, encodePing, encodePong, encodeReady, encodeSubscribe,
  parseError, parsePing, splitCommand, type RawCommand,
} from "../../../src/zmtp/commands";
import { ProtocolError } from "../../../src/zmtp/protocol-error";

function split(body: Buffer): RawCommand {
  const command = splitCommand(body);
  if (command instanceof ProtocolError) throw command;
  return command;
}

describe("commands", () => {
  it("encodes and splits a command name and data", () => {
    const body = encodeCommand("HELLO", Buffer.from([1, 2]));
    assert.deepEqual(body, Buffer.from([5, 0x48, 0x45, 0x4c, 0x4c, 0x4f, 1, 2]));
    const command = split(body);
    assert.equal(command.name, "HELLO");
    assert.deepEqual(command.data, Buffer.from([1, 2]));
  });

  it("refuses a command name that overruns the body, or is empty", () => {
    for (const body of [Buffer.alloc(0), Buffer.from([0]), Buffer.from([5, 0x52])]) {
      const result = splitCommand(body);
      assert.ok(result instanceof ProtocolError);
      assert.equal(result.code, "ERR_ZMTP_MALFORMED_COMMAND_UNSPECIFIED");
    }
  });

  it("encodes READY as %d5 READY + metadata (RFC 37 worked example)", () => {
    const body = encodeReady([["Socket-Type", "ROUTER"]]);
    assert.equal(body.length, 28);
    assert.equal(body.toString("latin1", 0, 6), "\x05READY");
  });

  it("round-trips ERROR reasons and cuts them at 255 octets", () => {
    assert.equal(parseError(split(encodeError("bad")).data), "bad");
    assert.equal(parseError(split(encodeError("x".repeat(300))).data), "x".repeat(255));
  });

  it("refuses an ERROR reason that overruns the command", () => {
    const result = parseError(Buffer.from([10, 0x41]));
    assert.ok(result instanceof ProtocolError && result.code === "ERR_ZMTP_MALFORMED_COMMAND_ERROR");
    assert.ok(parseError(Buffer.alloc(0)) instanceof ProtocolError);
  });

  it("encodes SUBSCRIBE and CANCEL with the topic as data (RFC 37)", () => {
    const sub = split(encodeSubscribe(Buffer.from("topic")));
    assert.equal(sub.name, "SUBSCRIBE");
    assert.equal(sub.data.toString(), "topic");
    const cancel = split(encodeCancel(Buffer.alloc(0)));
    assert.equal(cancel.name, "CANCEL");
    assert.equal(cancel.data.length, 0);
  });

  it("round-trips PING with its TTL in deciseconds and context", () => {
    const ping = split(encodePing(600, Buffer.from("ctx")));
    assert.equal(ping.name, "PING");
    const parsed = parsePing(ping.data);
    assert.ok(!(parsed instanceof ProtocolError));
    assert.equal(parsed.ttl, 600);
    assert.equal(parsed.context.toString(), "ctx");
  });

  it("clamps the PING TTL to 16 bits and refuses a context over 16 octets", () => {
    const parsed = parsePing(split(encodePing(1e9)).data);
    assert.ok(!(parsed instanceof ProtocolError) && parsed.ttl === 0xffff);
    assert.throws(() => encodePing(0, Buffer.alloc(17)), RangeError);
  });

  it("cuts an over-long received PING context to 16 octets, as libzmq does", () => {
    const parsed = parsePing(Buffer.concat([Buffer.from([0, 1]), Buffer.alloc(40, 7)]));
    assert.ok(!(parsed instanceof ProtocolError) && parsed.context.length === 16);
  });

  it("refuses a PING without its TTL", () => {
    assert.ok(parsePing(Buffer.from([1])) instanceof ProtocolError);
  });

  it("echoes the context in PONG", () => {
    const pong = split(encodePong(Buffer.from("abc")));
    assert.equal(pong.name, "PONG");
    assert.equal(pong.data.toString(), "abc");
  });
});
