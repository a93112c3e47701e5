import { test } from "node:test";
import assert from "node:assert/strict";
import { TopicDistributor } from "../../../src/routing/topic-distributor";
import { drainText, makePeer, msg } from "./make-peer";

const b = (text: string): Buffer => Buffer.from(text, "latin1");

test("a message goes to the peers subscribed to a prefix of its first frame, once each", () => {
  const topics = new TopicDistributor();
  const [p1, p2, p3] = [makePeer("1"), makePeer("2"), makePeer("3")];
  for (const p of [p1, p2, p3]) topics.attach(p);
  assert.equal(topics.subscribe(b("a"), p1), true);
  assert.equal(topics.subscribe(b("ab"), p1), true);
  assert.equal(topics.subscribe(b("a"), p2), false, "not the first subscriber of 'a'");
  assert.equal(topics.send([b("abc"), b("more")], false, false), true);
  assert.equal(topics.send(msg("b"), false, false), true);
  assert.deepEqual(drainText(p1.outbound), ["abc"]);
  assert.deepEqual(drainText(p2.outbound), ["abc"]);
  assert.deepEqual(drainText(p3.outbound), []);
  topics.send(msg("b"), true, false); // invert: everyone not subscribed to a prefix of "b"
  topics.send(msg("ab"), true, false);
  assert.deepEqual([drainText(p1.outbound), drainText(p2.outbound), drainText(p3.outbound)], [["b"], ["b"], ["b", "ab"]]);
});

test("unsubscribe tells last, remain and absent apart (libzmq mtrie_t::rm_result)", () => {
  const topics = new TopicDistributor();
  const [p1, p2] = [makePeer("1"), makePeer("2")];
  topics.attach(p1);
  topics.attach(p2);
  topics.subscribe(b("a"), p1);
  topics.subscribe(b("a"), p2);
  assert.equal(topics.unsubscribe(b("a"), p1), "remain");
  assert.equal(topics.unsubscribe(b("a"), p1), "absent");
  assert.equal(topics.unsubscribe(b("zz"), p1), "absent");
  assert.equal(topics.unsubscribe(b("a"), p2), "last");
});

test("a full queue drops the message for that peer alone", () => {
  const topics = new TopicDistributor();
  const [slow, fast] = [makePeer("slow", 1), makePeer("fast", 0)];
  topics.attach(slow);
  topics.attach(fast);
  topics.subscribe(b(""), slow);
  topics.subscribe(b(""), fast);
  assert.equal(topics.send(msg("1"), false, false), true);
  assert.equal(topics.send(msg("2"), false, false), true, "PUB never blocks");
  assert.deepEqual([drainText(slow.outbound), drainText(fast.outbound)], [["1"], ["1", "2"]]);
  topics.activate(slow); // its pipe drained (the socket hears onWritable)
  topics.send(msg("3"), false, false);
  assert.deepEqual([drainText(slow.outbound), drainText(fast.outbound)], [["3"], ["3"]]);
});

test("noDrop: with a receiver's queue full nothing is sent, and the full pipe is armed to signal", () => {
  const topics = new TopicDistributor();
  const [slow, fast] = [makePeer("slow", 1), makePeer("fast", 0)];
  topics.attach(slow);
  topics.attach(fast);
  topics.subscribe(b(""), slow);
  topics.subscribe(b(""), fast);
  let signalled = 0;
  slow.outbound.onWritable = () => signalled++;
  assert.equal(topics.send(msg("1"), false, true), true);
  assert.equal(topics.send(msg("2"), false, true), false, "refused");
  assert.deepEqual(drainText(fast.outbound), ["1"], "nobody got the refused one");
  assert.deepEqual(drainText(slow.outbound), ["1"]);
  assert.equal(signalled, 1);
  assert.equal(topics.send(msg("2"), false, true), true);
  assert.deepEqual([drainText(slow.outbound), drainText(fast.outbound)], [["2"], ["2"]]);
});

test("10 000 topics stay cheap: one node pair per topic at most, all freed when the subscriber leaves", () => {
  const topics = new TopicDistributor();
  const [p1, p2] = [makePeer("1"), makePeer("2")];
  topics.attach(p1);
  topics.attach(p2);
  const n = 10000;
  for (let i = 0; i < n; i++) topics.subscribe(b(`topic/${i}`), p1);
  topics.subscribe(b("topic/7"), p2);
  assert.equal(topics.prefixCount, n);
  assert.ok(topics.nodeCount <= 2 * n + 1, `${topics.nodeCount} nodes for ${n} prefixes`);
  topics.send(msg("topic/7x"), false, false);
  topics.send(msg("topic/9999"), false, false);
  assert.deepEqual([drainText(p1.outbound), drainText(p2.outbound)], [["topic/7x", "topic/9999"], ["topic/7x"]]);

  const gone: string[] = [];
  topics.detach(p1, (prefix) => gone.push(prefix.toString()));
  assert.equal(gone.length, n - 1, "topic/7 still has a subscriber");
  assert.equal(topics.prefixCount, 1);
  const every: string[] = [];
  topics.detach(p2, (prefix) => every.push(prefix.toString()), true);
  assert.deepEqual(every, ["topic/7"]);
  assert.equal(topics.prefixCount, 0);
  assert.equal(topics.nodeCount, 1);
});

test("detach with everyPrefix reports each prefix the peer had, shared ones too (XPUB_VERBOSER)", () => {
  const topics = new TopicDistributor();
  const [p1, p2] = [makePeer("1"), makePeer("2")];
  topics.attach(p1);
  topics.attach(p2);
  for (const t of ["shared", "mine"]) topics.subscribe(b(t), p1);
  topics.subscribe(b("shared"), p2);
  const every: string[] = [];
  topics.detach(p1, (prefix) => every.push(prefix.toString()), true);
  assert.deepEqual(every.sort(), ["mine", "shared"]);
  assert.equal(topics.has(p1), false);
  assert.equal(topics.subscribe(b("x"), p1), false, "a detached peer cannot be subscribed");
});
