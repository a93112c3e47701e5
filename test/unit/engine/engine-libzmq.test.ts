import assert from "node:assert/strict";
import { once } from "node:events";
import * as net from "node:net";
import { after, before, describe, it } from "node:test";
import * as zmq from "zeromq";
import { Engine } from "../../../src/engine/engine";
import type { EngineOptions } from "../../../src/engine/options";
import type { Message } from "../../../src/message";
import { connectTo, engineOptions, holdLoop, nextMessage, portOf, spyWrites, StubHost } from "./harness";

// A native socket left with messages for a peer that is gone must not hold the process at exit.
zmq.context.blocky = false;

function occurrences(chunk: Buffer, text: string): number {
  let count = 0;
  for (let at = chunk.indexOf(text); at !== -1; at = chunk.indexOf(text, at + 1)) count++;
  return count;
}

/** Our engine dialling a bound libzmq socket. */
async function dial(endpoint: string, options: Partial<EngineOptions>, hwm = 1000): Promise<{ engine: Engine; host: StubHost }> {
  const host = new StubHost(hwm);
  const engine = new Engine(await connectTo(portOf(endpoint)), engineOptions({ endpoint, ...options }), host);
  engine.start();
  return { engine, host };
}

/** Our engine on the accepting side, for a libzmq socket that connects. */
async function accept(options: Partial<EngineOptions>, hwm = 1000) {
  const server = net.createServer();
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const endpoint = `tcp://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
  const host = new StubHost(hwm);
  const stream = once(server, "connection").then(([socket]) => {
    server.close();
    return socket as net.Socket;
  });
  const engine = stream.then((socket) => {
    const e = new Engine(socket, engineOptions({ endpoint, ...options }), host);
    e.start();
    return e;
  });
  return { endpoint, host, engine, stream };
}

const big = Buffer.alloc(1 << 20, 0x5a);
const samples: Message[] = [
  [Buffer.from("hello")],
  [Buffer.from("multi"), Buffer.alloc(0), Buffer.from("part")],
  [Buffer.alloc(0)],
  [big],
  [Buffer.alloc(300, 1), big, Buffer.from("tail")],
];

describe("Engine against libzmq", () => {
  let release: () => void;
  before(() => (release = holdLoop()));
  after(() => release());

  it("delivers multipart, empty and 1 MiB messages to a libzmq PULL", async () => {
    const pull = new zmq.Pull();
    await pull.bind("tcp://127.0.0.1:*");
    const { engine, host } = await dial(pull.lastEndpoint as string, { socketType: "PUSH" });
    const peer = await host.ready;
    assert.equal(peer.socketType, "PULL");
    for (const message of samples) assert.ok(host.outbound.write(message));
    for (const message of samples) assert.deepEqual(await pull.receive(), message);
    engine.close(-1);
    assert.equal(await host.closed, undefined);
    pull.close();
  });

  it("receives multipart, empty and 1 MiB messages from a libzmq PUSH", async () => {
    const { endpoint, host, engine } = await accept({ socketType: "PULL" });
    const push = new zmq.Push();
    push.connect(endpoint);
    for (const message of samples) await push.send(message);
    for (const message of samples) assert.deepEqual(await nextMessage(host.inbound), message);
    assert.equal((await host.ready).socketType, "PUSH");
    push.close();
    assert.equal(await host.closed, undefined); // libzmq closing is an orderly end
    assert.equal(host.closedCalls, 1);
    (await engine).destroy();
  });

  it("is refused by libzmq, and refuses it, when the socket types do not match", async () => {
    const push = new zmq.Push();
    await push.bind("tcp://127.0.0.1:*");
    const { host } = await dial(push.lastEndpoint as string, { socketType: "PUSH" });
    const error = await host.closed;
    assert.equal(error?.kind, "protocol");
    assert.equal(error?.code, "ERR_ZMTP_INVALID_METADATA");
    assert.equal(host.readyCalls, 0);
    push.close();
  });

  it("announces a DEALER's routing id to a libzmq ROUTER, which can reply", async () => {
    const router = new zmq.Router();
    await router.bind("tcp://127.0.0.1:*");
    const { engine, host } = await dial(router.lastEndpoint as string, {
      socketType: "DEALER",
      routingId: Buffer.from("omq-dealer"),
    });
    await host.ready;
    host.outbound.write([Buffer.from("request")]);
    const [id, body] = await router.receive();
    assert.equal(id.toString(), "omq-dealer");
    assert.equal(body.toString(), "request");
    await router.send([id, "reply", ""]);
    assert.deepEqual(await nextMessage(host.inbound), [Buffer.from("reply"), Buffer.alloc(0)]);
    engine.close(0);
    router.close();
  });

  it("learns a libzmq DEALER's Identity from its READY", async () => {
    const { endpoint, host, engine } = await accept({ socketType: "ROUTER" });
    const dealer = new zmq.Dealer({ routingId: "zmq-dealer" });
    dealer.connect(endpoint);
    const peer = await host.ready;
    assert.equal(peer.identity.toString(), "zmq-dealer");
    assert.equal(peer.metadata.get("identity")?.toString(), "zmq-dealer");
    dealer.close();
    await host.closed;
    (await engine).destroy();
  });

  it("sends a SUB's subscription as a ZMTP 3.1 SUBSCRIBE that libzmq understands", async () => {
    const xpub = new zmq.XPublisher();
    await xpub.bind("tcp://127.0.0.1:*");
    const { engine, host } = await dial(xpub.lastEndpoint as string, { socketType: "SUB" });
    await host.ready;
    host.outbound.write([Buffer.from("\x01news", "latin1")]);
    const [subscription] = await xpub.receive();
    assert.equal(subscription.toString("latin1"), "\x01news");
    await xpub.send(["news", "today"]);
    assert.deepEqual(await nextMessage(host.inbound), [Buffer.from("news"), Buffer.from("today")]);
    engine.close(0);
    xpub.close();
  });

  it("hands a libzmq SUB's subscription to an XPUB as a [1 + topic] message", async () => {
    const { endpoint, host, engine } = await accept({ socketType: "XPUB" });
    const sub = new zmq.Subscriber();
    sub.connect(endpoint);
    sub.subscribe("topic");
    assert.deepEqual(await nextMessage(host.inbound), [Buffer.from("\x01topic", "latin1")]);
    host.outbound.write([Buffer.from("topic"), Buffer.from("body")]);
    assert.deepEqual(await sub.receive(), [Buffer.from("topic"), Buffer.from("body")]);
    sub.unsubscribe("topic");
    assert.deepEqual(await nextMessage(host.inbound), [Buffer.from("\x00topic", "latin1")]);
    sub.close();
    await host.closed;
    (await engine).destroy();
  });

  it("stops reading when the inbound pipe is full and loses nothing", async () => {
    const hwm = 10;
    const { endpoint, host, engine } = await accept({ socketType: "PULL" }, hwm);
    const push = new zmq.Push({ sendHighWaterMark: 100_000 });
    push.connect(endpoint);
    const count = 5000;
    const refused = new Promise<void>((resolve) => (host.inbound.onRefused = resolve));
    for (let i = 0; i < count; i++) await push.send(`message ${i}`);
    await refused;
    assert.equal(host.inbound.length, hwm);
    for (let i = 0; i < count; i++) {
      const [body] = await nextMessage(host.inbound);
      assert.equal(body.toString(), `message ${i}`);
    }
    assert.ok(host.inbound.maxLength <= hwm);
    assert.ok(host.inbound.refusals > 0);
    push.close();
    await host.closed;
    (await engine).destroy();
  });

  it("flushes everything queued before ending on close(-1)", async () => {
    const pull = new zmq.Pull();
    await pull.bind("tcp://127.0.0.1:*");
    const { engine, host } = await dial(pull.lastEndpoint as string, { socketType: "PUSH" }, 0);
    await host.ready;
    const count = 2000;
    for (let i = 0; i < count; i++) host.outbound.write([Buffer.from(`m${i}`), Buffer.alloc(i % 7 === 0 ? 20_000 : 10)]);
    engine.close(-1);
    for (let i = 0; i < count; i++) assert.equal((await pull.receive())[0].toString(), `m${i}`);
    assert.equal(await host.closed, undefined);
    assert.equal(host.closedCalls, 1);
    pull.close();
  });

  it("answers a libzmq peer's heartbeats, so it is not dropped", async () => {
    const { endpoint, host, engine } = await accept({ socketType: "PULL" });
    // libzmq drops a peer that sends no traffic within heartbeatTimeout of a PING. Eighty
    // PINGs 5 ms apart span more than the 250 ms timeout: had we not answered them (we
    // count our PONGs), libzmq would have closed the connection instead of pinging on.
    let pongs = 0;
    let enough!: () => void;
    const enoughPongs = new Promise<void>((resolve) => (enough = resolve));
    const spy = spyWrites([], (bytes) => {
      pongs += occurrences(bytes, "PONG");
      if (pongs >= 80) enough();
    });
    const push = new zmq.Push({ heartbeatInterval: 5, heartbeatTimeout: 250 });
    push.connect(endpoint);
    await Promise.race([enoughPongs, host.closed]);
    spy.restore();
    assert.equal(host.closedCalls, 0, "libzmq dropped the connection");
    await push.send("still here");
    assert.deepEqual(await nextMessage(host.inbound), [Buffer.from("still here")]);
    push.close();
    // libzmq may close with our last PONG unread, which TCP reports as a reset.
    const error = await host.closed;
    assert.ok(error === undefined || error.kind === "io", String(error));
    (await engine).destroy();
  });
});
