import { test } from "node:test";
import assert from "node:assert/strict";
import type { Peer } from "../../../src/pipe/peer";
import { LoadBalancer } from "../../../src/routing/load-balancer";
import { drainText, makePeer, msg, nameOf, seededRandom } from "./make-peer";

/** A balancer with peers attached and wired as the socket wires them (onWritable → activate). */
function setup(names: string[], hwm = 0): { lb: LoadBalancer; peers: Peer[] } {
  const lb = new LoadBalancer();
  const peers = names.map((name) => makePeer(name, hwm));
  for (const peer of peers) {
    peer.outbound.onWritable = () => lb.activate(peer);
    lb.attach(peer);
  }
  return { lb, peers };
}

/** Sends `count` messages numbered from `from`; returns the names of the peers that took them. */
function sendMany(lb: LoadBalancer, count: number, from = 0): string[] {
  const to: string[] = [];
  for (let i = 0; i < count; i++) {
    assert.equal(lb.send(msg(`m${from + i}`)), true);
    to.push(nameOf(lb.lastPeer) as string);
  }
  return to;
}

test("round-robin: each peer takes one message in turn", () => {
  const { lb, peers } = setup(["a", "b", "c"]);
  assert.deepEqual(sendMany(lb, 7), ["a", "b", "c", "a", "b", "c", "a"]);
  assert.deepEqual(drainText(peers[0]!.outbound), ["m0", "m3", "m6"]);
  assert.deepEqual(drainText(peers[1]!.outbound), ["m1", "m4"]);
  assert.deepEqual(drainText(peers[2]!.outbound), ["m2", "m5"]);
});

test("the whole message goes to one peer, the same object", () => {
  const { lb, peers } = setup(["a", "b"]);
  const message = [Buffer.from("x"), Buffer.from("y"), Buffer.from("z")];
  lb.send(message);
  assert.equal(peers[0]!.outbound.read(), message);
  assert.equal(peers[1]!.outbound.length, 0);
});

test("no peers: send returns false and canSend is false", () => {
  const lb = new LoadBalancer();
  assert.equal(lb.canSend, false);
  assert.equal(lb.send(msg("x")), false);
  assert.equal(lb.lastPeer, undefined);
});

test("a full peer is skipped, the others keep their turns", () => {
  const { lb, peers } = setup(["a", "b", "c"], 2);
  peers[1]!.outbound.write(msg("old1"));
  peers[1]!.outbound.write(msg("old2")); // b is full
  assert.deepEqual(sendMany(lb, 4), ["a", "c", "a", "c"]);
  assert.deepEqual(drainText(peers[0]!.outbound), ["m0", "m2"]);
  assert.deepEqual(drainText(peers[2]!.outbound), ["m1", "m3"]);
  assert.equal(peers[1]!.outbound.length, 2, "nothing was added to the full pipe");
});

test("every peer full: send returns false and queues nothing anywhere", () => {
  const { lb, peers } = setup(["a", "b"], 1);
  assert.deepEqual(sendMany(lb, 2), ["a", "b"]);
  assert.equal(lb.send(msg("late")), false);
  assert.equal(lb.canSend, false);
  assert.equal(peers[0]!.outbound.length, 1);
  assert.equal(peers[1]!.outbound.length, 1);
});

test("a peer that refused a write stays out until activate, then rejoins the rotation", () => {
  const lb = new LoadBalancer(); // not wired: activations are explicit here
  const a = makePeer("a", 1);
  const b = makePeer("b");
  lb.attach(a);
  lb.attach(b);
  assert.deepEqual(sendMany(lb, 3), ["a", "b", "b"]); // a refused m2
  a.outbound.read(); // a has room again, but nobody told the balancer
  assert.deepEqual(sendMany(lb, 2, 3), ["b", "b"]);
  lb.activate(a);
  assert.deepEqual(sendMany(lb, 2, 5), ["b", "a"]);
  assert.deepEqual(drainText(a.outbound), ["m6"]);
});

test("activate through the pipe signal: a drained peer is back in the rotation", () => {
  const { lb, peers } = setup(["a", "b"], 2);
  assert.deepEqual(sendMany(lb, 4), ["a", "b", "a", "b"]);
  assert.equal(lb.send(msg("refused")), false);
  drainText(peers[1]!.outbound); // b reaches its low-water mark: onWritable → activate
  assert.equal(lb.canSend, true);
  assert.deepEqual(sendMany(lb, 2, 4), ["b", "b"]);
  drainText(peers[0]!.outbound);
  assert.deepEqual(sendMany(lb, 2, 6), ["a", "a"]);
});

test("canSend false means an activate will follow, even for pipes filled by accepted writes", () => {
  // a and b filled up without a write ever being refused: only canSend learns they are full.
  const { lb, peers } = setup(["a", "b"], 1);
  let activations = 0;
  for (const peer of peers) {
    peer.outbound.onWritable = () => {
      activations++;
      lb.activate(peer);
    };
  }
  assert.deepEqual(sendMany(lb, 2), ["a", "b"]);
  assert.equal(lb.canSend, false);
  peers[0]!.outbound.read();
  assert.equal(activations, 1, "the drained pipe signalled its writer");
  assert.equal(lb.canSend, true);
  assert.deepEqual(sendMany(lb, 1, 2), ["a"]);
});

test("canSend is true when some peer has room, and does not send anything", () => {
  const { lb, peers } = setup(["a", "b"], 1);
  lb.send(msg("m0"));
  assert.equal(lb.canSend, true);
  assert.equal(peers[1]!.outbound.length, 0);
  assert.deepEqual(sendMany(lb, 1, 1), ["b"]);
});

test("attach adds a peer to the rotation, twice is once", () => {
  const { lb } = setup(["a", "b"]);
  assert.deepEqual(sendMany(lb, 1), ["a"]);
  const c = makePeer("c");
  lb.attach(c);
  lb.attach(c);
  assert.equal(lb.size, 3);
  // c joins behind everyone waiting for a turn: b is next, then a, then c.
  assert.deepEqual(sendMany(lb, 6, 1), ["b", "a", "c", "b", "a", "c"]);
});

test("activate of an active or unknown peer changes nothing", () => {
  const { lb, peers } = setup(["a", "b", "c"]);
  lb.activate(peers[0]!);
  lb.activate(peers[2]!);
  lb.activate(makePeer("stranger"));
  assert.deepEqual(sendMany(lb, 6), ["a", "b", "c", "a", "b", "c"]);
});

test("detach: the peer gets nothing more, the others keep rotating", () => {
  const { lb, peers } = setup(["a", "b", "c", "d"]);
  assert.deepEqual(sendMany(lb, 2), ["a", "b"]);
  lb.detach(peers[2]!); // c was next
  assert.equal(lb.size, 3);
  const to = sendMany(lb, 6, 2);
  assert.equal(to.includes("c"), false);
  assert.deepEqual(to.filter((n) => n === "a").length, 2);
  assert.deepEqual(to.filter((n) => n === "b").length, 2);
  assert.deepEqual(to.filter((n) => n === "d").length, 2);
  lb.detach(peers[2]!); // twice is harmless
  assert.equal(lb.size, 3);
});

test("detach of an inactive peer, and of the last peer that took a message", () => {
  const lb = new LoadBalancer();
  const a = makePeer("a", 1);
  const b = makePeer("b");
  lb.attach(a);
  lb.attach(b);
  sendMany(lb, 3); // a is now inactive (refused m2)
  lb.detach(a);
  assert.equal(nameOf(lb.lastPeer), "b");
  lb.detach(b);
  assert.equal(lb.lastPeer, undefined);
  assert.equal(lb.size, 0);
  assert.equal(lb.send(msg("x")), false);
});

test("fairness: peers that always have room are served in strict rotation, whatever the others do", () => {
  // u0..u2 never fill; l0..l2 fill, refuse, drain and come back at random. Between two
  // messages to one u, each other u gets exactly one: nobody with room is passed over.
  const lb = new LoadBalancer();
  const random = seededRandom(7);
  const names = ["u0", "l0", "u1", "l1", "u2", "l2"];
  const peers = names.map((name) => makePeer(name, name.startsWith("u") ? 0 : 1 + Math.floor(random() * 3)));
  for (const peer of peers) {
    peer.outbound.onWritable = () => lb.activate(peer);
    lb.attach(peer);
  }
  const limited = peers.filter((p) => nameOf(p)!.startsWith("l"));
  const toU: string[] = [];
  const counts = new Map<string, number>();
  for (let step = 0; step < 20_000; step++) {
    if (random() < 0.2) {
      drainText(limited[Math.floor(random() * limited.length)]!.outbound);
      continue;
    }
    assert.equal(lb.send(msg(`m${step}`)), true);
    const name = nameOf(lb.lastPeer)!;
    counts.set(name, (counts.get(name) ?? 0) + 1);
    if (name.startsWith("u")) toU.push(name);
  }
  for (let i = 3; i < toU.length; i++) {
    assert.deepEqual(new Set(toU.slice(i - 3, i)).size, 3, `rotation broken at ${i}: ${toU.slice(i - 3, i + 1)}`);
  }
  for (const name of names) assert.ok((counts.get(name) ?? 0) > 500, `${name} got ${counts.get(name)}`);
});

test("a peer whose pipe closed (it is leaving) is skipped, the message goes to the next", () => {
  const { lb, peers } = setup(["a", "b"]);
  peers[0]!.outbound.close();
  assert.equal(lb.canSend, true);
  assert.deepEqual(sendMany(lb, 3), ["b", "b", "b"]);
  peers[1]!.outbound.close();
  assert.equal(lb.send(msg("lost?")), false, "refused, not swallowed");
});
