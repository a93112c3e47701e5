import { test } from "node:test";
import assert from "node:assert/strict";
import { Peer } from "../../../src/pipe/peer";
import { Pipe } from "../../../src/pipe/pipe";
import { UpstreamSubscriptions } from "../../../src/routing/upstream-subscriptions";
import { makePeer } from "./make-peer";

const b = (text: string): Buffer => Buffer.from(text, "latin1");

/** What the peer's outbound pipe holds, as "+topic" / "-topic" (empties it). */
function sent(peer: Peer): string[] {
  const out: string[] = [];
  for (let m = peer.outbound.read(); m !== undefined; m = peer.outbound.read()) {
    const frame = m[0] as Buffer;
    out.push((frame[0] === 1 ? "+" : "-") + frame.subarray(1).toString("latin1"));
  }
  return out;
}

/** A peer attached at connect time, before its handshake (a connecting session's). */
function unidentifiedPeer(hwm = 0): Peer {
  return new Peer(new Pipe(hwm), new Pipe(hwm), { socketType: "", identity: Buffer.alloc(0), metadata: new Map(), endpoint: "test://x" });
}

test("every subscribe goes upstream, repeats too; a cancel only when the last reference goes", () => {
  const subs = new UpstreamSubscriptions();
  const peer = makePeer("p");
  subs.attach(peer);
  subs.subscribe(b("a"));
  subs.subscribe(b("a"));
  assert.equal(subs.unsubscribe(b("a")), false);
  assert.equal(subs.unsubscribe(b("never")), false);
  assert.deepEqual(sent(peer), ["+a", "+a"]);
  assert.equal(subs.unsubscribe(b("a")), true);
  assert.deepEqual(sent(peer), ["-a"]);
  assert.equal(subs.size, 0);
});

test("a new peer gets every subscription, in byte order (a prefix before its extensions)", () => {
  const subs = new UpstreamSubscriptions();
  for (const topic of ["b", "ab", "a", "", "B"]) subs.subscribe(b(topic));
  const peer = makePeer("p");
  subs.attach(peer);
  assert.deepEqual(sent(peer), ["+", "+B", "+a", "+ab", "+b"]);
  assert.equal(subs.matches(b("anything")), true, "the empty prefix matches everything");
});

test("a peer attached before its handshake: nothing more at the first identification, everything again at each reconnect", () => {
  const subs = new UpstreamSubscriptions();
  subs.subscribe(b("x"));
  const peer = unidentifiedPeer();
  subs.attach(peer);
  assert.deepEqual(sent(peer), ["+x"]);
  subs.identified(peer); // first handshake: the pipe already carries them
  assert.deepEqual(sent(peer), []);
  subs.subscribe(b("y"));
  subs.identified(peer); // a reconnect: the publisher at the other end knows nothing
  assert.deepEqual(sent(peer), ["+y", "+x", "+y"]);
});

test("10 000 subscriptions in one go: what a full pipe refuses waits, and none is lost or sent twice", () => {
  const subs = new UpstreamSubscriptions();
  const peer = makePeer("p", 1000);
  subs.attach(peer);
  const n = 10000;
  for (let i = 0; i < n; i++) subs.subscribe(b(`topic/${i}`));
  assert.equal(subs.size, n);
  assert.ok(subs.nodeCount <= 2 * n + 1, `${subs.nodeCount} nodes for ${n} prefixes`);
  assert.equal(peer.outbound.length, 1000);
  assert.equal(subs.backlogOf(peer), n - 1000);

  const got: string[] = [];
  let rounds = 0;
  peer.outbound.onWritable = () => subs.drained(peer);
  while (got.length < n) {
    for (let m = peer.outbound.read(); m !== undefined; m = peer.outbound.read()) got.push((m[0] as Buffer).subarray(1).toString());
    rounds++;
  }
  assert.ok(rounds < 100);
  assert.deepEqual(got, Array.from({ length: n }, (_, i) => `topic/${i}`));
  assert.equal(subs.backlogOf(peer), 0);

  for (let i = 0; i < n; i++) subs.unsubscribe(b(`topic/${i}`));
  assert.equal(subs.size, 0);
  assert.equal(subs.nodeCount, 1, "removed prefixes free their nodes");
});

test("while a backlog waits, the latest change of a prefix replaces the earlier one and goes last", () => {
  const subs = new UpstreamSubscriptions();
  const peer = makePeer("p", 1);
  subs.attach(peer);
  subs.subscribe(b("first")); // fills the pipe
  subs.subscribe(b("a"));
  subs.subscribe(b("b"));
  subs.unsubscribe(b("a"));
  assert.equal(subs.backlogOf(peer), 2);
  assert.deepEqual(sent(peer), ["+first"]);
  subs.drained(peer);
  assert.deepEqual(sent(peer), ["+b"]);
  subs.drained(peer);
  assert.deepEqual(sent(peer), ["-a"]);
  subs.detach(peer);
  assert.equal(subs.backlogOf(peer), 0);
});
