// CurveZMQ (RFC 26) as two pure state machines talking in memory.
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { CookieJar } from "../../../src/mechanisms/cookie-jar";
import { CurveClient } from "../../../src/mechanisms/curve-client";
import { loadCurveCrypto, type CurveCrypto } from "../../../src/mechanisms/curve-crypto";
import { CurveServer } from "../../../src/mechanisms/curve-server";
import { encodeCommand } from "../../../src/zmtp/commands";
import { converse, failureOf, mechanismOptions, text, zapReply } from "./converse";
import { handPeer } from "./curve-peer";

let crypto: CurveCrypto;
before(async () => {
  crypto = await loadCurveCrypto();
});

const zap = { domain: "", enforceDomain: false };
const keys = () => crypto.keyPair();

function setup(options: { jar?: CookieJar; serverKey?: Buffer; enforceDomain?: boolean } = {}) {
  const server = keys();
  const client = keys();
  const jar = options.jar ?? new CookieJar();
  const s = new CurveServer(mechanismOptions("PULL", { asServer: true }), crypto, server, jar, { domain: "d", enforceDomain: options.enforceDomain ?? false });
  const c = new CurveClient(mechanismOptions("PUSH"), crypto, { ...client, serverKey: options.serverKey ?? server.publicKey });
  return { s, c, server, client, jar };
}

describe("CURVE mechanism (RFC 26)", () => {
  it("runs HELLO (200 octets), WELCOME (168), INITIATE (257+), READY (30+) and both sides end ready", () => {
    const { s, c } = setup();
    const { commands } = converse(c, s);
    assert.deepEqual(commands.map((x) => [x.from, x.body.toString("latin1", 1, 1 + x.body[0]!)]), [
      ["client", "HELLO"], ["server", "WELCOME"], ["client", "INITIATE"], ["server", "READY"],
    ]);
    assert.equal(commands[0]!.body.length, 200);
    assert.ok(commands[0]!.body.subarray(8, 80).equals(Buffer.alloc(72)), "anti-amplification padding");
    assert.equal(commands[1]!.body.length, 168);
    assert.ok(commands[2]!.body.length >= 257);
    assert.ok(commands[3]!.body.length >= 30);
    assert.equal(s.status.state, "ready");
    assert.equal(c.status.state, "ready");
    assert.equal(s.peerMetadata.get("socket-type")?.toString(), "PUSH");
    assert.equal(c.peerMetadata.get("socket-type")?.toString(), "PULL");
  });

  it("carries frames both ways in MESSAGE boxes, with the MORE and COMMAND flags inside", () => {
    const { s, c } = setup();
    converse(c, s);
    const box = c.encodeFrame(Buffer.from("hello"), true);
    assert.equal(box.toString("latin1", 0, 8), "\x07MESSAGE");
    assert.equal(box.length, 8 + 8 + 16 + 1 + 5);
    assert.deepEqual(s.decodeFrame(box), { frame: Buffer.from("hello"), more: true, command: false });
    assert.deepEqual(c.decodeFrame(s.encodeFrame(Buffer.from("\x04PING"), false, true)), { frame: Buffer.from("\x04PING"), more: false, command: true });
    assert.deepEqual(s.decodeFrame(c.encodeFrame(Buffer.alloc(0), false)), { frame: Buffer.alloc(0), more: false, command: false });
  });

  it("nonces: libzmq's client uses 1 for HELLO, 2 for INITIATE and 3 on for MESSAGEs; its server 1 for READY, 2 on", () => {
    const { s, c } = setup();
    const { commands } = converse(c, s);
    assert.equal(commands[0]!.body.readUInt32BE(116), 1);
    assert.equal(commands[2]!.body.readUInt32BE(109), 2);
    assert.equal(commands[3]!.body.readUInt32BE(10), 1);
    assert.equal(c.encodeFrame(Buffer.alloc(0), false).readUInt32BE(12), 3);
    assert.equal(s.encodeFrame(Buffer.alloc(0), false).readUInt32BE(12), 2);
  });

  it("a replayed or reordered MESSAGE nonce fails the connection (ERR_ZMTP_INVALID_SEQUENCE)", () => {
    const { s, c } = setup();
    converse(c, s);
    const first = c.encodeFrame(Buffer.from("1"), false);
    const second = c.encodeFrame(Buffer.from("2"), false);
    assert.ok(!("kind" in s.decodeFrame(second)));
    assert.equal((s.decodeFrame(first) as { code: string }).code, "ERR_ZMTP_INVALID_SEQUENCE");
    assert.equal((s.decodeFrame(second) as { code: string }).code, "ERR_ZMTP_INVALID_SEQUENCE");
  });

  it("a box whose MAC does not check fails (ERR_ZMTP_CRYPTOGRAPHIC); a short or foreign frame is malformed or unexpected", () => {
    const { s, c } = setup();
    converse(c, s);
    const box = c.encodeFrame(Buffer.from("payload"), false);
    box[box.length - 1]! ^= 1;
    assert.equal((s.decodeFrame(box) as { code: string }).code, "ERR_ZMTP_CRYPTOGRAPHIC");
    assert.equal((s.decodeFrame(box.subarray(0, 32)) as { code: string }).code, "ERR_ZMTP_MALFORMED_COMMAND_MESSAGE");
    assert.equal((s.decodeFrame(Buffer.from("\x04PING\x00\x00")) as { code: string }).code, "ERR_ZMTP_UNEXPECTED_COMMAND");
  });

  it("sends the client's permanent key to the ZAP handler and admits on 200, with the user id", () => {
    const { s, c, client } = setup();
    const { zapRequests } = converse(c, s, () => zapReply("200", "alice"));
    assert.deepEqual(text(zapRequests[0]!.slice(0, 6)), ["1.0", "1", "d", "192.0.2.7", "", "CURVE"]);
    assert.deepEqual(zapRequests[0]![6], client.publicKey);
    assert.equal(s.peerMetadata.get("user-id")?.toString(), "alice");
  });

  it("a ZAP 400 sends ERROR \"400\" before READY; both sides fail with status 400", () => {
    const { s, c } = setup();
    const { commands } = converse(c, s, () => zapReply("400"));
    assert.deepEqual(commands.at(-1)?.body, Buffer.from("\x05ERROR\x03400", "latin1"));
    assert.equal(failureOf(s)?.status, 400);
    assert.equal(failureOf(c)?.status, 400);
  });

  it("with no ZAP handler admits any client that knows the server key (Stonehouse), unless zapEnforceDomain", () => {
    const open = setup();
    converse(open.c, open.s, () => "none");
    assert.equal(open.s.status.state, "ready");
    const strict = setup({ enforceDomain: true });
    converse(strict.c, strict.s, () => "none");
    assert.equal(failureOf(strict.s)?.code, "EFAULT");
  });

  it("a client with the wrong server key is refused at HELLO: its box does not open, no WELCOME goes out", () => {
    const { s, c } = setup({ serverKey: keys().publicKey });
    const { commands } = converse(c, s);
    assert.deepEqual(commands.map((x) => x.from), ["client"]);
    assert.equal(failureOf(s)?.code, "ERR_ZMTP_CRYPTOGRAPHIC");
  });

  for (const size of [199, 201, 40]) {
    it(`refuses a HELLO of ${size} octets (ERR_ZMTP_MALFORMED_COMMAND_HELLO)`, () => {
      const { s, c } = setup();
      const hello = c.nextCommand()!;
      s.processCommand(size < 200 ? hello.subarray(0, size) : Buffer.concat([hello, Buffer.alloc(size - 200)]));
      assert.equal(failureOf(s)?.code, "ERR_ZMTP_MALFORMED_COMMAND_HELLO");
    });
  }

  it("refuses an unknown CurveZMQ version in HELLO", () => {
    const { s, c } = setup();
    const hello = Buffer.from(c.nextCommand()!);
    hello[6] = 2;
    s.processCommand(hello);
    assert.equal(failureOf(s)?.code, "ERR_ZMTP_MALFORMED_COMMAND_HELLO");
  });

  it("the client refuses a WELCOME of the wrong size, or one that does not open", () => {
    for (const [welcome, code] of [
      [encodeCommand("WELCOME", Buffer.alloc(150)), "ERR_ZMTP_MALFORMED_COMMAND_WELCOME"],
      [encodeCommand("WELCOME", Buffer.alloc(160)), "ERR_ZMTP_CRYPTOGRAPHIC"],
    ] as const) {
      const { c } = setup();
      c.nextCommand();
      c.processCommand(welcome);
      assert.equal(failureOf(c)?.code, code);
    }
  });

  it("the client refuses a READY too short to hold a box", () => {
    const { s, c } = setup();
    s.processCommand(c.nextCommand()!); // HELLO, WELCOME, INITIATE; then a short READY

    c.processCommand(s.nextCommand()!);
    c.nextCommand();
    c.processCommand(encodeCommand("READY", Buffer.alloc(20)));
    assert.equal(failureOf(c)?.code, "ERR_ZMTP_MALFORMED_COMMAND_READY");
  });
});

describe("CURVE server: INITIATE checks", () => {
  /** A server that has answered a hand-made client's HELLO. */
  function welcomed(jar = new CookieJar()) {
    const server = keys();
    const client = keys();
    const s = new CurveServer(mechanismOptions("PULL", { asServer: true }), crypto, server, jar, zap);
    const peer = handPeer(crypto, client, server.publicKey);
    s.processCommand(peer.hello(5));
    peer.welcome(s.nextCommand()!);
    return { s, peer, server, client };
  }

  it("accepts a well-formed INITIATE", () => {
    const { s, peer } = welcomed();
    s.processCommand(peer.initiate({ shortNonce: 6 }));
    assert.equal(s.status.state, "handshaking");
    s.zapReply("none");
    assert.ok(s.nextCommand());
    assert.equal(s.status.state, "ready");
  });

  const cases: [string, (peer: ReturnType<typeof handPeer>, server: { publicKey: Buffer }) => Buffer, string][] = [
    ["a short nonce not above HELLO's", (p) => p.initiate({ shortNonce: 5 }), "ERR_ZMTP_INVALID_SEQUENCE"],
    ["fewer than 257 octets", (p) => p.initiate().subarray(0, 256), "ERR_ZMTP_MALFORMED_COMMAND_INITIATE"],
    ["a vouch for another server", (p) => p.initiate({ shortNonce: 6, vouchServerKey: keys().publicKey }), "ERR_ZMTP_KEY_EXCHANGE"],
    ["a forged cookie", (p) => p.initiate({ shortNonce: 6, cookie: Buffer.alloc(96, 7) }), "ERR_ZMTP_CRYPTOGRAPHIC"],
    ["metadata whose declared length overruns the box (CVE-2019-13132)", (p) => p.initiate({ shortNonce: 6, metadata: Buffer.from("\x0bSocket-Type\x7f\xff\xff\xffPUSH", "latin1") }), "ERR_ZMTP_INVALID_METADATA"],
    ["a tampered box", (p) => { const b = p.initiate({ shortNonce: 6 }); b[b.length - 1]! ^= 0xff; return b; }, "ERR_ZMTP_CRYPTOGRAPHIC"],
  ];
  for (const [what, make, code] of cases) {
    it(`refuses an INITIATE with ${what} (${code}), asking no handler`, () => {
      const { s, peer, server } = welcomed();
      s.processCommand(make(peer, server));
      assert.equal(failureOf(s)?.code, code);
      assert.equal(s.takeZapRequest(), undefined);
    });
  }

  it("keeps no secret between WELCOME and INITIATE: a cookie only works on its own connection", () => {
    const jar = new CookieJar();
    const first = welcomed(jar);
    const second = welcomed(jar);
    // The second connection's INITIATE carrying the first connection's cookie (valid, same jar):
    second.s.processCommand(second.peer.initiate({ shortNonce: 6, cookie: first.peer.cookie }));
    assert.equal(failureOf(second.s)?.code, "ERR_ZMTP_KEY_EXCHANGE");
  });

  it("rotates the cookie key: a cookie outlives its key by one lifetime at most", () => {
    let now = 0;
    const jar = new CookieJar(1000, () => now);
    const { s, peer } = welcomed(jar);
    now = 1500; // rotated once (on the next seal): the old key still opens
    jar.sealingKey();
    s.processCommand(peer.initiate({ shortNonce: 6 }));
    assert.equal(s.status.state, "handshaking");
    const late = welcomed(jar);
    now = 2600; // rotated again, and the key that sealed `late`'s cookie retired over a lifetime ago
    jar.sealingKey();
    now = 3700;
    jar.sealingKey();
    late.s.processCommand(late.peer.initiate({ shortNonce: 6 }));
    assert.equal(failureOf(late.s)?.code, "ERR_ZMTP_CRYPTOGRAPHIC");
  });
});
