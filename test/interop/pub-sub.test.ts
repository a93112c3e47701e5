// RFC 29 (PUBSUB) against libzmq 4.3.5 (the native `zeromq` package), over tcp and ipc, each
// side binding in turn. libzmq speaks ZMTP 3.1, so subscriptions travel as SUBSCRIBE and
// CANCEL commands here. A subscription needs time to travel: tests publish probes until one
// arrives (settle), or watch an XPUB, and never sleep.
//
// libzmq attaches a connection to a socket when the application next uses that socket, so
// a native socket that only waits is kept in use by a pending receive (or by sending).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ALL_TRANSPORTS, loadLib, native, texts, withSockets, type Zmq } from "../helpers";
import { manualSubscribe, notices, pubSub, settle, subscription } from "../helpers/pub-sub";

const T = { timeout: 20000 };

function nativeMissing(): string | false {
  try {
    native();
    return false;
  } catch {
    return "the native zeromq package is not installed";
  }
}
const skip = nativeMissing();

/** Receives until the fence [topic, "fence"]; returns what came before it, as strings. */
async function untilFence(sub: { receive(): Promise<Buffer[]> }, topic = "fence"): Promise<string[][]> {
  const got: string[][] = [];
  for (;;) {
    const message = texts(await sub.receive());
    if (message[0] === topic && message[1] === "fence") return got;
    got.push(message);
  }
}

/** Binds `binder`, connects `connecter` to it. */
async function link(binder: { bind(a: string): Promise<void>; readonly lastEndpoint: string | null }, connecter: { connect(a: string): void }, address: string): Promise<void> {
  await binder.bind(address);
  connecter.connect(binder.lastEndpoint!);
}

const pairs: { name: string; pubLib: () => Zmq; subLib: () => Zmq }[] = [
  { name: "omq PUB → libzmq SUB", pubLib: () => loadLib("omq"), subLib: native },
  { name: "libzmq PUB → omq SUB", pubLib: native, subLib: () => loadLib("omq") },
];

for (const transport of ALL_TRANSPORTS.filter((t) => t.crossLibrary)) {
  describe(`RFC 29 interop with libzmq over ${transport.name}`, { skip }, () => {
    for (const { name, pubLib, subLib } of pairs) {
      for (const binds of ["PUB", "SUB"] as const) {
        it(`${name}, ${binds} binds: SHALL perform a binary comparison of the subscription against the start of the first frame`, T, () =>
          withSockets(async (s) => {
            const publisher = pubSub(s.fork(pubLib())).pub();
            const subscriber = pubSub(s.fork(subLib())).sub();
            subscriber.subscribe("ab", Buffer.from([0, 0xff]), "fence");
            if (binds === "PUB") await link(publisher, subscriber, transport.bindAddress());
            else await link(subscriber, publisher, transport.bindAddress());
            await settle(publisher, [subscriber], "fence");
            const sent = [["a"], ["ab", "second frame"], ["abc"], ["b", "ab"], ["Ab"]];
            for (const message of sent) await publisher.send(message);
            await publisher.send([Buffer.from([0, 0xff, 7]), Buffer.from("binary")]);
            await publisher.send([Buffer.from([0, 0xfe])]);
            await publisher.send(["fence", "fence"]);
            const got = await untilFence(subscriber);
            assert.deepEqual(got.slice(0, 2), [["ab", "second frame"], ["abc"]]);
            assert.equal(got.length, 3);
            assert.equal(got[2]![1], "binary");

            subscriber.unsubscribe("ab");
            subscriber.subscribe("later");
            await settle(publisher, [subscriber], "later");
            await publisher.send(["abc", "unsubscribed"]);
            await publisher.send(["fence", "fence"]);
            assert.deepEqual(await untilFence(subscriber), []);
          }),
        );
      }
    }

    for (const binds of ["XPUB", "SUB"] as const) {
      it(`omq XPUB sees a libzmq SUB's subscriptions, cancels, and its disconnect (${binds} binds)`, T, () =>
        withSockets(async (s) => {
          const xpub = pubSub(s).xpub();
          const subscriber = pubSub(s.fork(native())).sub();
          const waiting = subscriber.receive(); // keeps the native SUB in use
          waiting.catch(() => {});
          if (binds === "XPUB") await link(xpub, subscriber, transport.bindAddress());
          else await link(subscriber, xpub, transport.bindAddress());
          subscriber.subscribe("a", "b", "b");
          assert.deepEqual(await notices(xpub, 2), ["+a", "+b"]);
          subscriber.unsubscribe("a", "b");
          assert.deepEqual(await notices(xpub, 1), ["-a"], "b has one reference left at the SUB");
          await xpub.send(["b", "to libzmq"]);
          assert.deepEqual(texts(await waiting), ["b", "to libzmq"]);
          // RFC 29: a suitable unsubscribe request for a subscriber that disconnects. Only when
          // the XPUB accepted the connection: a connecting XPUB keeps the peer's queue across
          // reconnects, and neither libzmq nor omq reports anything then.
          if (binds === "SUB") return;
          subscriber.close();
          assert.deepEqual(await notices(xpub, 1), ["-b"]);
        }),
      );

      it(`omq SUB subscribes through a libzmq XPUB (${binds === "XPUB" ? "XPUB" : "SUB"} binds)`, T, () =>
        withSockets(async (s) => {
          const xpub = pubSub(s.fork(native())).xpub();
          const subscriber = pubSub(s).sub();
          subscriber.subscribe("t", "u");
          if (binds === "XPUB") await link(xpub, subscriber, transport.bindAddress());
          else await link(subscriber, xpub, transport.bindAddress());
          assert.deepEqual(await notices(xpub, 2), ["+t", "+u"]);
          await xpub.send(["t", "from libzmq"]);
          await xpub.send(["x", "not subscribed"]);
          await xpub.send(["u", "again"]);
          assert.deepEqual(texts(await subscriber.receive()), ["t", "from libzmq"]);
          assert.deepEqual(texts(await subscriber.receive()), ["u", "again"]);
          subscriber.unsubscribe("t");
          assert.deepEqual(await notices(xpub, 1), ["-t"]);
        }),
      );
    }

    it("omq XSUB subscribes to a libzmq PUB, and a libzmq XSUB to an omq XPUB (data upstream too)", T, () =>
      withSockets(async (s) => {
        const omq = pubSub(s);
        const lib = pubSub(s.fork(native()));
        const publisher = lib.pub();
        const xsub = omq.xsub();
        await link(publisher, xsub, transport.bindAddress());
        await xsub.send(subscription("fence"));
        await settle(publisher, [xsub], "fence");
        await publisher.send(["other", "filtered by libzmq"]);
        await publisher.send(["fence", "fence"]);
        assert.deepEqual(await untilFence(xsub), []);

        const xpub = omq.xpub();
        const nativeXsub = lib.xsub();
        await link(xpub, nativeXsub, transport.bindAddress());
        await nativeXsub.send(subscription("topic"));
        assert.deepEqual(await notices(xpub, 1), ["+topic"]);
        await nativeXsub.send(["upstream", "data"]);
        assert.deepEqual(texts(await xpub.receive()), ["upstream", "data"]);
        await xpub.send(["topic", "down"]);
        assert.deepEqual(texts(await nativeXsub.receive()), ["topic", "down"]);
      }),
    );

    it("omq XPUB_MANUAL grants a libzmq SUB less than it asked for", T, () =>
      withSockets(async (s) => {
        const xpub = pubSub(s).xpub({ manual: true });
        const subscriber = pubSub(s.fork(native())).sub();
        const waiting = subscriber.receive();
        await link(xpub, subscriber, transport.bindAddress());
        subscriber.subscribe("");
        assert.deepEqual(await notices(xpub, 1), ["+"]);
        manualSubscribe(xpub, "granted");
        await xpub.send(["other", "x"]);
        await xpub.send(["granted", "y"]);
        assert.deepEqual(texts(await waiting), ["granted", "y"]);
      }),
    );

    it("omq PUB → libzmq XSUB/XPUB proxy → omq SUB", T, () =>
      withSockets(async (s) => {
        const lib = native();
        const scope = s.fork(lib);
        const { xsub: frontEnd, xpub: backEnd } = pubSub(scope);
        const front = frontEnd();
        const back = backEnd();
        await front.bind(transport.bindAddress());
        await back.bind(transport.bindAddress());
        const proxy = new lib.Proxy(front, back);
        const running = proxy.run();
        try {
          const omq = pubSub(s);
          const publisher = omq.pub();
          const subscriber = omq.sub();
          publisher.connect(front.lastEndpoint!);
          subscriber.connect(back.lastEndpoint!);
          subscriber.subscribe("t");
          await settle(publisher, [subscriber], "t");
          await publisher.send(["x", "not subscribed"]);
          await publisher.send(["t", "through the proxy"]);
          assert.deepEqual(texts(await subscriber.receive()), ["t", "through the proxy"]);
        } finally {
          proxy.terminate();
          await running; // closes both proxy sockets
        }
      }),
    );
  });
}
