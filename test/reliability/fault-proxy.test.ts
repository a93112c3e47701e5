// PUSH/PULL through a misbehaving link (test/helpers/fault-proxy.ts) and with a frozen peer
// process (SIGSTOP): whatever happens, messages arrive whole, in order, never twice. What
// a dying connection had in flight may be lost (README "Guarantees"); the figures are
// printed. Random faults come from a fixed seed, so a run can be repeated.
import assert from "node:assert/strict";
import { it } from "node:test";
import { Prng } from "../fuzz/prng";
import { FaultProxy, type ProxyLink } from "../helpers/fault-proxy";
import { sequenced, SequenceCheck, FRAMES } from "./sequenced-stream";
import { StreamPeer } from "./stream-peer";
import { bounded, events, withContext, zmq } from "./support";

const WAIT_MS = 20000;

/** A PULL bound on loopback, a proxy in front of it, and a PUSH connected to the proxy. */
async function throughProxy(context: zmq.Context) {
  const pull = new zmq.Pull({ context, linger: 0 });
  await pull.bind("tcp://127.0.0.1:*");
  const proxy = await FaultProxy.start(pull.lastEndpoint!);
  const push = new zmq.Push({ context, linger: 0, reconnectInterval: 20, reconnectMaxInterval: 0 });
  const counts = { handshakes: 0, disconnects: 0 };
  push.events.on("handshake", () => counts.handshakes++);
  push.events.on("disconnect", () => counts.disconnects++);
  push.connect(proxy.endpoint);
  return { pull, proxy, push, counts };
}

/** Sends the numbered stream until stop() (or `limit` messages), yielding to I/O now and then. */
function stream(push: zmq.Push, limit = Infinity) {
  let stopped = false;
  let sent = 0;
  const done = (async () => {
    while (!stopped && sent < limit) {
      await push.send(sequenced(sent++));
      if (sent % 50 === 0) await new Promise(setImmediate);
    }
  })().catch((error: { code?: string }) => {
    if (error.code !== "ETERM") throw error;
  });
  return { stop: () => (stopped = true), done, sent: () => sent };
}

/** Receives into `check` until `enough()` holds. */
async function receiveUntil(pull: zmq.Pull, check: SequenceCheck, enough: () => boolean): Promise<void> {
  while (!enough()) check.accept(await bounded(pull.receive(), WAIT_MS, `stream stalled after ${check.stats.received} messages`));
}

function report(scenario: string, check: SequenceCheck, extra = ""): void {
  const { received, lost, outOfOrder, malformed } = check.stats;
  console.log(`# fault proxy, ${scenario}: ${received} received, ${lost} lost, ${outOfOrder} out of order, ${malformed} malformed${extra}`);
}

function assertIntact(check: SequenceCheck): void {
  assert.equal(check.stats.outOfOrder, 0, "a message was duplicated or reordered");
  assert.equal(check.stats.malformed, 0, "a message arrived torn or corrupted");
}

it("a delayed, then stalled link: every message arrives, whole and in order", { timeout: 60000 }, () =>
  withContext(async (context) => {
    const { pull, proxy, push } = await throughProxy(context);
    try {
      const TOTAL = 3000;
      proxy.delayMs = 5;
      const sender = stream(push, TOTAL);
      const check = new SequenceCheck();
      await receiveUntil(pull, check, () => check.stats.received >= 1000);
      proxy.stall();
      await new Promise((resolve) => setTimeout(resolve, 300)); // the fault: a link that hangs for 300 ms
      proxy.resume();
      await receiveUntil(pull, check, () => check.stats.received >= TOTAL);
      await sender.done;
      report("delay 5 ms and a 300 ms stall", check);
      assertIntact(check);
      assert.equal(check.stats.lost, 0, "no connection died, so nothing may be lost");
      assert.equal(proxy.accepted, 1, "the connection survived the stall");
    } finally {
      await proxy.close();
    }
  }));

it("connections reset (RST) at random points of the stream: a reconnect after each; whole, in order, no duplicates", { timeout: 60000 }, () =>
  withContext(async (context) => {
    const { pull, proxy, push, counts } = await throughProxy(context);
    try {
      const RESETS = 10;
      const prng = new Prng(0x5eed);
      // Each link dies after a random number of upstream bytes past the handshake: mid-frame, mid-message.
      const lifetimes = new WeakMap<ProxyLink, number>();
      let resets = 0;
      let receivedAtLastReset = 0;
      const check = new SequenceCheck();
      proxy.onChunk = (link, direction) => {
        if (direction !== "upstream" || resets === RESETS) return;
        if (!lifetimes.has(link)) lifetimes.set(link, 200 + prng.int(50000));
        if (link.upstream.received < lifetimes.get(link)!) return;
        resets++;
        receivedAtLastReset = check.stats.received;
        link.reset();
      };
      const sender = stream(push);
      await receiveUntil(pull, check, () => resets === RESETS && check.stats.received >= receivedAtLastReset + 500);
      sender.stop();
      report(`${RESETS} resets`, check, `; PUSH: ${counts.disconnects} disconnects, ${counts.handshakes} handshakes`);
      assertIntact(check);
      assert.equal(counts.disconnects, RESETS, "the PUSH saw each reset");
      assert.equal(counts.handshakes, RESETS + 1, "and reconnected after each");
    } finally {
      await proxy.close();
    }
  }));

/** Where frame `index` of message `seq` starts, counted from the message's first byte (short frames: flags and size, then the body). */
function frameOffset(seq: number, index: number): number {
  return sequenced(seq)
    .slice(0, index)
    .reduce((offset, frame) => offset + 2 + frame.length, 0);
}

it("a corrupted frame header: the peer is disconnected with an event, the PUSH reconnects, no fragment of the message is delivered", { timeout: 60000 }, () =>
  withContext(async (context) => {
    const { pull, proxy, push, counts } = await throughProxy(context);
    try {
      const check = new SequenceCheck();
      const received = async () => check.accept(await bounded(pull.receive(), WAIT_MS, "no message"));
      let seq = 0;
      await push.send(sequenced(seq));
      assert.equal(await received(), seq);
      // Flip bit 2 (COMMAND) of a frame's flags: the first one (MORE) or a middle one (MORE) becomes a
      // command with MORE set, the last one (no MORE) a command inside a multipart message. Both are
      // protocol errors (RFC 37 "Framing"), whereas a flipped body byte could go unnoticed.
      for (const index of [0, 1, FRAMES - 1]) {
        const lost = events(pull, "disconnect");
        const back = events(push, "handshake");
        proxy.current!.corrupt("upstream", frameOffset(seq + 1, index), 0x04);
        await push.send(sequenced(++seq)); // corrupted on the way
        await bounded(lost, WAIT_MS, `frame ${index} corrupted: the PULL did not drop the connection`);
        const lostAt = Date.now();
        await bounded(back, WAIT_MS, "the PUSH did not reconnect");
        const reconnectMs = Date.now() - lostAt;
        await push.send(sequenced(++seq));
        assert.equal(await received(), seq, "the corrupted message was dropped whole, the next one arrives");
        console.log(`# fault proxy, frame ${index} of ${FRAMES} corrupted: disconnected, reconnected ${reconnectMs} ms later`);
      }
      report("3 corrupted frame headers", check);
      assertIntact(check);
      assert.equal(check.stats.lost, 3, "exactly the corrupted messages were lost");
    } finally {
      await proxy.close();
    }
  }));

it("a peer process frozen (SIGSTOP) past the heartbeat timeout: dropped with an event, back after SIGCONT; in order, no duplicates", { timeout: 60000 }, async () => {
  const peers: StreamPeer[] = [];
  try {
    const pull = await StreamPeer.start({
      lib: "omq",
      role: "pull",
      bind: "tcp://127.0.0.1:*",
      options: { heartbeatInterval: 100, heartbeatTimeout: 300, linger: 0 },
    });
    peers.push(pull);
    const push = await StreamPeer.start({ lib: "omq", role: "push", connect: pull.endpoint, options: { reconnectInterval: 50, linger: 0 } });
    peers.push(push);
    await pull.received(200);
    const [pullMark, pushMark] = [pull.mark(), push.mark()];
    const frozenAt = Date.now();
    push.child.kill("SIGSTOP");
    const dropped = await pull.event("disconnect", pullMark);
    const beforeThaw = await pull.stats();
    push.child.kill("SIGCONT");
    const thawedAt = Date.now();
    const back = await pull.event("handshake", pullMark);
    await push.event("handshake", pushMark);
    const stats = await pull.received(beforeThaw.received + 200);
    console.log(
      `# frozen peer: dropped by the PULL's heartbeat ${dropped.at - frozenAt} ms after SIGSTOP, reconnected ${back.at - thawedAt} ms after SIGCONT; ` +
        `${stats.received} received, ${stats.lost} lost, ${stats.outOfOrder} out of order, ${stats.malformed} malformed`,
    );
    assert.equal(stats.outOfOrder, 0, "a message was duplicated or reordered");
    assert.equal(stats.malformed, 0, "a message arrived torn or corrupted");
  } finally {
    await Promise.all(peers.map((peer) => peer.kill()));
  }
});
