// RFC 29 (PUBSUB): XPUB and XSUB, omq on both ends, one suite over tcp, ipc and inproc.
// Each test opens with the RFC sentence (or the libzmq behaviour) it checks. Run with
// OMQ_TEST_LIB=zeromq to check the tests themselves against libzmq. An XPUB shows when a
// subscription has arrived, so these tests wait for that instead of probing.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ALL_TRANSPORTS, libName, texts, turn, withSockets } from "../helpers";
import { closeAndWait, manualSubscribe, notices, pubSub, settle, subscription } from "../helpers/pub-sub";

const T = { timeout: 20000 };
const sorted = (list: string[]) => [...list].sort();

for (const transport of ALL_TRANSPORTS) {
  describe(`RFC 29 XPUB/XSUB over ${transport.name} (${libName})`, () => {
    it("XPUB SHALL deliver these commands to its calling application; by default only the first subscription to a prefix", T, () =>
      withSockets(async (s) => {
        const { xpub, sub } = pubSub(s);
        const publisher = xpub();
        await publisher.bind(transport.bindAddress());
        const [a, b] = [sub(), sub()];
        a.connect(publisher.lastEndpoint!);
        a.subscribe("x", "y");
        assert.deepEqual(await notices(publisher, 2), ["+x", "+y"]);
        b.connect(publisher.lastEndpoint!);
        b.subscribe("x", "mark-b"); // "x" is not new: only the marker is delivered
        assert.deepEqual(await notices(publisher, 1), ["+mark-b"]);
      }),
    );

    it("XPUB MAY normalize commands: an unsubscription is delivered when the last subscriber of a prefix leaves it", T, () =>
      withSockets(async (s) => {
        const { xpub, sub } = pubSub(s);
        const publisher = xpub();
        await publisher.bind(transport.bindAddress());
        const [a, b] = [sub(), sub()];
        for (const [i, subscriber] of [a, b].entries()) {
          subscriber.connect(publisher.lastEndpoint!);
          subscriber.subscribe("x", `mark-${i}`);
        }
        assert.deepEqual(sorted(await notices(publisher, 3)), ["+mark-0", "+mark-1", "+x"]);
        a.unsubscribe("x");
        a.subscribe("after-a");
        assert.deepEqual(await notices(publisher, 1), ["+after-a"], "b still has x");
        b.unsubscribe("x");
        assert.deepEqual(await notices(publisher, 1), ["-x"]);
      }),
    );

    it('verbosity "allSubs" delivers every subscription; "allSubsUnsubs" every unsubscription too', T, () =>
      withSockets(async (s) => {
        const { xpub, sub } = pubSub(s);
        const publisher = xpub({ verbosity: "allSubs" });
        await publisher.bind(transport.bindAddress());
        const [a, b] = [sub(), sub()];
        a.connect(publisher.lastEndpoint!);
        b.connect(publisher.lastEndpoint!);
        a.subscribe("x");
        assert.deepEqual(await notices(publisher, 1), ["+x"]);
        b.subscribe("x");
        assert.deepEqual(await notices(publisher, 1), ["+x"], "a repeat, delivered with allSubs");
        a.subscribe("x"); // the SUB sends every subscribe upstream, repeats too
        assert.deepEqual(await notices(publisher, 1), ["+x"]);
        a.unsubscribe("x"); // one reference left at a: nothing goes up
        a.unsubscribe("x"); // a leaves x, b still has it: not delivered with allSubs
        b.subscribe("mark");
        assert.deepEqual(await notices(publisher, 1), ["+mark"]);

        publisher.verbosity = "allSubsUnsubs";
        a.subscribe("x");
        assert.deepEqual(await notices(publisher, 1), ["+x"]);
        a.unsubscribe("x");
        assert.deepEqual(await notices(publisher, 1), ["-x"], "delivered with allSubsUnsubs though b still has x");
      }),
    );

    it("XPUB SHALL, if the subscriber peer disconnects prematurely, generate a suitable unsubscribe request", T, () =>
      withSockets(async (s) => {
        const { xpub, sub } = pubSub(s);
        const publisher = xpub();
        await publisher.bind(transport.bindAddress());
        const [a, b] = [sub(), sub()];
        a.connect(publisher.lastEndpoint!);
        a.subscribe("shared", "only-a", "");
        assert.deepEqual(sorted(await notices(publisher, 3)), ["+", "+only-a", "+shared"]);
        b.connect(publisher.lastEndpoint!);
        b.subscribe("shared", "only-b");
        assert.deepEqual(await notices(publisher, 1), ["+only-b"]);
        a.close();
        assert.deepEqual(sorted(await notices(publisher, 2)), ["-", "-only-a"], "b keeps 'shared'");
        b.close();
        assert.deepEqual(sorted(await notices(publisher, 2)), ["-only-b", "-shared"]);
      }),
    );

    it('with "allSubsUnsubs", a subscriber that disconnects is unsubscribed from each of its prefixes, shared or not', T, () =>
      withSockets(async (s) => {
        const { xpub, sub } = pubSub(s);
        const publisher = xpub({ verbosity: "allSubsUnsubs" });
        await publisher.bind(transport.bindAddress());
        const [a, b] = [sub(), sub()];
        a.connect(publisher.lastEndpoint!);
        a.subscribe("shared", "only-a");
        b.connect(publisher.lastEndpoint!);
        b.subscribe("shared");
        assert.deepEqual(sorted(await notices(publisher, 3)), ["+only-a", "+shared", "+shared"]);
        a.close();
        assert.deepEqual(sorted(await notices(publisher, 2)), ["-only-a", "-shared"]);
      }),
    );

    it("XSUB SHALL accept subscription commands from its calling application, and SHALL send them upstream; a cancel only when its last reference goes", T, () =>
      withSockets(async (s) => {
        const { xpub, xsub } = pubSub(s);
        const publisher = xpub({ verbosity: "allSubsUnsubs" });
        await publisher.bind(transport.bindAddress());
        const subscriber = xsub();
        subscriber.connect(publisher.lastEndpoint!);
        await subscriber.send(subscription("a"));
        await subscriber.send(subscription("a"));
        assert.deepEqual(await notices(publisher, 2), ["+a", "+a"]);
        await subscriber.send(subscription("a", false));
        await subscriber.send(subscription("never subscribed", false));
        await subscriber.send(subscription("mark"));
        assert.deepEqual(await notices(publisher, 1), ["+mark"], "one reference to 'a' is left; an unknown cancel goes nowhere");
        await subscriber.send(subscription("a", false));
        assert.deepEqual(await notices(publisher, 1), ["-a"]);
      }),
    );

    it("XSUB SHALL send all messages to all connected publishers; XPUB SHALL deliver these messages to its calling application", T, () =>
      withSockets(async (s) => {
        const { xpub, xsub } = pubSub(s);
        const publishers = [xpub(), xpub()];
        const subscriber = xsub();
        for (const publisher of publishers) {
          await publisher.bind(transport.bindAddress());
          subscriber.connect(publisher.lastEndpoint!);
        }
        await subscriber.send(subscription("hello")); // goes to publishers connected later too
        for (const publisher of publishers) assert.deepEqual(await notices(publisher, 1), ["+hello"]);
        await subscriber.send(["upstream", "", "data"]);
        await subscriber.send(Buffer.alloc(0));
        for (const publisher of publishers) {
          assert.deepEqual(texts(await publisher.receive()), ["upstream", "", "data"]);
          assert.deepEqual(await publisher.receive(), [Buffer.alloc(0)]);
        }
      }),
    );

    it("XSUB remembers its subscriptions: a publisher that connects later is sent all of them", T, () =>
      withSockets(async (s) => {
        const { xpub, xsub } = pubSub(s);
        const subscriber = xsub();
        await subscriber.bind(transport.bindAddress());
        await subscriber.send(subscription("one"));
        await subscriber.send(subscription("two"));
        await subscriber.send(subscription("gone"));
        await subscriber.send(subscription("gone", false));
        // A pending receive keeps the XSUB in use: libzmq attaches a peer to a bound socket
        // (and sends it the subscriptions) when that socket is next used.
        const arriving = subscriber.receive();
        const publisher = xpub();
        publisher.connect(subscriber.lastEndpoint!);
        assert.deepEqual(sorted(await notices(publisher, 2)), ["+one", "+two"]);
        await publisher.send(["two", "to the XSUB"]);
        assert.deepEqual(texts(await arriving), ["two", "to the XSUB"]);
      }),
    );

    it("XPUB_MANUAL: every (un)subscription is delivered and none applied; the application subscribes the peer that sent the last one", T, () =>
      withSockets(async (s) => {
        const { xpub, sub } = pubSub(s);
        const publisher = xpub({ manual: true });
        await publisher.bind(transport.bindAddress());
        const subscriber = sub();
        subscriber.connect(publisher.lastEndpoint!);
        subscriber.subscribe("");
        subscriber.subscribe("");
        assert.deepEqual(await notices(publisher, 2), ["+", "+"], "repeats are delivered in manual mode");
        // The SUB asked for everything; the application grants only "y".
        manualSubscribe(publisher, "y");
        await publisher.send(["x", "not granted"]);
        await publisher.send(["y", "granted"]);
        assert.deepEqual(texts(await subscriber.receive()), ["y", "granted"]);
        manualSubscribe(publisher, "y", true);
        manualSubscribe(publisher, "z");
        await publisher.send(["y", "revoked"]);
        await publisher.send(["z", "granted"]);
        assert.deepEqual(texts(await subscriber.receive()), ["z", "granted"]);
        subscriber.subscribe("q");
        assert.deepEqual(await notices(publisher, 1), ["+q"]);
        subscriber.close();
        assert.deepEqual(sorted(await notices(publisher, 2)), ["-", "-q"], "one per prefix the peer asked for");
      }),
    );

    it("XSUB receives without filtering: the publisher decides (XPUB_MANUAL grants more than the XSUB asked for)", T, () =>
      withSockets(async (s) => {
        const { xpub, xsub } = pubSub(s);
        const publisher = xpub({ manual: true });
        await publisher.bind(transport.bindAddress());
        const subscriber = xsub();
        subscriber.connect(publisher.lastEndpoint!);
        await subscriber.send(subscription("a"));
        assert.deepEqual(await notices(publisher, 1), ["+a"]);
        manualSubscribe(publisher, "");
        await publisher.send(["b", "not asked for"]);
        assert.deepEqual(texts(await subscriber.receive()), ["b", "not asked for"]);
      }),
    );

    it("XPUB_WELCOME_MSG: each new subscriber gets the welcome message first", T, () =>
      withSockets(async (s) => {
        const { xpub, sub } = pubSub(s);
        const publisher = xpub({ welcomeMessage: "WELCOME" });
        await publisher.bind(transport.bindAddress());
        for (let i = 0; i < 2; i++) {
          const subscriber = sub();
          subscriber.subscribe("W", `mark-${i}`);
          subscriber.connect(publisher.lastEndpoint!);
          // zeromq.js: "poll on incoming subscription messages on the XPublisher socket" (libzmq
          // attaches the new peer, and writes the welcome, when the XPUB is next used).
          assert.deepEqual(await notices(publisher, i === 0 ? 2 : 1), i === 0 ? ["+W", "+mark-0"] : ["+mark-1"]);
          assert.deepEqual(texts(await subscriber.receive()), ["WELCOME"]);
        }
      }),
    );

    it("ZMQ_INVERT_MATCHING on XPUB: a message goes to the subscribers that did not subscribe to it", T, () =>
      withSockets(async (s) => {
        const { xpub, xsub } = pubSub(s);
        const publisher = xpub({ invertMatching: true });
        await publisher.bind(transport.bindAddress());
        const subscriber = xsub();
        subscriber.connect(publisher.lastEndpoint!);
        await subscriber.send(subscription("a"));
        assert.deepEqual(await notices(publisher, 1), ["+a"]);
        for (const topic of ["a", "ab", "b"]) await publisher.send(topic);
        assert.deepEqual(texts(await subscriber.receive()), ["b"]);
      }),
    );

    it("XPUB_NODROP: with a receiver's queue full, send is refused with EAGAIN (at once, as through zeromq.js) instead of dropping; nothing is lost", T, () =>
      withSockets(async (s) => {
        const { xpub, sub } = pubSub(s);
        const publisher = xpub({ noDrop: true, sendHighWaterMark: 10 }); // sendTimeout stays -1
        await publisher.bind(transport.bindAddress());
        const subscriber = sub({ receiveHighWaterMark: 10 });
        subscriber.connect(publisher.lastEndpoint!);
        subscriber.subscribe("n");
        assert.deepEqual(await notices(publisher, 1), ["+n"]);
        const payload = Buffer.alloc(8192, 7);
        let sent = 0;
        let refused: (Error & { code?: string }) | undefined;
        while (refused === undefined && sent < 100000) {
          try {
            await publisher.send(["n", String(sent), payload]);
            sent++;
          } catch (error) {
            refused = error as Error & { code?: string };
          }
          if (sent % 64 === 0) await turn();
        }
        assert.equal(refused?.code, "EAGAIN", `${sent} sends were never refused`);
        assert.equal(publisher.writable, true, "ZMQ_POLLOUT stays set, as in libzmq");
        for (let i = 0; i < sent; i++) assert.equal(texts(await subscriber.receive())[1], String(i));
        await publisher.send(["n", "room again", payload]);
        assert.equal(texts(await subscriber.receive())[1], "room again");
      }),
    );

    it(
      "10 000 subscriptions made in one turn all reach the XPUB (none lost to the high-water mark)",
      { ...T, skip: libName === "zeromq" ? "libzmq drops subscriptions at SNDHWM (libzmq #4064); omq keeps them" : false },
      () =>
      withSockets(async (s) => {
        const { xpub, sub } = pubSub(s);
        const publisher = xpub();
        await publisher.bind(transport.bindAddress());
        const subscriber = sub();
        subscriber.connect(publisher.lastEndpoint!);
        const n = 10000;
        const topics = Array.from({ length: n }, (_, i) => `topic/${i}`);
        subscriber.subscribe(...topics);
        const got = new Set(await notices(publisher, n));
        assert.equal(got.size, n);
        for (const topic of topics) assert.ok(got.has(`+${topic}`), topic);
        await settle(publisher, [subscriber], topics[n - 1]!);
      }),
    );

    it(
      "an XPUB takes data from an XSUB only while fewer than receiveHighWaterMark messages wait; the rest waits in the peer's queue",
      { ...T, skip: libName === "zeromq" ? "libzmq queues them without a bound" : transport.name === "inproc" ? false : "needs pipes with no kernel buffer between (inproc)" },
      () =>
        withSockets(async (s) => {
          const { xpub, xsub } = pubSub(s);
          const publisher = xpub({ receiveHighWaterMark: 5 });
          await publisher.bind(transport.bindAddress());
          const subscriber = xsub({ sendHighWaterMark: 5 });
          subscriber.connect(publisher.lastEndpoint!);
          for (let i = 0; i < 100; i++) await subscriber.send(["data", String(i)]); // XSUB drops when full
          const got: number[] = [];
          while (got.length === 0 || publisher.readable) got.push(Number(texts(await publisher.receive())[1]));
          assert.ok(got.length < 100, `all ${got.length} were taken in: the XPUB's queue is not bounded`);
          assert.deepEqual(got, Array.from({ length: got.length }, (_, i) => i));
          await subscriber.send(["data", "after"]); // the peer was read again as the queue emptied
          assert.deepEqual(texts(await publisher.receive()), ["data", "after"]);
        }),
    );

    it(
      "XSUB resends its subscriptions after a reconnect, to the publisher at the other end of the new connection",
      { ...T, skip: transport.stream ? false : "inproc has no connection to re-establish" },
      () =>
        withSockets(async (s) => {
          const { xpub, xsub } = pubSub(s);
          const first = xpub();
          await first.bind(transport.bindAddress());
          const endpoint = first.lastEndpoint!;
          const subscriber = xsub({ reconnectInterval: 10 });
          subscriber.connect(endpoint);
          await subscriber.send(subscription("kept"));
          assert.deepEqual(await notices(first, 1), ["+kept"]);
          await closeAndWait(first);
          const arriving = subscriber.receive(); // keeps the XSUB in use (libzmq handles the reconnect then)
          const second = xpub();
          await second.bind(endpoint);
          assert.deepEqual(await notices(second, 1), ["+kept"]);
          await second.send(["kept", "after the reconnect"]);
          assert.deepEqual(texts(await arriving), ["kept", "after the reconnect"]);
        }),
    );
  });
}

describe(`XPUB/XSUB API (zeromq-js-api.md §1.2, §2.7, §3) (${libName})`, () => {
  it("types, defaults, and write-only options", T, () =>
    withSockets(async (s) => {
      const { xpub, xsub } = pubSub(s);
      const publisher = xpub();
      const subscriber = xsub();
      assert.equal(publisher.type, 9);
      assert.equal(subscriber.type, 10);
      assert.equal(subscriber.linger, 0, "XSUB lingers 0 by default");
      assert.equal(publisher.writable, true);
      assert.equal(subscriber.writable, true, "an XSUB never blocks on send");
      publisher.verbosity = "allSubs";
      publisher.manual = true;
      publisher.noDrop = true;
      publisher.welcomeMessage = "hi";
      for (const name of ["verbosity", "manual", "noDrop", "welcomeMessage"]) {
        assert.equal((publisher as unknown as Record<string, unknown>)[name], undefined, `${name} is write-only`);
      }
      // An XSUB with no publisher: send resolves at once (nothing to block on).
      subscriber.sendTimeout = 0;
      await subscriber.send(subscription("a"));
      await subscriber.send("data nobody gets");
    }),
  );

  it("without manual, an XPUB refuses ZMQ_SUBSCRIBE (EINVAL)", T, () =>
    withSockets(async (s) => {
      const { xpub } = pubSub(s);
      assert.throws(() => manualSubscribe(xpub(), "a"), { code: "EINVAL" });
    }),
  );
});
