import { test } from "node:test";
import assert from "node:assert/strict";
import { RoutingTable } from "../../../src/routing/routing-table";
import { makePeer, nameOf, seededRandom } from "./make-peer";

/** A `random` for the table that returns these values in turn: the hash seed, then the first id. */
function values(...list: number[]): () => number {
  return () => list.shift() ?? 0;
}

test("generateId: 0x00 then a big-endian 32-bit counter from the random start", () => {
  const table = new RoutingTable(values(1, 0x12345678));
  assert.deepEqual(table.generateId(), Buffer.from([0x00, 0x12, 0x34, 0x56, 0x78]));
  assert.deepEqual(table.generateId(), Buffer.from([0x00, 0x12, 0x34, 0x56, 0x79]));
});

test("generateId: the counter wraps at 2^32", () => {
  const table = new RoutingTable(values(1, 0xffffffff));
  assert.deepEqual(table.generateId(), Buffer.from([0, 0xff, 0xff, 0xff, 0xff]));
  assert.deepEqual(table.generateId(), Buffer.from([0, 0, 0, 0, 0]));
});

test("generateId: 5 bytes, first 0x00, with the default random source", () => {
  const id = new RoutingTable().generateId();
  assert.equal(id.length, 5);
  assert.equal(id[0], 0);
});

test("generateId skips ids in use (a user id may start with 0x00 since libzmq 4.2)", () => {
  const table = new RoutingTable(values(1, 5));
  assert.equal(table.add(Buffer.from([0, 0, 0, 0, 5]), makePeer("user")), true);
  assert.deepEqual(table.generateId(), Buffer.from([0, 0, 0, 0, 6]));
});

test("add / get / has / idOf / remove", () => {
  const table = new RoutingTable();
  const a = makePeer("a");
  const b = makePeer("b");
  assert.equal(table.add(Buffer.from("alpha"), a), true);
  assert.equal(table.add(table.generateId(), b), true);
  assert.equal(table.size, 2);
  assert.equal(table.get(Buffer.from("alpha")), a);
  assert.equal(table.has(Buffer.from("alpha")), true);
  assert.equal(table.has(Buffer.from("alph")), false);
  assert.equal(table.get(Buffer.from("alphab")), undefined);
  assert.equal(table.get(Buffer.alloc(0)), undefined);
  assert.deepEqual(table.idOf(a), Buffer.from("alpha"));
  assert.equal(table.get(table.idOf(b)!), b);
  assert.equal(table.remove(a), true);
  assert.equal(table.remove(a), false);
  assert.equal(table.get(Buffer.from("alpha")), undefined);
  assert.equal(table.idOf(a), undefined);
  assert.equal(table.size, 1);
});

test("add sets peer.routingId to the table's own copy of the id", () => {
  const table = new RoutingTable();
  const chunk = Buffer.from("..peer-1..");
  const peer = makePeer("p");
  table.add(chunk.subarray(2, 8), peer);
  chunk.fill(0);
  assert.deepEqual(peer.routingId, Buffer.from("peer-1"));
  assert.equal(table.get(Buffer.from("peer-1")), peer);
  assert.equal(table.idOf(peer), peer.routingId);
});

test("a taken id is refused and the first peer keeps it; a peer has one id", () => {
  const table = new RoutingTable();
  const first = makePeer("first");
  const second = makePeer("second");
  assert.equal(table.add(Buffer.from("id"), first), true);
  assert.equal(table.add(Buffer.from("id"), second), false);
  assert.equal(table.get(Buffer.from("id")), first);
  assert.equal(second.routingId, undefined);
  assert.equal(table.add(Buffer.from("other"), first), false);
  assert.equal(table.has(Buffer.from("other")), false);
  // Handover is the socket's move: remove the old peer, add the new one.
  table.remove(first);
  assert.equal(table.add(Buffer.from("id"), second), true);
  assert.equal(table.get(Buffer.from("id")), second);
});

test("lookups take any byte view: a frame that is a slice of a bigger buffer", () => {
  const table = new RoutingTable();
  const peer = makePeer("p");
  table.add(Buffer.from([1, 2, 3]), peer);
  const frame = Buffer.from([9, 9, 1, 2, 3, 9]).subarray(2, 5);
  assert.equal(table.get(frame), peer);
  assert.equal(table.get(new Uint8Array([1, 2, 3])), peer);
});

test("ids that share a hash chain are told apart (seed 0 makes leading zeros collide)", () => {
  const table = new RoutingTable(values(0, 0));
  const ids = [[0], [0, 0], [0, 0, 0], [0, 0, 0, 0]].map((bytes) => Buffer.from(bytes));
  const peers = ids.map((_, i) => makePeer(`p${i}`));
  ids.forEach((id, i) => assert.equal(table.add(id, peers[i]!), true));
  ids.forEach((id, i) => assert.equal(table.get(id), peers[i]));
  for (const i of [1, 3, 0]) {
    table.remove(peers[i]!); // the middle, the head, the tail of the chain
    assert.equal(table.get(ids[i]!), undefined);
  }
  assert.equal(nameOf(table.get(ids[2]!)), "p2");
  assert.equal(table.size, 1);
});

test("10 000 random ids of 1–255 bytes: all found, removed ones gone, forEach sees the rest", () => {
  const random = seededRandom(5);
  const table = new RoutingTable();
  const byKey = new Map<string, ReturnType<typeof makePeer>>();
  while (byKey.size < 10_000) {
    const id = Buffer.alloc(1 + Math.floor(random() * (random() < 0.9 ? 8 : 255)));
    for (let i = 0; i < id.length; i++) id[i] = Math.floor(random() * 256);
    const key = id.toString("hex");
    if (byKey.has(key)) continue;
    const peer = makePeer(key);
    assert.equal(table.add(id, peer), true);
    byKey.set(key, peer);
  }
  let i = 0;
  for (const peer of byKey.values()) {
    if (i++ % 2 === 0) table.remove(peer);
  }
  i = 0;
  for (const [key, peer] of byKey) {
    assert.equal(table.get(Buffer.from(key, "hex")), i++ % 2 === 0 ? undefined : peer);
  }
  let seen = 0;
  table.forEach((peer, id) => {
    assert.equal(byKey.get(id.toString("hex")), peer);
    seen++;
  });
  assert.equal(seen, 5_000);
  assert.equal(table.size, 5_000);
});
