import { test } from "node:test";
import assert from "node:assert/strict";
import { PeerArray } from "../../../src/routing/peer-array";
import { makePeer, nameOf } from "./make-peer";

const names = (array: PeerArray): string[] => array.toArray().map((p) => nameOf(p)!);

test("push, at, indexOf, has", () => {
  const array = new PeerArray();
  const [a, b] = [makePeer("a"), makePeer("b")];
  assert.equal(array.push(a), 0);
  assert.equal(array.push(b), 1);
  assert.equal(array.length, 2);
  assert.equal(array.at(1), b);
  assert.equal(array.indexOf(b), 1);
  assert.equal(array.indexOf(makePeer("c")), -1);
  assert.equal(array.has(a), true);
});

test("swap keeps every position known", () => {
  const array = new PeerArray();
  const peers = ["a", "b", "c", "d"].map((n) => makePeer(n));
  peers.forEach((p) => array.push(p));
  array.swap(0, 3);
  array.swap(1, 1);
  assert.deepEqual(names(array), ["d", "b", "c", "a"]);
  peers.forEach((p) => assert.equal(array.at(array.indexOf(p)), p));
});

test("pop removes the last peer and forgets its position", () => {
  const array = new PeerArray();
  const [a, b] = [makePeer("a"), makePeer("b")];
  array.push(a);
  array.push(b);
  array.pop();
  assert.equal(array.has(b), false);
  assert.equal(array.indexOf(b), -1);
  assert.deepEqual(names(array), ["a"]);
  array.pop();
  array.pop(); // empty: harmless
  assert.equal(array.length, 0);
});

test("toArray is a copy", () => {
  const array = new PeerArray();
  array.push(makePeer("a"));
  array.toArray().pop();
  assert.equal(array.length, 1);
});
