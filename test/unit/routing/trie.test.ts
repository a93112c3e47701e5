import { test } from "node:test";
import assert from "node:assert/strict";
import { Trie } from "../../../src/routing/trie";
import { seededRandom } from "./make-peer";

const b = (text: string): Buffer => Buffer.from(text, "latin1");

function prefixes(trie: Trie): string[] {
  const out: string[] = [];
  trie.forEach((prefix) => out.push(prefix.toString("latin1")));
  return out.sort();
}

test("add: true for a new prefix, false for another reference to it", () => {
  const trie = new Trie();
  assert.equal(trie.add(b("abc")), true);
  assert.equal(trie.add(b("abc")), false);
  assert.equal(trie.add(b("ab")), true);
  assert.equal(trie.size, 2);
});

test("remove: true only when the last reference goes; false when not subscribed", () => {
  const trie = new Trie();
  trie.add(b("abc"));
  trie.add(b("abc"));
  assert.equal(trie.remove(b("abc")), false);
  assert.equal(trie.matches(b("abcd")), true, "one reference is left");
  assert.equal(trie.remove(b("abc")), true);
  assert.equal(trie.matches(b("abcd")), false);
  assert.equal(trie.remove(b("abc")), false);
  assert.equal(trie.remove(b("ab")), false);
  assert.equal(trie.remove(b("")), false);
});

test("matches: some subscribed prefix is a prefix of the data", () => {
  const trie = new Trie();
  trie.add(b("news.sport"));
  trie.add(b("weather"));
  assert.equal(trie.matches(b("news.sport.football")), true);
  assert.equal(trie.matches(b("news.sport")), true);
  assert.equal(trie.matches(b("news.spor")), false);
  assert.equal(trie.matches(b("news.politics")), false);
  assert.equal(trie.matches(b("weathe")), false);
  assert.equal(trie.matches(b("weather!")), true);
  assert.equal(trie.matches(b("")), false);
  assert.equal(new Trie().matches(b("anything")), false);
});

test("the empty prefix matches everything, the empty message included", () => {
  const trie = new Trie();
  assert.equal(trie.add(b("")), true);
  assert.equal(trie.matches(b("")), true);
  assert.equal(trie.matches(b("x")), true);
  assert.deepEqual(prefixes(trie), [""]);
  assert.equal(trie.remove(b("")), true);
  assert.equal(trie.matches(b("x")), false);
});

test("bytes are bytes: 0x00 and 0xff, no text decoding", () => {
  const trie = new Trie();
  trie.add(Buffer.from([0x00, 0xff]));
  trie.add(Buffer.from([0xc3])); // half a UTF-8 sequence
  assert.equal(trie.matches(Buffer.from([0x00, 0xff, 0x00])), true);
  assert.equal(trie.matches(Buffer.from([0x00, 0xfe])), false);
  assert.equal(trie.matches(Buffer.from("é")), true); // 0xc3 0xa9
  assert.equal(trie.matches(new Uint8Array([0xc3])), true);
});

test("the trie keeps its own copy of a prefix, not the caller's buffer", () => {
  const trie = new Trie();
  const chunk = Buffer.from("xxtopicxx");
  trie.add(chunk.subarray(2, 7));
  chunk.fill(0);
  assert.equal(trie.matches(b("topic")), true);
  assert.deepEqual(prefixes(trie), ["topic"]);
});

test("forEach: each distinct prefix once, whatever its count", () => {
  const trie = new Trie();
  for (const p of ["a", "ab", "ab", "abc", "b", "", "ba"]) trie.add(b(p));
  assert.deepEqual(prefixes(trie), ["", "a", "ab", "abc", "b", "ba"]);
});

test("pruning: nodes are freed as prefixes go, down to the bare root", () => {
  const trie = new Trie();
  const all = ["abcdef", "abcxyz", "abc", "ab", "b", "abcdeg", ""];
  for (const p of all) trie.add(b(p));
  assert.ok(trie.nodeCount <= 2 * trie.size + 1, `${trie.nodeCount} nodes for ${trie.size} prefixes`);
  for (const p of all) {
    assert.equal(trie.remove(b(p)), true);
    assert.ok(trie.nodeCount <= 2 * trie.size + 1);
  }
  assert.equal(trie.nodeCount, 1);
  assert.equal(trie.size, 0);
});

test("100 000 random topics agree with a brute-force model", () => {
  const random = seededRandom(2024);
  const trie = new Trie();
  const model = new Map<string, number>();
  // Small alphabets give deep shared prefixes; the occasional long random topic gives wide nodes.
  const topic = (): string => {
    const wide = random() < 0.1;
    const length = Math.floor(random() * (wide ? 40 : 10));
    let s = "";
    for (let i = 0; i < length; i++) s += String.fromCharCode(Math.floor(random() * (wide ? 256 : 4)) + (wide ? 0 : 97));
    return s;
  };
  const matchesModel = (data: string): boolean => {
    for (let i = 0; i <= data.length; i++) if (model.has(data.slice(0, i))) return true;
    return false;
  };
  const topics: string[] = [];
  for (let i = 0; i < 100_000; i++) {
    const t = random() < 0.2 && topics.length > 0 ? topics[Math.floor(random() * topics.length)]! : topic();
    topics.push(t);
    assert.equal(trie.add(b(t)), !model.has(t));
    model.set(t, (model.get(t) ?? 0) + 1);
  }
  assert.equal(trie.size, model.size);
  for (let i = 0; i < 50_000; i++) {
    const t = topics[Math.floor(random() * topics.length)]!;
    const count = model.get(t) ?? 0;
    assert.equal(trie.remove(b(t)), count === 1);
    if (count === 1) model.delete(t);
    else if (count > 1) model.set(t, count - 1);
  }
  assert.equal(trie.size, model.size);
  assert.ok(trie.nodeCount <= 2 * trie.size + 1);
  for (let i = 0; i < 20_000; i++) {
    const base = random() < 0.5 ? topics[Math.floor(random() * topics.length)]! : "";
    const data = base.slice(0, Math.floor(random() * (base.length + 1))) + topic();
    assert.equal(trie.matches(b(data)), matchesModel(data), JSON.stringify(data));
  }
  const keys = [...model.keys()];
  for (let i = 0; i < 20; i++) {
    const data = topic() + topic();
    const scan = keys.some((k) => data.startsWith(k)); // a full scan: no shortcut at all
    assert.equal(trie.matches(b(data)), scan);
  }
  assert.deepEqual(prefixes(trie), keys.sort());
  for (const [t, count] of model) for (let i = 0; i < count; i++) assert.equal(trie.remove(b(t)), i === count - 1);
  assert.equal(trie.size, 0);
  assert.equal(trie.nodeCount, 1);
});
