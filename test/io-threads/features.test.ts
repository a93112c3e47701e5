// I/O threads beyond the patterns: the option itself, monitor events, security (CURVE
// against libzmq, ZAP decided in the application's thread), heartbeats, close with linger.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { eventCount, texts, throwsCode, TCP } from "../helpers";
import { nativeMissing } from "../helpers/interop";
import { handshake, RawPeer } from "../helpers/zmtp";
import { join, withIo, type IoScope } from "./support";

const T = { timeout: 20000 };
const skipNative = { ...T, skip: nativeMissing() };
const closeContext = (io: IoScope) => (io.context as unknown as { close(): Promise<void> }).close();
const omq = () => require("../../src/index") as typeof import("../../src/index");

describe("the ioThreads option", () => {
  it("defaults to 0: connections run on the caller's event loop", () => {
    assert.equal(new (omq().Context)().ioThreads, 0);
  });

  for (const bad of [-1, 1.5, Number.NaN, Infinity, 65, "2" as unknown as number]) {
    it(`refuses ${String(bad)} with EINVAL, in the constructor and as a property`, () => {
      const { Context } = omq();
      throwsCode(() => new Context({ ioThreads: bad }), "EINVAL");
      const context = new Context({ ioThreads: 2 });
      throwsCode(() => (context.ioThreads = bad), "EINVAL");
      assert.equal(context.ioThreads, 2, "unchanged");
    });
  }
});

describe("ioThreads 1: events reach the socket's observer in the application's thread", () => {
  it("bind, accept, handshake on the binder; connect:delay, connect, handshake on the connecter; disconnect when the peer goes", T, () =>
    withIo(1, async (io) => {
      const pull = io.make("omq", "Pull");
      const push = io.make("omq", "Push");
      const seen = { pull: [] as string[], push: [] as string[] };
      const addresses = new Set<string>();
      const types = ["bind", "accept", "connect:delay", "connect", "handshake", "disconnect"] as const;
      for (const [name, socket] of [["pull", pull], ["push", push]] as const) {
        for (const type of types) {
          socket.events.on(type, (event: { address: string }) => {
            seen[name].push(type);
            addresses.add(event.address);
          });
        }
      }
      const handshakes = Promise.all([eventCount(pull, "handshake"), eventCount(push, "handshake")]);
      const endpoint = await join(pull, push, TCP.bindAddress());
      await handshakes;
      const disconnected = eventCount(pull, "disconnect");
      push.close();
      await disconnected;
      assert.deepEqual(seen.pull.slice(0, 3), ["bind", "accept", "handshake"]);
      assert.deepEqual(seen.push.slice(0, 3), ["connect:delay", "connect", "handshake"]);
      assert.ok(seen.pull.includes("disconnect"));
      assert.deepEqual([...addresses], [endpoint], "every event names the endpoint");
    }),
  );

  it("a failed bind rejects with the I/O thread's error (EADDRINUSE) and emits bind:error", T, () =>
    withIo(1, async (io) => {
      const first = io.make("omq", "Pull");
      await first.bind(TCP.bindAddress());
      const second = io.make("omq", "Pull");
      const failed = eventCount(second, "bind:error");
      await assert.rejects(second.bind(first.lastEndpoint!), (error: Error & { code?: string }) => error.code === "EADDRINUSE");
      await failed;
    }),
  );

  it("connect:retry while nobody listens, then the connection once a binder comes", T, () =>
    withIo(1, async (io) => {
      const address = await TCP.freeAddress();
      const push = io.make("omq", "Push", { reconnectInterval: 20 });
      const retried = eventCount(push, "connect:retry", 2);
      push.connect(address);
      await retried;
      const pull = io.make("omq", "Pull");
      await pull.bind(address);
      await push.send("late");
      assert.deepEqual(texts(await pull.receive()), ["late"]);
    }),
  );
});

describe("ioThreads 1: security handshakes run in the I/O thread", () => {
  const zapRequests: string[][] = [];

  /** A ZAP handler bound in the application's thread: admits PLAIN user "admin" with password "secret". */
  async function plainHandler(io: Parameters<Parameters<typeof withIo>[1]>[0]): Promise<void> {
    const handler = io.make("omq", "Reply", { linger: 0 });
    await handler.bind("inproc://zeromq.zap.01");
    void (async () => {
      for await (const [version, id, , , , mechanism, user, password] of handler) {
        zapRequests.push([String(mechanism), String(user), String(password)]);
        const ok = String(user) === "admin" && String(password) === "secret";
        await handler.send([version!, id!, ok ? "200" : "400", ok ? "OK" : "no", ok ? "admin" : "", ""]);
      }
    })().catch(() => {});
  }

  it("ZAP: the handler in main decides; an admitted libzmq client's messages arrive", skipNative, () =>
    withIo(1, async (io) => {
      zapRequests.length = 0;
      await plainHandler(io);
      const pull = io.make("omq", "Pull", { plainServer: true });
      const push = io.make("zeromq", "Push", { plainUsername: "admin", plainPassword: "secret" });
      await join(pull, push, TCP.bindAddress());
      await push.send("through");
      assert.deepEqual(texts(await pull.receive()), ["through"]);
      assert.deepEqual(zapRequests, [["PLAIN", "admin", "secret"]]);
    }),
  );

  it("ZAP: a refusal reaches the I/O thread: handshake:error:auth with status 400, nothing delivered", skipNative, () =>
    withIo(1, async (io) => {
      zapRequests.length = 0;
      await plainHandler(io);
      const pull = io.make("omq", "Pull", { plainServer: true, receiveTimeout: 200 });
      const failure = new Promise<number | undefined>((resolve) =>
        pull.events.on("handshake:error:auth", (event) => resolve((event.error as Error & { status?: number }).status)),
      );
      const push = io.make("zeromq", "Push", { plainUsername: "admin", plainPassword: "wrong" });
      await join(pull, push, TCP.bindAddress());
      void push.send("must not arrive").catch(() => {});
      assert.equal(await failure, 400);
      await assert.rejects(pull.receive(), (error: Error & { code?: string }) => error.code === "EAGAIN");
      assert.deepEqual(zapRequests[0], ["PLAIN", "admin", "wrong"]);
    }),
  );

  for (const omqRole of ["server", "client"] as const) {
    it(`CURVE against libzmq: omq ${omqRole === "server" ? "REP (server, binds)" : "REQ (client, connects)"}`, skipNative, () =>
      withIo(1, async (io) => {
        const server = io.native.curveKeyPair();
        const client = io.native.curveKeyPair();
        const serverOptions = { curveServer: true, curveSecretKey: server.secretKey, curvePublicKey: server.publicKey };
        const clientOptions = { curveServerKey: server.publicKey, curvePublicKey: client.publicKey, curveSecretKey: client.secretKey };
        const rep = io.make(omqRole === "server" ? "omq" : "zeromq", "Reply", serverOptions);
        const req = io.make(omqRole === "client" ? "omq" : "zeromq", "Request", clientOptions);
        await join(rep, req, TCP.bindAddress());
        for (const size of [5, 70_000]) {
          const body = Buffer.alloc(size, size % 251);
          await req.send(body);
          const [got] = await rep.receive();
          assert.ok(got!.equals(body), `${size} B request intact`);
          await rep.send([got!, "ok"]);
          const reply = await req.receive();
          assert.ok(reply[0]!.equals(body) && String(reply[1]) === "ok", `${size} B reply intact`);
        }
      }),
    );
  }
});

describe("ioThreads 1: heartbeats run in the I/O thread", () => {
  it("PINGs a silent peer, then drops it after heartbeatTimeout (disconnect)", T, () =>
    withIo(1, async (io) => {
      const pull = io.make("omq", "Pull", { heartbeatInterval: 30, heartbeatTimeout: 150 });
      await pull.bind(TCP.bindAddress());
      const disconnected = eventCount(pull, "disconnect");
      const raw = new RawPeer(pull.lastEndpoint!);
      await raw.connected;
      await raw.write(handshake("PUSH"));
      await disconnected;
      await raw.closed;
      assert.ok(raw.received.includes(Buffer.from("\x04PING")), "a PING came before the drop");
      raw.destroy();
    }),
  );
});

describe("ioThreads 1: STREAM (raw tcp) runs in the I/O thread too", () => {
  it("a raw client connects (empty message), sends, and gets the reply by its routing id", T, () =>
    withIo(1, async (io) => {
      const stream = io.make("omq", "Stream");
      await stream.bind(TCP.bindAddress());
      const raw = new RawPeer(stream.lastEndpoint!);
      await raw.connected;
      const [id, empty] = await stream.receive();
      assert.equal(empty!.length, 0, "a connection shows as an empty message");
      await raw.write(Buffer.from("hello"));
      const [from, data] = await stream.receive();
      assert.ok(from!.equals(id!));
      assert.equal(String(data), "hello");
      await stream.send([id!, "world"]);
      assert.equal(String(await raw.receivedAtLeast(5)), "world");
      raw.destroy();
    }),
  );
});

describe("close and linger with I/O threads", () => {
  it("close() right after sending: with linger -1 every queued message still reaches libzmq", skipNative, () =>
    withIo(1, async (io) => {
      const pull = io.make("zeromq", "Pull");
      await pull.bind(TCP.bindAddress());
      const push = io.make("omq", "Push", { linger: -1 });
      push.connect(pull.lastEndpoint!);
      const n = 3000;
      for (let i = 0; i < n; i++) await push.send([String(i), Buffer.alloc(100)]);
      push.close();
      for (let i = 0; i < n; i++) {
        const [index] = await pull.receive();
        if (String(index) !== String(i)) assert.equal(String(index), String(i));
      }
    }),
  );

  it("linger 0 drops what waits for a peer that never comes: context.close() resolves", T, () =>
    withIo(2, async (io) => {
      const push = io.make("omq", "Push", { linger: 0 });
      push.connect(await TCP.freeAddress());
      await push.send("nobody hears this");
      push.close();
      await closeContext(io);
    }),
  );

  it("a bounded linger gives up on a peer that never comes: context.close() resolves", T, () =>
    withIo(1, async (io) => {
      const push = io.make("omq", "Push", { linger: 50 });
      push.connect(await TCP.freeAddress());
      await push.send("nobody hears this either");
      push.close();
      await closeContext(io);
    }),
  );

  it("unbind and disconnect end the I/O thread's part: the peer sees the disconnect", T, () =>
    withIo(1, async (io) => {
      const pull = io.make("omq", "Pull");
      const push = io.make("omq", "Push");
      const endpoint = await join(pull, push, TCP.bindAddress());
      await push.send("one");
      await pull.receive();
      const gone = eventCount(pull, "disconnect");
      push.disconnect(endpoint);
      await gone;
      await pull.unbind(endpoint);
      const other = io.make("omq", "Push", { reconnectInterval: 20 });
      const refused = eventCount(other, "connect:retry");
      other.connect(endpoint);
      await refused;
    }),
  );
});
