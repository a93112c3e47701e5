import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import * as zmq from "../../src";
import { checkNumbered, numbered } from "./numbered";
import { RemoteSocket } from "./remote-socket";

// inproc:// between sockets of different threads of one process (issue 7): each socket lives in
// its own worker (remote-socket-worker.ts) or in this thread, in that thread's default context.
// Every worker is closed through the test and must then end by itself (exit code 0): nothing of
// omq may keep a thread alive after its sockets closed.
const T = { timeout: 60_000 };
let names = 0;
const address = (): string => `inproc://threads-${process.pid}-${names++}`;

async function pair<A extends RemoteSocket>(binder: Promise<A>, connecter: Promise<RemoteSocket>, addr: string): Promise<[A, RemoteSocket]> {
  const b = await binder;
  await b.bind(addr);
  const c = await connecter;
  await c.connect(addr);
  return [b, c];
}

async function closeAll(...sockets: RemoteSocket[]): Promise<void> {
  assert.deepEqual(await Promise.all(sockets.map((s) => s.close())), sockets.map(() => 0), "every worker ended by itself");
}

describe("inproc:// across worker threads", () => {
  after(() => RemoteSocket.terminateAll());

  it("PUSH → PULL, bind then connect: 100 000 messages in order, none lost", T, async () => {
    const addr = address();
    const [pull, push] = await pair(RemoteSocket.start("Pull"), RemoteSocket.start("Push"), addr);
    const count = 100_000;
    const [received, sent] = await Promise.all([
      pull.call({ op: "receiveNumbered", count, size: 0 }),
      push.call({ op: "sendNumbered", from: 0, count, size: 0 }),
    ]);
    assert.deepEqual([received, sent], [count, count]);
    assert.deepEqual(await pull.event("accept"), { type: "accept", address: addr, code: undefined });
    await closeAll(push, pull);
  });

  it("connect before bind: what was sent before the name existed is delivered once it is bound", T, async () => {
    const addr = address();
    const push = await RemoteSocket.start("Push");
    await push.connect(addr);
    await push.call({ op: "sendNumbered", from: 0, count: 500, size: 100 });
    const pull = await RemoteSocket.start("Pull");
    await pull.bind(addr);
    assert.equal(await pull.call({ op: "receiveNumbered", count: 500, size: 100 }), 500);
    await closeAll(push, pull);
  });

  it("between this thread and a worker, either one binding", T, async () => {
    const here = new zmq.Pull();
    const addr = address();
    await here.bind(addr);
    const push = await RemoteSocket.start("Push");
    await push.connect(addr);
    await push.call({ op: "sendNumbered", from: 0, count: 1000, size: 10 });
    for (let i = 0; i < 1000; i++) checkNumbered(await here.receive(), i, 10);

    const addr2 = address();
    const pull = await RemoteSocket.start("Pull");
    await pull.bind(addr2);
    const out = new zmq.Push();
    out.connect(addr2);
    const receiving = pull.call({ op: "receiveNumbered", count: 1000, size: 10 });
    for (let i = 0; i < 1000; i++) await out.send(numbered(i, 10));
    assert.equal(await receiving, 1000);
    here.close();
    out.close();
    await closeAll(push, pull);
  });

  it("REQ → REP: requests and replies alternate across threads", T, async () => {
    const [rep, req] = await pair(RemoteSocket.start("Reply"), RemoteSocket.start("Request"), address());
    for (let i = 0; i < 20; i++) {
      await req.send(["question", String(i)]);
      assert.deepEqual(await rep.texts(), ["question", String(i)]);
      await rep.send(["answer", String(i)]);
      assert.deepEqual(await req.texts(), ["answer", String(i)]);
    }
    await closeAll(req, rep);
  });

  it("DEALER → ROUTER: the ROUTER sees the DEALER's routing id and routes replies by it", T, async () => {
    const addr = address();
    const router = await RemoteSocket.start("Router");
    await router.bind(addr);
    const [d1, d2] = await Promise.all([RemoteSocket.start("Dealer", { routingId: "d-1" }), RemoteSocket.start("Dealer", { routingId: "d-2" })]);
    await Promise.all([d1.connect(addr), d2.connect(addr)]);
    await d1.send(["from one"]);
    await d2.send(["from two"]);
    const got = [await router.texts(), await router.texts()].sort((a, b) => a[0]!.localeCompare(b[0]!));
    assert.deepEqual(got, [["d-1", "from one"], ["d-2", "from two"]]);
    await router.send(["d-2", "to two"]);
    await router.send(["d-1", "to one"]);
    assert.deepEqual(await d1.texts(), ["to one"]);
    assert.deepEqual(await d2.texts(), ["to two"]);
    await closeAll(d1, d2, router);
  });

  it("SUB → XPUB: subscriptions travel upstream; the publisher sends only what was asked for", T, async () => {
    const [xpub, sub] = await pair(RemoteSocket.start("XPublisher"), RemoteSocket.start("Subscriber"), address());
    await sub.call({ op: "subscribe", topic: "a" });
    assert.deepEqual([...(await xpub.receive())[0]!], [1, "a".charCodeAt(0)]);
    for (const topic of ["a1", "b1", "a2"]) await xpub.send([topic]);
    assert.deepEqual([await sub.texts(), await sub.texts()], [["a1"], ["a2"]]);
    await closeAll(sub, xpub);
  });

  it("XSUB → PUB: an XSUB's subscription message reaches the publisher of another thread", T, async () => {
    const [pub, xsub] = await pair(RemoteSocket.start("Publisher"), RemoteSocket.start("XSubscriber", { receiveTimeout: 200 }), address());
    await xsub.send([Buffer.from([1, "t".charCodeAt(0)])]);
    // The PUB says nothing when a subscription lands: it publishes until the first one comes through.
    for (;;) {
      await pub.send(["x-not-wanted"]);
      await pub.send(["t-wanted"]);
      const got = await xsub.texts().catch((error: { code?: string }) => (error.code === "EAGAIN" ? undefined : Promise.reject(error)));
      if (got === undefined) continue;
      assert.deepEqual(got, ["t-wanted"]);
      break;
    }
    await closeAll(xsub, pub);
  });

  it("PAIR ↔ PAIR, both ways", T, async () => {
    const [a, b] = await pair(RemoteSocket.start("Pair"), RemoteSocket.start("Pair"), address());
    await a.send(["to b"]);
    await b.send(["to a"]);
    assert.deepEqual(await b.texts(), ["to b"]);
    assert.deepEqual(await a.texts(), ["to a"]);
    await closeAll(a, b);
  });

  it("multipart and large messages (sent aside, and larger than the ring) keep their frames and their place", T, async () => {
    const [pull, push] = await pair(RemoteSocket.start("Pull"), RemoteSocket.start("Push"), address());
    const sizes = [0, 7, 200_000, 16, 3 * 1024 * 1024, 1];
    const message = (i: number, size: number): Buffer[] => [Buffer.from(String(i)), Buffer.alloc(0), Buffer.alloc(size, i + 1)];
    for (const [i, size] of sizes.entries()) await push.send(message(i, size));
    for (const [i, size] of sizes.entries()) assert.deepEqual(await pull.receive(), message(i, size));
    await closeAll(push, pull);
  });

  it("back-pressure: a reader that does not read stops the writer at the HWMs plus the ring, then gets it all", T, async () => {
    const [pull, push] = await pair(
      RemoteSocket.start("Pull", { receiveHighWaterMark: 10 }),
      RemoteSocket.start("Push", { sendHighWaterMark: 10, sendTimeout: 300 }),
      address(),
    );
    const size = 4096;
    const taken = await push.call<number>({ op: "sendUntilBlocked", size });
    // The connecter's pipe is made at connect, before the binder is known, with its own limits
    // (10 + its receive HWM, 1000), as for connect-before-bind within a thread; the binder's
    // holds 10 + 10; the 512 KiB ring about 127 records of 4 KiB.
    assert.ok(taken >= 40 && taken <= 1010 + 20 + 130, `${taken} messages taken before the sender blocked`);
    assert.equal(await pull.call({ op: "receiveNumbered", count: taken, size }), taken);
    await closeAll(push, pull);
  });

  it("close with linger: what a socket sent before closing still arrives, and its thread then ends", T, async () => {
    const addr = address();
    const [pull, push] = await pair(
      RemoteSocket.start("Pull", { receiveHighWaterMark: 10 }),
      RemoteSocket.start("Push", { sendHighWaterMark: 2000 }),
      addr,
    );
    // The sender's pipe (made at connect: 2000 + its receive HWM, 1000) takes them all; the
    // ring (~500 of 1 KiB) and the receiver's pipe (2000 + 10) cannot: some wait in the
    // sender's pipe when it closes.
    const count = 3000;
    await push.call({ op: "sendNumbered", from: 0, count, size: 1024 });
    const pushExit = push.close();
    assert.equal(await pull.call({ op: "receiveNumbered", count, size: 1024 }), count);
    assert.equal(await pushExit, 0);
    assert.deepEqual(await pull.event("disconnect"), { type: "disconnect", address: addr, code: undefined });
    await closeAll(pull);
  });

  it("the binder closing ends the link: the connecter reads what was sent, then gets disconnect", T, async () => {
    const addr = address();
    const [a, b] = await pair(RemoteSocket.start("Pair"), RemoteSocket.start("Pair"), addr);
    await a.send(["last words"]);
    await closeAll(a);
    assert.deepEqual(await b.texts(), ["last words"]);
    assert.deepEqual(await b.event("disconnect"), { type: "disconnect", address: addr, code: undefined });
    await closeAll(b);
  });

  it("disconnect() on the connecter ends the link for the binder", T, async () => {
    const addr = address();
    const [a, b] = await pair(RemoteSocket.start("Pair"), RemoteSocket.start("Pair"), addr);
    await b.send(["hello"]);
    assert.deepEqual(await a.texts(), ["hello"]);
    await b.call({ op: "disconnect", address: addr });
    assert.deepEqual(await a.event("disconnect"), { type: "disconnect", address: addr, code: undefined });
    await closeAll(a, b);
  });

  it("incompatible socket types are refused (ENOCOMPATPROTO on the connecter)", T, async () => {
    const addr = address();
    const [a, b] = await pair(RemoteSocket.start("Push"), RemoteSocket.start("Push"), addr);
    const event = await b.event("handshake:error:protocol");
    assert.deepEqual(event, { type: "handshake:error:protocol", address: addr, code: "ENOCOMPATPROTO" });
    await closeAll(a, b);
  });

  for (const how of ["process.exit()", "Worker.terminate()"] as const) {
    it(`a worker that ends by ${how} mid-stream is detached here, and this thread goes on`, T, async () => {
      const here = new zmq.Pair();
      const addr = address();
      await here.bind(addr);
      let disconnected = false;
      here.events.on("disconnect", () => (disconnected = true));
      const gone = await RemoteSocket.start("Pair");
      await gone.connect(addr);
      const stream = gone.call({ op: "sendNumbered", from: 0, count: 1_000_000, size: 8, exitAfter: how === "process.exit()" ? 5000 : undefined });
      stream.catch(() => {}); // the worker dies with this call pending
      for (let i = 0; i < 3000; i++) checkNumbered(await here.receive(), i, 8);
      if (how === "Worker.terminate()") await gone.worker.terminate();
      assert.equal(await gone.exited, how === "process.exit()" ? 7 : 1);
      // What was published before the end is still read, in order; once it is all read the peer
      // is detached ("disconnect"). The timeout only lets the loop look at that flag again.
      here.receiveTimeout = 100;
      for (let i = 3000; !disconnected; ) {
        const message = await here.receive().catch((error: { code?: string }) => (error.code === "EAGAIN" ? undefined : Promise.reject(error)));
        if (message !== undefined) checkNumbered(message, i++, 8);
      }
      here.receiveTimeout = -1;
      // PAIR takes one peer at a time: a new one is accepted only because the dead one left.
      const next = await RemoteSocket.start("Pair");
      await next.connect(addr);
      await next.send(["still here"]);
      assert.deepEqual((await here.receive()).map(String), ["still here"]);
      here.close();
      here.events.close();
      await closeAll(next);
    });
  }
});
