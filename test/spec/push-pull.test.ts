// RFC 30 (PIPELINE): PUSH and PULL, omq on both ends, one suite over every transport.
// Each test opens with the RFC sentence it checks. Run with OMQ_TEST_LIB=zeromq to check the
// tests themselves against libzmq.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  bound,
  closeAndWait,
  libName,
  pattern,
  receiveN,
  rejectsCode,
  sendUntilBlocked,
  testingReference,
  texts,
  transports,
  turn,
  withSockets,
  untilEachReceives,
} from "../helpers";

const T = { timeout: 20000 };

for (const { transport, skip } of transports) {
  describe(`RFC 30 PUSH/PULL over ${transport.name} (${libName})`, { skip }, () => {
    it("SHALL route outgoing messages to available peers using a round-robin strategy", T, () =>
      withSockets(async (s) => {
        const push = s.push();
        const endpoint = await bound(push, transport.bindAddress());
        const pulls = [s.pull(), s.pull(), s.pull()];
        for (const pull of pulls) pull.connect(endpoint);
        // Peers join in their own time: send one message at a time until each PULL has
        // received one, so that all three are connected before counting.
        const rx = await untilEachReceives(push, pulls);

        const perPeer = 100;
        const counts = [0, 0, 0];
        for (let i = 0; i < perPeer * pulls.length; i++) await push.send(`m${i}`);
        for (let i = 0; i < perPeer * pulls.length; i++) {
          const { index, message } = await rx.next();
          assert.match(texts(message)[0]!, /^m\d+$/);
          counts[index]!++;
        }
        assert.deepEqual(counts, [perPeer, perPeer, perPeer]);
      }),
    );

    it("SHALL receive incoming messages from its peers using a fair-queuing strategy", T, () =>
      withSockets(async (s) => {
        // A floods the PULL; B sends a few. Fair queuing serves B while A still has plenty
        // queued: B's messages all arrive before A's last. A strategy that drains one peer
        // before looking at the next would starve B.
        const pull = s.pull();
        const endpoint = await bound(pull, transport.bindAddress());
        const a = s.push();
        const b = s.push();
        a.connect(endpoint);
        b.connect(endpoint);
        await a.send("warm-up A");
        await b.send("warm-up B");
        const warm = (await receiveN(pull, 2)).map((m) => texts(m)[0]).sort();
        assert.deepEqual(warm, ["warm-up A", "warm-up B"]);

        const flood = 20000;
        const few = 100;
        const flooding = (async () => {
          for (let i = 0; i < flood; i++) await a.send(["A", String(i)]);
        })();
        for (let i = 0; i < few; i++) await b.send(["B", String(i)]);

        const next = { A: 0, B: 0 };
        while (next.B < few) {
          const [from, seq] = texts(await pull.receive()) as ["A" | "B", string];
          // RFC 37: "All messages between two immediate peers SHALL be delivered in order."
          assert.equal(Number(seq), next[from], `message ${from}${seq} out of order`);
          next[from]++;
        }
        assert.ok(next.A < flood, `B was served only after all ${flood} of A's messages`);
        while (next.A < flood) {
          const [from, seq] = texts(await pull.receive());
          assert.equal(from, "A");
          assert.equal(Number(seq), next.A++);
        }
        await flooding;
      }),
    );

    it("SHALL block on sending, or return a suitable error, when it has no available peers (fresh PUSH)", T, () =>
      withSockets(async (s) => {
        const push = s.push();
        assert.equal(push.writable, false);
        push.sendTimeout = 0;
        await rejectsCode(() => push.send("nobody"), "EAGAIN");
        push.sendTimeout = 50;
        await rejectsCode(() => push.send("nobody"), "EAGAIN");
        assert.equal(push.writable, false);
      }),
    );

    it("SHALL block on sending, or return a suitable error, when it has no available peers (bound PUSH, nobody connected)", T, () =>
      withSockets(async (s) => {
        const push = s.push();
        await bound(push, transport.bindAddress());
        assert.equal(push.writable, false);
        push.sendTimeout = 0;
        await rejectsCode(() => push.send("nobody"), "EAGAIN");
        push.sendTimeout = 50;
        await rejectsCode(() => push.send("nobody"), "EAGAIN");
      }),
    );

    it("SHALL NOT discard messages that it cannot queue: a send waiting for a peer completes when one arrives", T, () =>
      withSockets(async (s) => {
        const push = s.push();
        const endpoint = await bound(push, transport.bindAddress());
        let settled = false;
        const sending = push.send(["waited", "for you"]).finally(() => (settled = true));
        await turn();
        assert.equal(settled, false, "send must wait while there is no peer");
        const pull = s.pull();
        pull.connect(endpoint);
        assert.deepEqual(texts(await pull.receive()), ["waited", "for you"]);
        await sending;
      }),
    );

    it("SHALL consider a peer as available only when it has a outgoing queue that is not full (HWM): sends block, nothing is lost", T, () =>
      withSockets(async (s) => {
        const pull = s.pull({ receiveHighWaterMark: 1 });
        const endpoint = await bound(pull, transport.bindAddress());
        const push = s.push({ sendHighWaterMark: 1, sendTimeout: 50 });
        push.connect(endpoint);

        // The PULL does not read. Queues (ours, the kernel's) fill, then a send times out.
        const payload = pattern(16 * 1024, 7);
        const limit = 4000;
        const { sent, error } = await sendUntilBlocked(push, (i) => [String(i), payload], limit);
        assert.ok(error !== undefined, `${limit} sends of 16 KiB never blocked: the queues are not bounded`);
        assert.equal(error.code, "EAGAIN");
        assert.ok(sent > 0);

        // Every message whose send resolved arrives, in order; then the one refused can go.
        push.sendTimeout = -1;
        const retry = push.send([String(sent), payload]);
        for (let i = 0; i <= sent; i++) {
          const [seq, body] = await pull.receive();
          assert.equal(seq!.toString(), String(i));
          assert.ok(body!.equals(payload), `message ${i} corrupted`);
        }
        await retry;
      }),
    );

    it("SHALL create this queue when initiating an outgoing connection to a peer, and SHALL maintain the queue whether or not the connection is established", T, () =>
      withSockets(async (s) => {
        // PUSH connects to an address nobody has bound yet: the queue exists, so send is accepted.
        const address = await transport.freeAddress();
        const push = s.push();
        push.connect(address);
        assert.equal(push.writable, true);
        push.sendTimeout = 0;
        await push.send(["queued", "before bind"]);
        const pull = s.pull();
        await pull.bind(address);
        assert.deepEqual(texts(await pull.receive()), ["queued", "before bind"]);
      }),
    );

    it("connect before the peer binds: a PULL that connects first receives once the PUSH binds", T, () =>
      withSockets(async (s) => {
        const address = await transport.freeAddress();
        const pull = s.pull();
        pull.connect(address);
        const push = s.push();
        await push.bind(address);
        await push.send("hello");
        assert.deepEqual(texts(await pull.receive()), ["hello"]);
      }),
    );

    it(
      "RFC 37: All sockets SHALL establish connections opportunistically [...] if the connection is broken, SHOULD reconnect after a suitable delay",
      { ...T, skip: transport.stream ? false : "inproc has no connection to re-establish" },
      () =>
        withSockets(async (s) => {
          const push = s.push({ reconnectInterval: 10 });
          const first = s.fork();
          const pull1 = first.pull();
          const endpoint = await bound(pull1, transport.bindAddress());
          push.connect(endpoint);
          await push.send("to the first");
          assert.deepEqual(texts(await pull1.receive()), ["to the first"]);

          await closeAndWait(pull1);
          const pull2 = s.pull();
          await pull2.bind(endpoint);

          // Messages written to the old connection just before it broke may be lost with it
          // (RFC 30 allows that); so send until the new PULL hears one, then check order.
          const received = pull2.receive();
          let done = false;
          received.finally(() => (done = true)).catch(() => {});
          let i = 0;
          while (!done) {
            await push.send(String(i++));
            await turn();
          }
          const firstSeq = Number(texts(await received)[0]);
          for (let seq = firstSeq + 1; seq < i; seq++) assert.deepEqual(texts(await pull2.receive()), [String(seq)]);
        }),
    );

    it("SHALL not filter or modify outgoing messages in any way: multipart and empty frames", T, () =>
      withSockets(async (s) => {
        const pull = s.pull();
        const endpoint = await bound(pull, transport.bindAddress());
        const push = s.push();
        push.connect(endpoint);
        const long = pattern(300, 1); // > 255 bytes: a long frame on the wire
        const messages: Buffer[][] = [
          [Buffer.alloc(0)],
          [Buffer.alloc(0), Buffer.alloc(0)],
          [Buffer.from("a"), Buffer.alloc(0), Buffer.from("c")],
          [Buffer.alloc(255, 1), Buffer.alloc(256, 2), long],
          [Buffer.from("last")],
        ];
        for (const message of messages) await push.send(message);
        const got = await receiveN(pull, messages.length);
        assert.deepEqual(got, messages);
        for (const message of got) for (const frame of message) assert.ok(Buffer.isBuffer(frame));
      }),
    );

    it("for await ... of a PULL ends when the socket closes", T, () =>
      withSockets(async (s) => {
        const pull = s.pull();
        const endpoint = await bound(pull, transport.bindAddress());
        const push = s.push();
        push.connect(endpoint);
        await push.send("one");
        await push.send(["two", "parts"]);
        const got: string[][] = [];
        for await (const message of pull) {
          got.push(texts(message));
          if (got.length === 2) setImmediate(() => pull.close());
        }
        assert.deepEqual(got, [["one"], ["two", "parts"]]);
        assert.equal(pull.closed, true);
      }),
    );

    it("send converts each frame as zeromq.js does (zeromq-js-api.md §2.4)", T, () =>
      withSockets(async (s) => {
        const pull = s.pull();
        const endpoint = await bound(pull, transport.bindAddress());
        const push = s.push();
        push.connect(endpoint);

        const bytes = Uint8Array.from([0, 1, 2, 3, 4, 5]);
        const arrayBuffer = Uint8Array.from([9, 8, 7]).buffer;
        const cases: [string, unknown, Buffer[]][] = [
          ["Buffer", Buffer.from([1, 2, 3]), [Buffer.from([1, 2, 3])]],
          ["string is UTF-8", "héllo", [Buffer.from("héllo", "utf8")]],
          ["ArrayBuffer: all its bytes", arrayBuffer, [Buffer.from([9, 8, 7])]],
          ["Uint16Array([1,2]): the view's 4 bytes", new Uint16Array([1, 2]), [Buffer.from(new Uint16Array([1, 2]).buffer)]],
          ["subarray: only the view", bytes.subarray(2, 5), [Buffer.from([2, 3, 4])]],
          ["null: an empty frame", null, [Buffer.alloc(0)]],
          ["number: String(value)", 42, [Buffer.from("42")]],
          ["float: String(value)", 1.5, [Buffer.from("1.5")]],
          ["boolean: String(value)", true, [Buffer.from("true")]],
          ["bigint: String(value)", 10n, [Buffer.from("10")]],
          ["object: String(value)", {}, [Buffer.from("[object Object]")]],
          ["array: one frame each", ["a", null, 7], [Buffer.from("a"), Buffer.alloc(0), Buffer.from("7")]],
          ["undefined inside an array: the string", ["x", undefined], [Buffer.from("x"), Buffer.from("undefined")]],
          ["nested array: String(inner)", [["a", "b"], "c"], [Buffer.from("a,b"), Buffer.from("c")]],
        ];
        if (!testingReference) {
          // zeromq.js sends "[object SharedArrayBuffer]" and throws on DataView (bugs); §2.4 asks omq for the bytes.
          const shared = new SharedArrayBuffer(2);
          new Uint8Array(shared).set([5, 6]);
          cases.push(["SharedArrayBuffer: its bytes (omq)", shared, [Buffer.from([5, 6])]]);
          cases.push(["DataView: the view's bytes (omq)", new DataView(bytes.buffer, 1, 2), [Buffer.from([1, 2])]]);
        }
        for (const [, value] of cases) await push.send(value as never);
        // []: resolves at once and sends nothing.
        await push.send([]);
        await push.send("after the empty array");
        for (const [name, , expected] of cases) assert.deepEqual(await pull.receive(), expected, name);
        assert.deepEqual(texts(await pull.receive()), ["after the empty array"]);

        // undefined as the whole message, and a Symbol, throw synchronously.
        assert.throws(() => push.send(undefined as never), TypeError);
        assert.throws(() => push.send(Symbol("s") as never), TypeError);
      }),
    );
  });
}

