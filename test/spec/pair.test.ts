// RFC 31 (EXPAIR): PAIR, omq on both ends, one suite over every transport.
// Each test opens with the RFC sentence it checks. Run with OMQ_TEST_LIB=zeromq to check the
// tests themselves against libzmq.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  bound,
  eventCount,
  libName,
  pattern,
  receiveN,
  rejectsCode,
  sendUntilBlocked,
  texts,
  transports,
  turn,
  withSockets,
} from "../helpers";

const T = { timeout: 20000 };

for (const { transport, skip } of transports) {
  describe(`RFC 31 PAIR over ${transport.name} (${libName})`, { skip }, () => {
    it("MAY be connected to at most one PAIR peers, and MAY both send and receive messages", T, () =>
      withSockets(async (s) => {
        const a = s.pair();
        const endpoint = await bound(a, transport.bindAddress());
        const b = s.pair();
        b.connect(endpoint);

        const n = 100;
        const aSends = (async () => {
          for (let i = 0; i < n; i++) await a.send(["from a", String(i)]);
        })();
        const bSends = (async () => {
          for (let i = 0; i < n; i++) await b.send(["from b", String(i)]);
        })();
        const [atA, atB] = await Promise.all([receiveN(a, n), receiveN(b, n), aSends, bSends]);
        assert.deepEqual(atA.map(texts), Array.from({ length: n }, (_, i) => ["from b", String(i)]));
        assert.deepEqual(atB.map(texts), Array.from({ length: n }, (_, i) => ["from a", String(i)]));
      }),
    );

    it("MAY be connected to at most one PAIR peers: a second peer is refused, the first keeps the pair", T, () =>
      withSockets(async (s) => {
        const a = s.pair();
        const handshakes = transport.stream ? eventCount(a, "handshake", 2) : Promise.resolve();
        const endpoint = await bound(a, transport.bindAddress());
        const b = s.pair();
        b.connect(endpoint);
        await b.send("b is first");
        assert.deepEqual(texts(await a.receive()), ["b is first"]);

        const c = s.pair({ sendTimeout: 0 });
        c.connect(endpoint);
        // Over tcp/ipc c keeps its queue while it retries, so this is queued. Over inproc the
        // refusal removes c's queue at once (libzmq: as soon as a processes the link), and
        // the send may be refused (EAGAIN): either way nothing may reach a.
        await c.send("intruder").catch((error: { code?: string }) => assert.equal(error.code, "EAGAIN"));
        // The second peer has completed its ZMTP handshake with a (so a has had to decide).
        await handshakes;
        await turn();

        // a's messages all go to b: none is lost to (or stolen by) c.
        for (let i = 0; i < 10; i++) await a.send(String(i));
        assert.deepEqual((await receiveN(b, 10)).map(texts), Array.from({ length: 10 }, (_, i) => [String(i)]));
        await b.send("b still talks");
        assert.deepEqual(texts(await a.receive()), ["b still talks"]);

        // Absence can only be checked for a while: neither side hears from the other.
        a.receiveTimeout = 200;
        c.receiveTimeout = 200;
        await rejectsCode(() => a.receive(), "EAGAIN");
        await rejectsCode(() => c.receive(), "EAGAIN");
      }),
    );

    it("SHALL block on sending, or return a suitable error, when it has no available peer", T, () =>
      withSockets(async (s) => {
        const fresh = s.pair();
        assert.equal(fresh.writable, false);
        fresh.sendTimeout = 0;
        await rejectsCode(() => fresh.send("nobody"), "EAGAIN");
        fresh.sendTimeout = 50;
        await rejectsCode(() => fresh.send("nobody"), "EAGAIN");

        const lonely = s.pair({ sendTimeout: 0 });
        await bound(lonely, transport.bindAddress());
        assert.equal(lonely.writable, false);
        await rejectsCode(() => lonely.send("nobody"), "EAGAIN");
      }),
    );

    it("SHALL NOT discard messages that it cannot queue: a waiting send completes once the peer connects", T, () =>
      withSockets(async (s) => {
        const a = s.pair();
        const endpoint = await bound(a, transport.bindAddress());
        let settled = false;
        const sending = a.send("waited").finally(() => (settled = true));
        await turn();
        assert.equal(settled, false, "send must wait while there is no peer");
        const b = s.pair();
        b.connect(endpoint);
        assert.deepEqual(texts(await b.receive()), ["waited"]);
        await sending;
      }),
    );

    it("SHALL create a double queue when initiating an outgoing connection to a peer, and SHALL maintain the double queue whether or not the connection is established", T, () =>
      withSockets(async (s) => {
        const address = await transport.freeAddress();
        const b = s.pair({ sendTimeout: 0 });
        b.connect(address);
        assert.equal(b.writable, true);
        await b.send(["sent", "before bind"]);
        const a = s.pair();
        await a.bind(address);
        assert.deepEqual(texts(await a.receive()), ["sent", "before bind"]);
        await a.send("reply");
        assert.deepEqual(texts(await b.receive()), ["reply"]);
      }),
    );

    it("SHALL consider its peer as available only when it has a outgoing queue that is not full (HWM): sends block, nothing is lost", T, () =>
      withSockets(async (s) => {
        const a = s.pair({ receiveHighWaterMark: 1 });
        const endpoint = await bound(a, transport.bindAddress());
        const b = s.pair({ sendHighWaterMark: 1, sendTimeout: 50 });
        b.connect(endpoint);
        const payload = pattern(16 * 1024, 3);
        const limit = 4000;
        const { sent, error } = await sendUntilBlocked(b, (i) => [String(i), payload], limit);
        assert.ok(error !== undefined, `${limit} sends of 16 KiB never blocked: the queues are not bounded`);
        assert.equal(error.code, "EAGAIN");
        b.sendTimeout = -1;
        const retry = b.send([String(sent), payload]);
        for (let i = 0; i <= sent; i++) {
          const [seq, body] = await a.receive();
          assert.equal(seq!.toString(), String(i));
          assert.ok(body!.equals(payload), `message ${i} corrupted`);
        }
        await retry;
      }),
    );

    it("SHALL not filter or modify outgoing or incoming messages in any way: multipart and empty frames, both ways", T, () =>
      withSockets(async (s) => {
        const a = s.pair();
        const endpoint = await bound(a, transport.bindAddress());
        const b = s.pair();
        b.connect(endpoint);
        const messages: Buffer[][] = [
          [Buffer.alloc(0)],
          [Buffer.alloc(0), Buffer.alloc(0), Buffer.alloc(0)],
          [Buffer.from("x"), Buffer.alloc(0), pattern(1000, 5)],
        ];
        for (const message of messages) await a.send(message);
        for (const message of messages) await b.send(message);
        assert.deepEqual(await receiveN(b, messages.length), messages);
        assert.deepEqual(await receiveN(a, messages.length), messages);
      }),
    );
  });
}
