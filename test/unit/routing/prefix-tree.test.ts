import { test } from "node:test";
import assert from "node:assert/strict";
import { PrefixTree } from "../../../src/routing/prefix-tree";

const b = (text: string): Buffer => Buffer.from(text, "latin1");

function entries<V>(tree: PrefixTree<V>): [string, V][] {
  const out: [string, V][] = [];
  tree.forEach((key, value) => out.push([key.toString("latin1"), value]));
  return out.sort((x, y) => (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0));
}

test("get / set / delete, with keys that split and share edges", () => {
  const tree = new PrefixTree<number>();
  tree.set(b("romane"), 1);
  tree.set(b("romanus"), 2);
  tree.set(b("romulus"), 3);
  tree.set(b("rom"), 4);
  tree.set(b("r"), 5);
  assert.equal(tree.size, 5);
  assert.equal(tree.get(b("romane")), 1);
  assert.equal(tree.get(b("roman")), undefined, "a fork is not a key");
  assert.equal(tree.get(b("romanes")), undefined);
  assert.equal(tree.get(b("rom")), 4);
  tree.set(b("rom"), 40);
  assert.equal(tree.get(b("rom")), 40);
  assert.equal(tree.size, 5);
  assert.equal(tree.delete(b("roman")), false);
  assert.equal(tree.delete(b("romanus")), true);
  assert.equal(tree.delete(b("romanus")), false);
  assert.deepEqual(entries(tree), [["r", 5], ["rom", 40], ["romane", 1], ["romulus", 3]]);
});

test("node count: at most two per key, and merges restore it after deletes", () => {
  const tree = new PrefixTree<number>();
  tree.set(b("abcd"), 1);
  assert.equal(tree.nodeCount, 2); // root + one edge "abcd"
  tree.set(b("abxy"), 2);
  assert.equal(tree.nodeCount, 4); // fork "ab" + two leaves
  tree.delete(b("abxy"));
  assert.equal(tree.nodeCount, 2, "the fork merged back into one edge");
  assert.equal(tree.get(b("abcd")), 1);
  tree.set(b("ab"), 3);
  tree.delete(b("abcd"));
  assert.equal(tree.nodeCount, 2);
  assert.deepEqual(entries(tree), [["ab", 3]]);
  tree.delete(b("ab"));
  assert.equal(tree.nodeCount, 1);
});

test("the empty key lives on the root", () => {
  const tree = new PrefixTree<string>();
  tree.set(b(""), "root");
  tree.set(b("a"), "a");
  assert.equal(tree.get(b("")), "root");
  assert.equal(tree.hasPrefixOf(b("zzz")), true);
  assert.equal(tree.delete(b("")), true);
  assert.equal(tree.hasPrefixOf(b("zzz")), false);
  assert.equal(tree.hasPrefixOf(b("a")), true);
});

test("prefixesOf: the values of the keys that are prefixes of the data, shortest first", () => {
  const tree = new PrefixTree<string>();
  for (const key of ["", "a", "abc", "abd", "abcde", "b"]) tree.set(b(key), key || "<empty>");
  const out: string[] = [];
  assert.equal(tree.prefixesOf(b("abcdef"), out), 4);
  assert.deepEqual(out, ["<empty>", "a", "abc", "abcde"]);
  assert.equal(tree.prefixesOf(b("ab"), out), 2);
  assert.deepEqual(out.slice(0, 2), ["<empty>", "a"]);
});

test("deleteWhere: deletes the chosen keys, prunes, then reports them", () => {
  const tree = new PrefixTree<number>();
  for (let i = 0; i < 200; i++) tree.set(b(i.toString(2)), i);
  const deleted: string[] = [];
  tree.deleteWhere((v) => v % 3 !== 0, (key) => deleted.push(key.toString("latin1")));
  assert.equal(deleted.length, 200 - 67);
  assert.equal(tree.size, 67);
  for (let i = 0; i < 200; i++) assert.equal(tree.get(b(i.toString(2))), i % 3 === 0 ? i : undefined);
  assert.ok(tree.nodeCount <= 2 * tree.size + 1);
  tree.deleteWhere(() => true);
  assert.equal(tree.size, 0);
  assert.equal(tree.nodeCount, 1);
});

test("very deep trees are walked without recursion", () => {
  // Every key extends the previous by one byte: a chain 10 000 nodes deep.
  const tree = new PrefixTree<number>();
  const long = Buffer.alloc(10_000, 0x61);
  for (let i = 1; i <= long.length; i++) tree.set(long.subarray(0, i), i);
  assert.equal(tree.nodeCount, long.length + 1);
  let seen = 0;
  tree.forEach((key, value) => {
    assert.equal(key.length, value);
    seen++;
  });
  assert.equal(seen, long.length);
  const out: number[] = [];
  assert.equal(tree.prefixesOf(long, out), long.length);
  tree.deleteWhere((v) => v % 2 === 0);
  assert.equal(tree.size, long.length / 2);
  tree.deleteWhere(() => true);
  assert.equal(tree.nodeCount, 1);
});
