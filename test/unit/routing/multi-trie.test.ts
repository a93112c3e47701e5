import { test } from "node:test";
import assert from "node:assert/strict";
import { MultiTrie } from "../../../src/routing/multi-trie";
import { seededRandom } from "./make-peer";

const b = (text: string): Buffer => Buffer.from(text, "latin1");

function matched<T>(trie: MultiTrie<T>, data: string): T[] {
  const out: T[] = [];
  trie.match(b(data), (s) => out.push(s));
  return out;
}

test("add: true when the prefix had no subscriber; a subscriber is in a prefix once", () => {
  const trie = new MultiTrie<string>();
  assert.equal(trie.add(b("a"), "p1"), true);
  assert.equal(trie.add(b("a"), "p2"), false);
  assert.equal(trie.add(b("a"), "p1"), false);
  assert.equal(trie.has(b("a"), "p1"), true);
  assert.equal(trie.has(b("ab"), "p1"), false);
  assert.equal(trie.size, 1);
  assert.equal(trie.remove(b("a"), "p1"), false, "p2 is still subscribed");
  assert.equal(trie.has(b("a"), "p1"), false, "one unsubscribe undoes any number of subscribes");
});

test("remove: true when the prefix has no subscriber left, false when it was not subscribed", () => {
  const trie = new MultiTrie<string>();
  trie.add(b("a"), "p1");
  trie.add(b("a"), "p2");
  assert.equal(trie.remove(b("a"), "p3"), false);
  assert.equal(trie.remove(b("b"), "p1"), false);
  assert.equal(trie.remove(b("a"), "p1"), false);
  assert.equal(trie.remove(b("a"), "p2"), true);
  assert.equal(trie.remove(b("a"), "p2"), false);
  assert.equal(trie.size, 0);
  assert.equal(trie.nodeCount, 1);
});

test("match: every subscriber of every matching prefix, each called once", () => {
  const trie = new MultiTrie<string>();
  trie.add(b(""), "all");
  trie.add(b("a"), "p1");
  trie.add(b("ab"), "p1");
  trie.add(b("ab"), "p2");
  trie.add(b("abc"), "p3");
  trie.add(b("b"), "p4");
  assert.deepEqual(matched(trie, "abcd").sort(), ["all", "p1", "p2", "p3"]);
  assert.deepEqual(matched(trie, "ab").sort(), ["all", "p1", "p2"]);
  assert.deepEqual(matched(trie, "a").sort(), ["all", "p1"]);
  assert.deepEqual(matched(trie, "c"), ["all"]);
  trie.remove(b(""), "all");
  assert.deepEqual(matched(trie, "c"), []);
  assert.deepEqual(matched(trie, "ba"), ["p4"]);
});

test("match may be called again from inside its callback", () => {
  const trie = new MultiTrie<string>();
  trie.add(b("a"), "p1");
  trie.add(b("ab"), "p2");
  const outer: string[] = [];
  const inner: string[] = [];
  trie.match(b("abc"), (s) => {
    outer.push(s);
    trie.match(b("ab"), (t) => inner.push(t));
  });
  assert.deepEqual(outer.sort(), ["p1", "p2"]);
  assert.deepEqual(inner.sort(), ["p1", "p1", "p2", "p2"]);
  assert.deepEqual(matched(trie, "abc").sort(), ["p1", "p2"]);
});

test("removeSubscriber: gone everywhere; onPrefixGone for the prefixes nobody wants any more", () => {
  const trie = new MultiTrie<string>();
  trie.add(b("a"), "p1");
  trie.add(b("ab"), "p1");
  trie.add(b("ab"), "p2");
  trie.add(b("abc"), "p1");
  trie.add(b(""), "p1");
  trie.add(b("x"), "p2");
  const gone: string[] = [];
  trie.removeSubscriber("p1", (prefix) => gone.push(prefix.toString("latin1")));
  assert.deepEqual(gone.sort(), ["", "a", "abc"]);
  assert.deepEqual(matched(trie, "abcd"), ["p2"]);
  assert.equal(trie.size, 2);
  trie.removeSubscriber("p2");
  assert.equal(trie.size, 0);
  assert.equal(trie.nodeCount, 1, "every node was pruned");
  trie.removeSubscriber("nobody", () => assert.fail("nothing to remove"));
});

test("100 000 random topics and 50 subscribers agree with a brute-force model", () => {
  const random = seededRandom(99);
  const trie = new MultiTrie<number>();
  const model = new Map<string, Set<number>>();
  const topic = (): string => {
    const wide = random() < 0.1;
    const length = Math.floor(random() * (wide ? 30 : 9));
    let s = "";
    for (let i = 0; i < length; i++) s += String.fromCharCode(Math.floor(random() * (wide ? 256 : 4)) + (wide ? 0 : 97));
    return s;
  };
  const topics: string[] = [];
  for (let i = 0; i < 100_000; i++) {
    const t = random() < 0.3 && topics.length > 0 ? topics[Math.floor(random() * topics.length)]! : topic();
    const sub = Math.floor(random() * 50);
    topics.push(t);
    assert.equal(trie.add(b(t), sub), !model.has(t));
    if (!model.has(t)) model.set(t, new Set());
    model.get(t)!.add(sub);
  }
  for (let i = 0; i < 30_000; i++) {
    const t = topics[Math.floor(random() * topics.length)]!;
    const sub = Math.floor(random() * 50);
    const subs = model.get(t);
    const removed = subs?.delete(sub) ?? false;
    assert.equal(trie.remove(b(t), sub), removed && subs!.size === 0);
    if (subs?.size === 0) model.delete(t);
  }
  for (const sub of [7, 13, 42]) {
    const expected: string[] = [];
    for (const [t, subs] of model) if (subs.delete(sub) && subs.size === 0) expected.push(t);
    for (const t of expected) model.delete(t);
    const gone: string[] = [];
    trie.removeSubscriber(sub, (p) => gone.push(p.toString("latin1")));
    assert.deepEqual(gone.sort(), expected.sort());
  }
  assert.equal(trie.size, model.size);
  assert.ok(trie.nodeCount <= 2 * trie.size + 1);
  for (let i = 0; i < 10_000; i++) {
    const base = random() < 0.5 ? topics[Math.floor(random() * topics.length)]! : "";
    const data = base.slice(0, Math.floor(random() * (base.length + 1))) + topic();
    const expected = new Set<number>();
    for (let j = 0; j <= data.length; j++) for (const s of model.get(data.slice(0, j)) ?? []) expected.add(s);
    const got = matched(trie, data);
    assert.equal(got.length, new Set(got).size, "each subscriber at most once");
    assert.deepEqual(new Set(got), expected, JSON.stringify(data));
  }
  for (let sub = 0; sub < 50; sub++) trie.removeSubscriber(sub);
  assert.equal(trie.size, 0);
  assert.equal(trie.nodeCount, 1);
});

test("forEachPrefixOf: every prefix of one subscriber, shared or not", () => {
  const trie = new MultiTrie<string>();
  trie.add(b("a"), "p1");
  trie.add(b("ab"), "p1");
  trie.add(b("ab"), "p2");
  trie.add(b(""), "p1");
  trie.add(b("c"), "p2");
  const seen: string[] = [];
  trie.forEachPrefixOf("p1", (prefix) => seen.push(prefix.toString("latin1")));
  assert.deepEqual(seen.sort(), ["", "a", "ab"]);
  assert.equal(trie.size, 4, "nothing removed");
});
