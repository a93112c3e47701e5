import { test } from "node:test";
import assert from "node:assert/strict";
import { PeerRing } from "../../../src/routing/peer-ring";
import { makePeer, nameOf, seededRandom } from "./make-peer";

/** The next `count` turns, moving the cursor on after each. */
function turns(ring: PeerRing, count: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < count && ring.current !== undefined; i++) {
    out.push(nameOf(ring.current)!);
    ring.advance();
  }
  return out;
}

test("peers are served in the order they were added, round and round", () => {
  const ring = new PeerRing();
  for (const name of ["a", "b", "c"]) assert.equal(ring.add(makePeer(name)), true);
  assert.deepEqual(turns(ring, 7), ["a", "b", "c", "a", "b", "c", "a"]);
  assert.equal(ring.size, 3);
  assert.equal(ring.activeCount, 3);
});

test("empty ring: no current, advance and deactivate are harmless", () => {
  const ring = new PeerRing();
  assert.equal(ring.current, undefined);
  ring.advance();
  ring.deactivateCurrent();
  assert.equal(ring.activeCount, 0);
});

test("deactivateCurrent unlinks in place, the cursor moves to the next; activate rejoins behind the cursor", () => {
  const ring = new PeerRing();
  const [a, b, c, d] = ["a", "b", "c", "d"].map((n) => makePeer(n));
  for (const p of [a, b, c, d]) ring.add(p!);
  ring.advance(); // b's turn
  ring.deactivateCurrent();
  assert.equal(nameOf(ring.current), "c");
  assert.equal(ring.isActive(b!), false);
  assert.deepEqual(turns(ring, 3), ["c", "d", "a"]);
  ring.activate(b!); // cursor on c: b comes after c, d and a
  assert.deepEqual(turns(ring, 5), ["c", "d", "a", "b", "c"]);
  ring.activate(b!); // already active: nothing
  assert.equal(ring.activeCount, 4);
});

test("the last active peer deactivated leaves no current; activate brings it back", () => {
  const ring = new PeerRing();
  const a = makePeer("a");
  ring.add(a);
  ring.deactivateCurrent();
  assert.equal(ring.current, undefined);
  assert.equal(ring.size, 1);
  ring.activate(a);
  assert.equal(ring.current, a);
});

test("delete removes active and inactive peers; add of a present peer is refused", () => {
  const ring = new PeerRing();
  const [a, b, c] = ["a", "b", "c"].map((n) => makePeer(n));
  for (const p of [a, b, c]) ring.add(p!);
  assert.equal(ring.add(a!), false);
  ring.deactivateCurrent(); // a inactive, cursor on b
  assert.equal(ring.delete(a!), true);
  assert.equal(ring.delete(b!), true); // the current one
  assert.equal(nameOf(ring.current), "c");
  assert.equal(ring.delete(b!), false);
  assert.equal(ring.size, 1);
  ring.activate(a!); // no longer here: ignored
  assert.deepEqual(turns(ring, 2), ["c", "c"]);
});

test("random operations keep the ring consistent with a simple model", () => {
  const random = seededRandom(3);
  const ring = new PeerRing();
  const peers = Array.from({ length: 12 }, (_, i) => makePeer(`p${i}`));
  const active = new Set<string>();
  const present = new Set<string>();
  for (let step = 0; step < 20_000; step++) {
    const peer = peers[Math.floor(random() * peers.length)]!;
    const name = nameOf(peer)!;
    const r = random();
    if (r < 0.2) {
      assert.equal(ring.add(peer), !present.has(name));
      if (!present.has(name)) active.add(name);
      present.add(name);
    } else if (r < 0.3) {
      assert.equal(ring.delete(peer), present.has(name));
      present.delete(name);
      active.delete(name);
    } else if (r < 0.5) {
      ring.activate(peer);
      if (present.has(name)) active.add(name);
    } else if (r < 0.7) {
      if (ring.current !== undefined) active.delete(nameOf(ring.current)!);
      ring.deactivateCurrent();
    } else {
      ring.advance();
    }
    assert.equal(ring.size, present.size);
    assert.equal(ring.activeCount, active.size);
    assert.equal(ring.current === undefined, active.size === 0);
  }
  // A full turn of the ring visits every active peer exactly once.
  assert.deepEqual(new Set(turns(ring, active.size)), active);
});
