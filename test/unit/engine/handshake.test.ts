import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Handshake } from "../../../src/engine/handshake";
import { encodeReady } from "../../../src/zmtp/commands";
import { encodeGreeting } from "../../../src/zmtp/greeting";
import { engineOptions } from "./harness";

describe("Handshake", () => {
  it("sends a NULL greeting by default", () => {
    const greeting = new Handshake(engineOptions()).greeting();
    assert.equal(greeting.toString("latin1", 12, 16), "NULL");
  });

  it("returns the bytes that follow the peer's greeting", () => {
    const handshake = new Handshake(engineOptions());
    const step = handshake.readGreeting(Buffer.concat([encodeGreeting("NULL", false), Buffer.from([4, 1, 2])]));
    assert.equal(step.status, "greeted");
    if (step.status === "greeted") assert.deepEqual(step.rest, Buffer.from([4, 1, 2]));
  });

  it("refuses a peer with another mechanism (RFC 37: MUST close the connection)", () => {
    const step = new Handshake(engineOptions()).readGreeting(encodeGreeting("PLAIN", false));
    assert.ok(step.status === "failed" && step.error.code === "ERR_ZMTP_MECHANISM_MISMATCH");
    assert.equal(step.status === "failed" && step.error.handshake, true);
  });

  it("completes with the peer's info when its Socket-Type is compatible", () => {
    const handshake = new Handshake(engineOptions({ socketType: "ROUTER" }));
    handshake.readGreeting(encodeGreeting("NULL", false));
    assert.equal(handshake.outgoing().length, 1);
    const step = handshake.command(encodeReady([["Socket-Type", "DEALER"], ["Identity", Buffer.from("id")]]));
    assert.equal(step.status, "done");
    if (step.status !== "done") return;
    assert.equal(step.peer.socketType, "DEALER");
    assert.deepEqual(step.peer.identity, Buffer.from("id"));
    assert.equal(step.peer.endpoint, "tcp://127.0.0.1:5555");
    assert.equal(handshake.outgoing().length, 0);
  });

  it("answers an incompatible Socket-Type with an ERROR and fails", () => {
    const handshake = new Handshake(engineOptions({ socketType: "PUSH" }));
    handshake.readGreeting(encodeGreeting("NULL", false));
    handshake.outgoing();
    const step = handshake.command(encodeReady([["Socket-Type", "PUSH"]]));
    assert.equal(step.status, "failed");
    if (step.status !== "failed") return;
    assert.equal(step.error.code, "ERR_ZMTP_INVALID_METADATA");
    assert.equal(step.farewell?.toString("latin1", 0, 6), "\x05ERROR");
  });

  it("refuses a peer that announces no Socket-Type", () => {
    const handshake = new Handshake(engineOptions());
    handshake.readGreeting(encodeGreeting("NULL", false));
    handshake.outgoing();
    const step = handshake.command(encodeReady([]));
    assert.ok(step.status === "failed" && step.error.code === "ERR_ZMTP_INVALID_METADATA");
  });

  it("reports a mechanism failure as an EngineError", () => {
    const handshake = new Handshake(engineOptions());
    handshake.readGreeting(encodeGreeting("NULL", false));
    const step = handshake.command(Buffer.from([5, 0x48, 0x45, 0x4c, 0x4c, 0x4f]));
    assert.ok(step.status === "failed" && step.error.kind === "protocol" && step.error.code === "ERR_ZMTP_UNEXPECTED_COMMAND");
  });
});
