import { test } from "node:test";
import assert from "node:assert/strict";
import type { Peer } from "../../../src/pipe/peer";
import { Distributor } from "../../../src/routing/distributor";
import { drainText, makePeer, msg } from "./make-peer";

/** A distributor with peers attached and wired as the socket wires them (onWritable → activate). */
function setup(hwms: number[]): { dist: Distributor; peers: Peer[] } {
  const dist = new Distributor();
  const peers = hwms.map((hwm, i) => makePeer(`p${i}`, hwm));
  for (const peer of peers) {
    peer.outbound.onWritable = () => dist.activate(peer);
    dist.attach(peer);
  }
  return { dist, peers };
}

test("sendToAll: every peer gets the very same Message object, frames uncopied", () => {
  const { dist, peers } = setup([0, 0, 0]);
  const message = [Buffer.from("topic"), Buffer.from("body")];
  dist.sendToAll(message);
  for (const peer of peers) assert.equal(peer.outbound.read(), message);
});

test("a full peer misses the message, the others get it, and nothing blocks", () => {
  const { dist, peers } = setup([0, 1, 0]);
  dist.sendToAll(msg("m0"));
  dist.sendToAll(msg("m1")); // p1 is full: dropped for p1 alone
  assert.deepEqual(drainText(peers[0]!.outbound), ["m0", "m1"]);
  assert.deepEqual(drainText(peers[2]!.outbound), ["m0", "m1"]);
  assert.deepEqual(drainText(peers[1]!.outbound), ["m0"]);
});

test("a peer that missed a message stays out until activate, then gets the next ones", () => {
  const dist = new Distributor(); // not wired: activations are explicit here
  const slow = makePeer("slow", 1);
  const fast = makePeer("fast");
  dist.attach(slow);
  dist.attach(fast);
  dist.sendToAll(msg("m0"));
  dist.sendToAll(msg("m1")); // slow full: inactive
  slow.outbound.read();
  dist.sendToAll(msg("m2")); // slow has room, but was not activated
  assert.equal(slow.outbound.length, 0);
  dist.activate(slow);
  dist.sendToAll(msg("m3"));
  assert.deepEqual(drainText(slow.outbound), ["m3"]);
  assert.deepEqual(drainText(fast.outbound), ["m0", "m1", "m2", "m3"]);
});

test("activation through the pipe signal: a drained peer receives again", () => {
  const { dist, peers } = setup([2, 0]);
  for (const text of ["m0", "m1", "m2"]) dist.sendToAll(msg(text)); // p0 refused m2
  assert.deepEqual(drainText(peers[0]!.outbound), ["m0", "m1"]); // onWritable → activate
  dist.sendToAll(msg("m3"));
  assert.deepEqual(drainText(peers[0]!.outbound), ["m3"]);
});

test("match / sendToMatching: only the marked receivers get the message", () => {
  const { dist, peers } = setup([0, 0, 0, 0]);
  dist.match(peers[1]!);
  dist.match(peers[3]!);
  dist.match(peers[3]!); // twice is once
  assert.equal(dist.matchingCount, 2);
  dist.sendToMatching(msg("m0"));
  assert.deepEqual(peers.map((p) => p.outbound.length), [0, 1, 0, 1]);
  assert.equal(dist.matchingCount, 2, "the receivers stay marked until unmatch");
  dist.unmatch();
  assert.equal(dist.matchingCount, 0);
  dist.sendToMatching(msg("m1")); // nobody marked: dropped
  assert.deepEqual(peers.map((p) => p.outbound.length), [0, 1, 0, 1]);
});

test("match ignores inactive and unknown peers", () => {
  const { dist, peers } = setup([1, 0]);
  dist.sendToAll(msg("m0"));
  dist.sendToAll(msg("m1")); // p0 inactive
  dist.unmatch();
  dist.match(peers[0]!);
  dist.match(makePeer("stranger"));
  assert.equal(dist.matchingCount, 0);
});

test("a full receiver is dropped from the matching set while the others still get the message", () => {
  const { dist, peers } = setup([1, 1, 0]);
  dist.sendToAll(msg("m0"));
  peers[2]!.outbound.read();
  dist.unmatch();
  for (const peer of peers) dist.match(peer);
  dist.sendToMatching(msg("m1")); // p0 and p1 full
  assert.equal(dist.matchingCount, 1);
  assert.deepEqual(drainText(peers[2]!.outbound), ["m1"]);
  assert.deepEqual(drainText(peers[0]!.outbound), ["m0"]);
});

test("reverseMatch: the active peers that were not receivers become the receivers", () => {
  const { dist, peers } = setup([0, 0, 0, 1]);
  dist.sendToAll(msg("m0"));
  dist.sendToAll(msg("m1")); // p3 inactive
  drainText(peers[0]!.outbound);
  drainText(peers[1]!.outbound);
  drainText(peers[2]!.outbound);
  dist.unmatch();
  dist.match(peers[1]!);
  dist.reverseMatch();
  assert.equal(dist.matchingCount, 2);
  dist.sendToMatching(msg("m2"));
  assert.deepEqual(peers.map((p) => p.outbound.length), [1, 0, 1, 1]);
});

test("noDrop: canSendToMatching is false while a receiver is full, and its pipe will signal", () => {
  const dist = new Distributor();
  dist.noDrop = true;
  const full = makePeer("full", 1);
  const idle = makePeer("idle", 1);
  let activations = 0;
  full.outbound.onWritable = () => {
    activations++;
    dist.activate(full);
  };
  dist.attach(full);
  dist.attach(idle);
  dist.match(full);
  dist.sendToMatching(msg("m0")); // accepted: full's pipe filled without a refusal
  assert.equal(dist.canSendToMatching, false);
  dist.unmatch();
  dist.match(idle);
  assert.equal(dist.canSendToMatching, true, "a full peer that is not a receiver does not matter");
  full.outbound.read();
  assert.equal(activations, 1, "the refused check armed the pipe");
  dist.unmatch();
  dist.match(full);
  assert.equal(dist.canSendToMatching, true);
  dist.sendToMatching(msg("m1"));
  assert.deepEqual(drainText(full.outbound), ["m1"]);
});

test("without noDrop, canSendToMatching is always true (PUB never blocks)", () => {
  const { dist, peers } = setup([1]);
  dist.sendToAll(msg("m0"));
  dist.match(peers[0]!);
  assert.equal(dist.canSendToMatching, true);
});

test("attach: a new peer is active but not a receiver of the current message", () => {
  const { dist, peers } = setup([0, 0]);
  dist.match(peers[0]!);
  const late = makePeer("late");
  dist.attach(late);
  dist.attach(late); // twice is once
  assert.equal(dist.size, 3);
  dist.sendToMatching(msg("m0"));
  assert.equal(late.outbound.length, 0);
  dist.sendToAll(msg("m1"));
  assert.deepEqual(drainText(late.outbound), ["m1"]);
});

test("detach from each range: receiver, active, inactive", () => {
  const { dist, peers } = setup([0, 0, 1, 0, 0]);
  dist.sendToAll(msg("m0"));
  dist.sendToAll(msg("m1")); // p2 inactive
  for (const peer of peers) drainText(peer.outbound);
  dist.unmatch();
  dist.match(peers[0]!);
  dist.match(peers[1]!);
  dist.detach(peers[0]!); // a receiver
  assert.equal(dist.matchingCount, 1);
  dist.detach(peers[3]!); // active, not a receiver
  dist.detach(peers[2]!); // inactive
  dist.detach(peers[2]!); // twice is harmless
  assert.equal(dist.size, 2);
  dist.sendToMatching(msg("m2"));
  assert.deepEqual(peers.map((p) => p.outbound.length), [0, 1, 0, 0, 0]);
  dist.sendToAll(msg("m3"));
  assert.deepEqual(peers.map((p) => p.outbound.length), [0, 2, 0, 0, 1]);
});

test("a closed pipe (its peer leaving) is skipped and does not hold up a noDrop send", () => {
  const { dist, peers } = setup([0, 0]);
  dist.noDrop = true;
  peers[0]!.outbound.close();
  dist.match(peers[0]!);
  dist.match(peers[1]!);
  assert.equal(dist.canSendToMatching, true);
  dist.sendToMatching(msg("m0"));
  assert.equal(dist.matchingCount, 1, "the closed peer went inactive");
  assert.deepEqual(drainText(peers[1]!.outbound), ["m0"]);
});
