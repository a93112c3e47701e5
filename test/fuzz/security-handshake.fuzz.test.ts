// Bad input against omq's PLAIN and CURVE servers and CURVE client, from hand-driven peers
// on raw TCP: each case must end with that peer dropped (its connection closed by omq),
// no exception anywhere, and the socket still serving a well-behaved client afterwards.
import assert from "node:assert/strict";
import * as net from "node:net";
import { after, before, describe, it } from "node:test";
import { loadCurveCrypto, type CurveCrypto } from "../../src/mechanisms/curve-crypto";
import { parseCurveKey } from "../../src/mechanisms/curve-keys";
import { encodeCommand } from "../../src/zmtp/commands";
import { encodeGreeting } from "../../src/zmtp/greeting";
import { guardProcess, lib, TCP, withSockets, type ProcessGuard, type Sockets } from "../helpers";
import { startAuthenticator } from "../spec/security-patterns";
import { handPeer } from "../unit/mechanisms/curve-peer";
import { curveByHand, WirePeer } from "../unit/mechanisms/wire-peer";
import { frame } from "../unit/engine/harness";
import { Prng } from "./prng";

const T = { timeout: 30000 };
let crypto: CurveCrypto;
let guard: ProcessGuard;
before(async () => {
  crypto = await loadCurveCrypto();
  guard = guardProcess();
});
after(() => guard.dispose());

/** A CURVE PULL server (no handler: any client with its key), and what a good client needs. */
async function curveServer(s: Sockets, handshakeInterval = 30000) {
  const keys = lib().curveKeyPair();
  const pull = s.pull({ curveServer: true, curveSecretKey: keys.secretKey, handshakeInterval });
  await pull.bind(TCP.bindAddress());
  return { pull, endpoint: pull.lastEndpoint!, serverKey: parseCurveKey(keys.publicKey)!, keys };
}

/**
 * A good omq client gets a message through: the server survived whatever came before.
 * (A bad peer's valid messages before its first bad frame may be delivered first.)
 */
async function stillServes(s: Sockets, pull: { receive(): Promise<Buffer[]> }, endpoint: string, options: Record<string, unknown>): Promise<void> {
  const push = s.fork().push(options as never);
  push.connect(endpoint);
  await push.send("still alive");
  let message = (await pull.receive()).map(String);
  if (message[0] !== "still alive") message = (await pull.receive()).map(String);
  assert.deepEqual(message, ["still alive"]);
  guard.check();
}

describe("CURVE server: bad HELLO, INITIATE and MESSAGE each drop the peer", () => {
  const cases: [string, (peer: WirePeer, serverKey: Buffer) => Promise<void> | void][] = [
    ["a truncated HELLO (199 octets)", (p, k) => p.command(handPeer(crypto, crypto.keyPair(), k).hello().subarray(0, 199))],
    ["an oversized HELLO (201 octets)", (p, k) => p.command(Buffer.concat([handPeer(crypto, crypto.keyPair(), k).hello(), Buffer.alloc(1)]))],
    ["a 70 000-octet HELLO", (p) => p.command(encodeCommand("HELLO", Buffer.alloc(70_000)))],
    ["a HELLO whose box does not open", (p, k) => { const h = handPeer(crypto, crypto.keyPair(), k).hello(); h[150]! ^= 1; p.command(h); }],
    ["a message frame instead of HELLO", (p) => p.message(Buffer.from("data"))],
    ["a truncated INITIATE", async (p, k) => {
      const hand = handPeer(crypto, crypto.keyPair(), k);
      p.command(hand.hello());
      hand.welcome((await p.next())!.body);
      p.command(hand.initiate().subarray(0, 200));
    }],
    ["INITIATE metadata whose declared length overruns the box (CVE-2019-13132)", async (p, k) => {
      const hand = handPeer(crypto, crypto.keyPair(), k);
      p.command(hand.hello());
      hand.welcome((await p.next())!.body);
      p.command(hand.initiate({ metadata: Buffer.from("\x0bSocket-Type\xff\xff\xff\xf0PUSH", "latin1") }));
    }],
  ];
  for (const [what, send] of cases) {
    it(what, T, () =>
      withSockets(async (s) => {
        const { pull, endpoint, serverKey, keys } = await curveServer(s);
        const peer = await WirePeer.connect(endpoint, "CURVE");
        await send(peer, serverKey);
        await peer.closed;
        await stillServes(s, pull, endpoint, { curveServerKey: keys.publicKey, ...clientKeys() });
      }));
  }

  const afterHandshake: [string, (peer: WirePeer, messages: Awaited<ReturnType<typeof curveByHand>>["messages"]) => void][] = [
    ["a MESSAGE box with a bad MAC", (p, m) => { const box = m.encode(Buffer.from("x"), false); box[box.length - 1]! ^= 1; p.message(box); }],
    ["a replayed MESSAGE nonce", (p, m) => { const box = m.encode(Buffer.from("x"), false); p.message(box); p.message(box); }],
    ["MESSAGEs out of nonce order", (p, m) => { const a = m.encode(Buffer.from("a"), false); const b = m.encode(Buffer.from("b"), false); p.message(b); p.message(a); }],
    ["a MESSAGE too short to hold a box", (p) => p.message(Buffer.from("\x07MESSAGE\x00\x00\x00\x00\x00\x00\x00\x09", "latin1"))],
    ["a plain-text PING after the handshake", (p) => p.command(Buffer.from("\x04PING\x00\x00", "latin1"))],
  ];
  for (const [what, send] of afterHandshake) {
    it(`after the handshake: ${what}`, T, () =>
      withSockets(async (s) => {
        const { pull, endpoint, serverKey, keys } = await curveServer(s);
        const { peer, messages } = await curveByHand(endpoint, crypto, serverKey);
        send(peer, messages);
        await peer.closed;
        await stillServes(s, pull, endpoint, { curveServerKey: keys.publicKey, ...clientKeys() });
      }));
  }

  it("a good box before the bad one is delivered; nothing after it is", T, () =>
    withSockets(async (s) => {
      const { pull, endpoint, serverKey } = await curveServer(s);
      const { peer, messages } = await curveByHand(endpoint, crypto, serverKey);
      const replay = messages.encode(Buffer.from("first"), false);
      peer.message(replay);
      peer.message(replay);
      peer.message(messages.encode(Buffer.from("after"), false));
      await peer.closed;
      assert.deepEqual((await pull.receive()).map(String), ["first"]);
      pull.receiveTimeout = 0;
      await assert.rejects(pull.receive(), { code: "EAGAIN" });
    }));

  it("a client that never finishes the handshake is dropped after handshakeInterval", T, () =>
    withSockets(async (s) => {
      const { pull, endpoint, serverKey, keys } = await curveServer(s, 200);
      const peer = await WirePeer.connect(endpoint, "CURVE");
      peer.command(handPeer(crypto, crypto.keyPair(), serverKey).hello());
      assert.equal((await peer.next())?.body.toString("latin1", 1, 8), "WELCOME");
      await peer.closed; // no INITIATE: the handshake timer ends it
      await stillServes(s, pull, endpoint, { curveServerKey: keys.publicKey, ...clientKeys() });
    }));

  it("random corruption of a valid opening, 40 rounds: each connection ends, the server stays up", T, () =>
    withSockets(async (s) => {
      const prng = new Prng(0x5ec);
      const { pull, endpoint, serverKey, keys } = await curveServer(s, 200);
      for (let round = 0; round < 40; round++) {
        const hand = handPeer(crypto, crypto.keyPair(), serverKey);
        const opening = Buffer.concat([encodeGreeting("CURVE", false), frame(0x04, hand.hello())]);
        for (let i = 0, flips = 1 + prng.int(3); i < flips; i++) opening[prng.int(opening.length)] = prng.int(256);
        const socket = net.connect(Number(endpoint.split(":").pop()), "127.0.0.1");
        socket.on("error", () => {});
        const closed = new Promise((resolve) => socket.once("close", resolve));
        for (const piece of prng.split(opening, 1 + prng.int(80))) socket.write(piece);
        socket.resume();
        await closed;
      }
      await stillServes(s, pull, endpoint, { curveServerKey: keys.publicKey, ...clientKeys() });
    }));
});

describe("PLAIN server: bad HELLO and INITIATE drop the peer", () => {
  const cases: [string, Buffer][] = [
    ["a HELLO whose username overruns it", Buffer.from("\x05HELLO\x40admin", "latin1")],
    ["a HELLO with data after the password", Buffer.from("\x05HELLO\x05admin\x06secretXYZ", "latin1")],
    ["an empty HELLO", Buffer.from("\x05HELLO", "latin1")],
    ["INITIATE before HELLO", Buffer.from("\x08INITIATE", "latin1")],
  ];
  for (const [what, body] of cases) {
    it(what, T, () =>
      withSockets(async (s) => {
        const auth = await startAuthenticator(s, (a) => a.plain({ admin: "secret" }));
        try {
          const pull = s.pull({ plainServer: true });
          await pull.bind(TCP.bindAddress());
          const peer = await WirePeer.connect(pull.lastEndpoint!, "PLAIN");
          peer.command(body);
          await peer.closed;
          await stillServes(s, pull, pull.lastEndpoint!, { plainUsername: "admin", plainPassword: "secret" });
        } finally {
          await auth.close();
        }
      }));
  }

  it("INITIATE metadata whose declared length overruns the command (CVE-2019-13132)", T, () =>
    withSockets(async (s) => {
      const auth = await startAuthenticator(s, (a) => a.plain({ admin: "secret" }));
      try {
        const pull = s.pull({ plainServer: true });
        await pull.bind(TCP.bindAddress());
        const peer = await WirePeer.connect(pull.lastEndpoint!, "PLAIN");
        peer.command(Buffer.from("\x05HELLO\x05admin\x06secret", "latin1"));
        assert.equal((await peer.next())?.body.toString("latin1"), "\x07WELCOME");
        peer.command(Buffer.from("\x08INITIATE\x0bSocket-Type\x00\x00\x10\x00PUSH", "latin1"));
        await peer.closed;
        await stillServes(s, pull, pull.lastEndpoint!, { plainUsername: "admin", plainPassword: "secret" });
      } finally {
        await auth.close();
      }
    }));
});

describe("CURVE client: a bad WELCOME drops the server", () => {
  for (const [what, welcome] of [
    ["a truncated WELCOME", encodeCommand("WELCOME", Buffer.alloc(100))],
    ["an oversized WELCOME", encodeCommand("WELCOME", Buffer.alloc(400))],
    ["a WELCOME whose box does not open", encodeCommand("WELCOME", Buffer.alloc(160, 1))],
  ] as const) {
    it(what, T, () =>
      withSockets(async (s) => {
        const server = net.createServer().listen(0, "127.0.0.1");
        const accepted = new Promise<net.Socket>((resolve) => server.once("connection", resolve));
        await new Promise((resolve) => server.once("listening", resolve));
        try {
          const push = s.push({ curveServerKey: lib().curveKeyPair().publicKey, ...clientKeys() });
          push.connect(`tcp://127.0.0.1:${(server.address() as net.AddressInfo).port}`);
          const raw = new WirePeer(await accepted);
          raw.send(encodeGreeting("CURVE", true));
          assert.equal((await raw.next())?.body.length, 200); // HELLO
          raw.command(welcome);
          await raw.closed;
          guard.check();
        } finally {
          server.close();
        }
      }));
  }
});

function clientKeys(): { curvePublicKey: string; curveSecretKey: string } {
  const { publicKey, secretKey } = lib().curveKeyPair();
  return { curvePublicKey: publicKey, curveSecretKey: secretKey };
}
