// Every pattern with its tcp/ipc connections in I/O threads (new Context({ioThreads: n})),
// against libzmq (the native `zeromq` package) as the peer: omq on either end of the
// pattern, binding or connecting. What crosses must cross intact and in order, as it does
// with ioThreads 0 (test/interop).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { interopTransports, texts } from "../helpers";
import { nativeMissing } from "../helpers/interop";
import { join, withIo, type IoScope, type Side } from "./support";

const T = { timeout: 20000 };

type Run = (io: IoScope, sides: [Side, Side], bindFirst: boolean, address: string) => Promise<void>;

/** Makes the two sockets of a pattern, the first on sides[0]; binds the first or the second. */
async function pair<A, B>(io: IoScope, a: A, b: B, bindFirst: boolean, address: string): Promise<void> {
  type Bindable = { bind(a: string): Promise<void>; lastEndpoint: string | null; connect(a: string): void };
  const [binder, connecter] = bindFirst ? [a as Bindable, b as Bindable] : [b as Bindable, a as Bindable];
  await join(binder, connecter, address);
}

const patterns: Record<string, Run> = {
  "PUSH → PULL": async (io, [x, y], bindFirst, address) => {
    const push = io.make(x, "Push");
    const pull = io.make(y, "Pull");
    await pair(io, push, pull, bindFirst, address);
    const n = 2000;
    const sending = (async () => {
      for (let i = 0; i < n; i++) await push.send([String(i), "part"]);
    })();
    for (let i = 0; i < n; i++) {
      const message = texts(await pull.receive());
      if (message[0] !== String(i) || message[1] !== "part") assert.deepEqual(message, [String(i), "part"]);
    }
    await sending;
  },
  "REQ ↔ REP": async (io, [x, y], bindFirst, address) => {
    const req = io.make(x, "Request");
    const rep = io.make(y, "Reply");
    await pair(io, req, rep, bindFirst, address);
    for (let i = 0; i < 20; i++) {
      await req.send(`q${i}`);
      assert.deepEqual(texts(await rep.receive()), [`q${i}`]);
      await rep.send(`a${i}`);
      assert.deepEqual(texts(await req.receive()), [`a${i}`]);
    }
  },
  "DEALER ↔ ROUTER": async (io, [x, y], bindFirst, address) => {
    const dealer = io.make(x, "Dealer", { routingId: "dealer-1" });
    const router = io.make(y, "Router");
    await pair(io, dealer, router, bindFirst, address);
    await dealer.send(["hello", "there"]);
    const [id, ...rest] = await router.receive();
    assert.equal(id!.toString(), "dealer-1");
    assert.deepEqual(texts(rest), ["hello", "there"]);
    await router.send([id!, "back"]);
    assert.deepEqual(texts(await dealer.receive()), ["back"]);
  },
  "PUB → SUB": async (io, [x, y], bindFirst, address) => {
    const pub = io.make(x, "Publisher");
    const sub = io.make(y, "Subscriber");
    sub.subscribe("a");
    await pair(io, pub, sub, bindFirst, address);
    // Until the subscription has reached the publisher, what it sends is dropped: publish until one arrives.
    const receiving = sub.receive();
    let got: Buffer[] | undefined;
    void receiving.then((m) => (got = m));
    for (let i = 0; got === undefined && i < 2000; i++) {
      await pub.send("b-filtered");
      await pub.send(`a${i}`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    assert.match(texts((await receiving))[0]!, /^a\d+$/);
    await pub.send("b-filtered");
    await pub.send("a-last");
    let last: string;
    do last = texts(await sub.receive())[0]!;
    while (last !== "a-last" && last.startsWith("a"));
    assert.equal(last, "a-last", "only subscribed topics arrive");
  },
  "PAIR ↔ PAIR": async (io, [x, y], bindFirst, address) => {
    const a = io.make(x, "Pair");
    const b = io.make(y, "Pair");
    await pair(io, a, b, bindFirst, address);
    await a.send("ping");
    assert.deepEqual(texts(await b.receive()), ["ping"]);
    await b.send(["pong", ""]);
    assert.deepEqual(texts(await a.receive()), ["pong", ""]);
  },
};

const configs: { title: string; sides: [Side, Side]; bindFirst: boolean }[] = [
  { title: "omq first (binds) ↔ zeromq", sides: ["omq", "zeromq"], bindFirst: true },
  { title: "omq first ↔ zeromq (binds)", sides: ["omq", "zeromq"], bindFirst: false },
  { title: "zeromq first (binds) ↔ omq", sides: ["zeromq", "omq"], bindFirst: true },
  { title: "zeromq first ↔ omq (binds)", sides: ["zeromq", "omq"], bindFirst: false },
];

for (const ioThreads of [1, 2]) {
  for (const { transport, skip } of interopTransports) {
    describe(`ioThreads ${ioThreads}, every pattern over ${transport.name} against libzmq`, { skip: skip || nativeMissing() }, () => {
      for (const [name, run] of Object.entries(patterns)) {
        for (const config of configs) {
          it(`${name}: ${config.title}`, T, () => withIo(ioThreads, (io) => run(io, config.sides, config.bindFirst, transport.bindAddress())));
        }
      }
    });
  }
}

describe("ioThreads 2: omq ↔ omq, both sides in I/O threads", () => {
  it("PUSH → PULL over tcp: 20 000 messages in order, the two endpoints on different threads", T, () =>
    withIo(2, async (io) => {
      const push = io.make("omq", "Push");
      const pull = io.make("omq", "Pull");
      await join(pull, push, "tcp://127.0.0.1:*");
      const n = 20000;
      const sending = (async () => {
        for (let i = 0; i < n; i++) await push.send(String(i));
      })();
      for (let i = 0; i < n; i++) {
        const [frame] = await pull.receive();
        if (frame!.toString() !== String(i)) assert.equal(frame!.toString(), String(i));
      }
      await sending;
    }),
  );
});
