import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { Engine } from "../../src/engine/engine";
import { Handshake } from "../../src/engine/handshake";
import { FrameDecoder } from "../../src/zmtp/decoder";
import { engineOptions, frame, holdLoop, peerHello, socketPair, StubHost } from "../unit/engine/harness";
import { Prng } from "./prng";

const SEED = 0xfeed;

/** A valid opening from a PULL peer: greeting, READY, then a few messages. */
function validOpening(prng: Prng): Buffer {
  const messages = Array.from({ length: prng.int(4) }, () => frame(prng.int(2), prng.bytes(prng.int(300))));
  return Buffer.concat([peerHello("PULL", prng.int(2)), ...messages, frame(0, "end")]);
}

function corrupt(prng: Prng, bytes: Buffer): Buffer {
  const out = Buffer.from(bytes);
  for (let i = 0, flips = 1 + prng.int(4); i < flips; i++) out[prng.int(Math.min(out.length, 140))] = prng.int(256);
  return out;
}

/** Drives the handshake without sockets, the way the engine does; returns how it ended. */
function runHandshake(pieces: Buffer[]): "done" | "failed" | "partial" {
  const handshake = new Handshake(engineOptions({ socketType: "PUSH" }));
  let outcome: "done" | "failed" | "partial" = "partial";
  let greeted = false;
  const decoder = new FrameDecoder({
    message: () => {
      if (outcome !== "done") outcome = "failed";
      return outcome === "done";
    },
    command: (body) => {
      if (outcome !== "partial") return outcome === "done";
      const step = handshake.command(body);
      handshake.outgoing();
      if (step.status === "done") outcome = "done";
      if (step.status === "failed") outcome = "failed";
      return outcome !== "failed";
    },
    error: () => (outcome = "failed"),
  });
  for (const piece of pieces) {
    if (outcome === "failed") break;
    if (greeted) {
      decoder.write(piece);
      continue;
    }
    const step = handshake.readGreeting(piece);
    if (step.status === "failed") outcome = "failed";
    if (step.status === "greeted") {
      greeted = true;
      handshake.outgoing();
      decoder.write(step.rest);
    }
  }
  return outcome;
}

describe("handshake fuzz", () => {
  let release: () => void;
  before(() => (release = holdLoop()));
  after(() => release());

  it("completes every valid opening in any split, and never throws on corrupted ones", () => {
    const prng = new Prng(SEED);
    for (let round = 0; round < 500; round++) {
      const opening = validOpening(prng);
      assert.equal(runHandshake(prng.split(opening, 1 + prng.int(100))), "done", `round ${round}`);
      const outcome = runHandshake(prng.split(corrupt(prng, opening), 1 + prng.int(100)));
      assert.ok(["done", "failed", "partial"].includes(outcome));
    }
  });

  it("closes an engine fed a corrupted opening exactly once, with no exception", async () => {
    const prng = new Prng(SEED + 1);
    for (let round = 0; round < 40; round++) {
      const pair = await socketPair();
      const host = new StubHost();
      const engine = new Engine(pair.ours, engineOptions({ socketType: "PUSH", maxMessageSize: 4096 }), host);
      engine.start();
      for (const piece of prng.split(corrupt(prng, validOpening(prng)), 1 + prng.int(64))) pair.theirs.write(piece);
      pair.theirs.end();
      await host.closed;
      assert.equal(host.closedCalls, 1, `round ${round}`);
      engine.destroy();
      assert.equal(host.closedCalls, 1);
      pair.close();
    }
  });
});
