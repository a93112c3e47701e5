import { test } from "node:test";
import assert from "node:assert/strict";
import type { Peer } from "../../../src/pipe/peer";
import { FairQueue } from "../../../src/routing/fair-queue";
import { makePeer, msg, nameOf, seededRandom } from "./make-peer";

/** A fair queue with peers attached and wired as the socket wires them (onReadable → activate). */
function setup(names: string[], hwm = 0): { fq: FairQueue; peers: Peer[] } {
  const fq = new FairQueue();
  const peers = names.map((name) => makePeer(name, hwm));
  for (const peer of peers) {
    peer.inbound.onReadable = () => fq.activate(peer);
    fq.attach(peer);
  }
  return { fq, peers };
}

/** Receives until nothing is left; returns "peer:text" for each message. */
function receiveAll(fq: FairQueue): string[] {
  const got: string[] = [];
  for (let m = fq.receive(); m !== undefined; m = fq.receive()) {
    got.push(`${nameOf(fq.lastPeer)}:${(m[0] as Buffer).toString()}`);
  }
  return got;
}

test("one message from each peer in turn, skipping peers with nothing queued", () => {
  const { fq, peers } = setup(["a", "b", "c"]);
  for (const text of ["a1", "a2", "a3"]) peers[0]!.inbound.write(msg(text));
  peers[1]!.inbound.write(msg("b1"));
  for (const text of ["c1", "c2"]) peers[2]!.inbound.write(msg(text));
  assert.deepEqual(receiveAll(fq), ["a:a1", "b:b1", "c:c1", "a:a2", "c:c2", "a:a3"]);
});

test("lastPeer names the peer of each message, the message is the queued object", () => {
  const { fq, peers } = setup(["a", "b"]);
  const message = [Buffer.from("id"), Buffer.from("body")];
  peers[1]!.inbound.write(message);
  assert.equal(fq.receive(), message);
  assert.equal(fq.lastPeer, peers[1]);
});

test("nothing queued: receive returns undefined, canReceive is false", () => {
  const { fq } = setup(["a", "b"]);
  assert.equal(fq.receive(), undefined);
  assert.equal(fq.canReceive, false);
  assert.equal(new FairQueue().receive(), undefined);
});

test("an empty peer leaves the rotation and comes back with the activate its next write causes", () => {
  const fq = new FairQueue(); // not wired: activations are explicit here
  const a = makePeer("a");
  const b = makePeer("b");
  fq.attach(a);
  fq.attach(b);
  b.inbound.write(msg("b1"));
  assert.deepEqual(receiveAll(fq), ["b:b1"]); // a was found empty
  let signalled = false;
  a.inbound.onReadable = () => (signalled = true);
  a.inbound.write(msg("a1"));
  assert.equal(signalled, true, "the empty read armed a's pipe");
  assert.equal(fq.receive(), undefined, "a stays out until activated");
  fq.activate(a);
  assert.deepEqual(receiveAll(fq), ["a:a1"]);
});

test("canReceive: true without consuming or moving the rotation; false arms every empty pipe", () => {
  const { fq, peers } = setup(["a", "b", "c"]);
  peers[1]!.inbound.write(msg("b1"));
  peers[2]!.inbound.write(msg("c1"));
  assert.equal(fq.canReceive, true);
  assert.equal(fq.canReceive, true);
  assert.deepEqual(receiveAll(fq), ["b:b1", "c:c1"]);
  assert.equal(fq.canReceive, false);
  peers[0]!.inbound.write(msg("a1")); // onReadable → activate
  assert.equal(fq.canReceive, true);
  assert.deepEqual(receiveAll(fq), ["a:a1"]);
});

test("a re-activated peer queues behind the peers already waiting", () => {
  const { fq, peers } = setup(["a", "b", "c"]);
  peers[1]!.inbound.write(msg("b1"));
  peers[1]!.inbound.write(msg("b2"));
  peers[2]!.inbound.write(msg("c1"));
  peers[2]!.inbound.write(msg("c2"));
  assert.equal(fq.receive()?.[0]?.toString(), "b1"); // a found empty on the way
  peers[0]!.inbound.write(msg("a1"));
  assert.deepEqual(receiveAll(fq), ["c:c1", "b:b2", "a:a1", "c:c2"]);
});

test("detach: no more messages from that peer, nor lastPeer pointing at it", () => {
  const { fq, peers } = setup(["a", "b", "c"]);
  for (const peer of peers) {
    peer.inbound.write(msg("1"));
    peer.inbound.write(msg("2"));
  }
  assert.equal(fq.receive()?.[0]?.toString(), "1");
  assert.equal(fq.lastPeer, peers[0]);
  fq.detach(peers[0]!);
  assert.equal(fq.lastPeer, undefined);
  fq.detach(peers[1]!);
  fq.detach(peers[1]!); // twice is harmless
  assert.equal(fq.size, 1);
  assert.deepEqual(receiveAll(fq), ["c:1", "c:2"]);
  assert.equal(peers[0]!.inbound.length, 1, "the detached peer's backlog is left to the socket");
});

test("attach twice is once, activate of an active or unknown peer changes nothing", () => {
  const { fq, peers } = setup(["a", "b"]);
  fq.attach(peers[0]!);
  fq.activate(peers[1]!);
  fq.activate(makePeer("stranger"));
  assert.equal(fq.size, 2);
  for (const peer of peers) for (const text of ["1", "2"]) peer.inbound.write(msg(text));
  assert.deepEqual(receiveAll(fq), ["a:1", "b:1", "a:2", "b:2"]);
});

test("10 000 idle peers cost one read each when they run dry, then nothing per message", () => {
  const fq = new FairQueue();
  let idleReads = 0;
  for (let i = 0; i < 10_000; i++) {
    const peer = makePeer(`idle${i}`);
    const read = peer.inbound.read.bind(peer.inbound);
    peer.inbound.read = () => {
      idleReads++;
      return read();
    };
    peer.inbound.onReadable = () => fq.activate(peer);
    fq.attach(peer);
  }
  const busy = makePeer("busy");
  busy.inbound.onReadable = () => fq.activate(busy);
  fq.attach(busy);
  busy.inbound.write(msg("first"));
  assert.deepEqual(receiveAll(fq), ["busy:first"]);
  assert.equal(idleReads, 10_000);
  for (let i = 0; i < 1000; i++) {
    busy.inbound.write(msg(`m${i}`));
    assert.equal(fq.receive()?.[0]?.toString(), `m${i}`);
  }
  assert.equal(fq.receive(), undefined);
  assert.equal(idleReads, 10_000, "no idle peer was looked at again");
});

test("fairness under random traffic: each peer's messages arrive in order, turns are strict", () => {
  const { fq, peers } = setup(["a", "b", "c", "d"]);
  const random = seededRandom(11);
  const sent = new Map<string, number>(peers.map((p) => [nameOf(p)!, 0]));
  const received = new Map<string, number>(peers.map((p) => [nameOf(p)!, 0]));
  for (let step = 0; step < 20_000; step++) {
    if (random() < 0.5) {
      const peer = peers[Math.floor(random() * peers.length)]!;
      const name = nameOf(peer)!;
      peer.inbound.write(msg(String(sent.get(name))));
      sent.set(name, sent.get(name)! + 1);
      continue;
    }
    // Every peer with messages queued must be served before any peer is served twice.
    const waiting = peers.filter((p) => p.inbound.length > 0).length;
    const turns: string[] = [];
    for (let i = 0; i < waiting; i++) {
      const m = fq.receive();
      assert.ok(m !== undefined);
      const name = nameOf(fq.lastPeer)!;
      assert.equal((m[0] as Buffer).toString(), String(received.get(name)), "per-peer order");
      received.set(name, received.get(name)! + 1);
      turns.push(name);
    }
    assert.equal(new Set(turns).size, turns.length, `a peer was served twice: ${turns}`);
  }
});
