// libzmq's security advisories, each bug class replayed against omq as a named regression test.
// The attacker is a raw `net` client writing ZMTP bytes built by hand (RFC 23/37); the victim
// is a bound omq socket, and a well-behaved peer checks that the victim still works afterwards.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { guardProcess } from "../helpers/guard";
import { command, frame, frameHeader, greeting, handshake, ready } from "../helpers/zmtp";
import { arrives, bounded, liveBytes, MiB, mib, pool, rawPeer, withContext, zmq } from "./support";

const T = { timeout: 20000 };
const DEADLINE = 10000;

/** A bound PULL, a good PUSH connected to it, and a check that the pair still delivers. */
async function victim(context: zmq.Context, options: Partial<zmq.Pull> = {}) {
  const pull = new zmq.Pull({ context, ...options });
  await pull.bind("tcp://127.0.0.1:*");
  const endpoint = pull.lastEndpoint!;
  const push = new zmq.Push({ context });
  push.connect(endpoint);
  const stillServes = async (text: string) => {
    await push.send(text);
    assert.deepEqual((await bounded(pull.receive(), DEADLINE, "good peer's message")).map(String), [text]);
  };
  return { pull, push, endpoint, stillServes };
}

/** The raw peer writes `bytes` and must then be disconnected by omq; memory must not follow a declared size. */
async function refused(bytes: Buffer, options: Partial<zmq.Pull> = {}): Promise<void> {
  const guard = guardProcess();
  try {
    await withContext(async (context) => {
      // A good peer without credentials cannot talk to a PLAIN/CURVE server: check the raw peer only there.
      const secured = options.plainServer === true || options.curveServer === true;
      const { endpoint, stillServes } = await victim(context, options);
      if (!secured) await stillServes("before");
      const before = process.memoryUsage().arrayBuffers;
      const raw = await rawPeer(endpoint, bytes);
      await bounded(raw.closed, DEADLINE, "the hostile peer was not disconnected");
      const growth = process.memoryUsage().arrayBuffers - before;
      assert.ok(growth < 16 * MiB, `arrayBuffers grew by ${mib(growth)}`);
      if (!secured) await stillServes("after");
    });
    guard.check();
  } finally {
    guard.dispose();
  }
}

function long(size: bigint, more = false): Buffer {
  const header = frameHeader(size, { long: true, more });
  return Buffer.concat([handshake("PUSH"), header, Buffer.alloc(4096, 0x41)]);
}

describe("CVE-2014-7202/-9721 bug class: protocol downgrade is refused", () => {
  it("a ZMTP 1.0 greeting (length-prefixed identity, no signature) is disconnected", T, () =>
    refused(Buffer.concat([Buffer.from([0x01, 0x00]), Buffer.from([0x06, 0x00]), Buffer.from("hello")])));
  it("a ZMTP 2.0 greeting (revision 0x01, socket type PUSH) is disconnected", T, () =>
    refused(Buffer.from([0xff, 0, 0, 0, 0, 0, 0, 0, 1, 0x7f, 0x01, 0x08, 0x00, 0x00])));
  it("a ZMTP 3.1 greeting with a mismatched mechanism (PLAIN against NULL) is disconnected", T, () =>
    refused(greeting({ mechanism: "PLAIN" })));
  it("a ZMTP 3.1 greeting with a mechanism that only prefixes NULL ('NUL') is disconnected", T, () =>
    refused(greeting({ mechanism: "NUL" })));
  it("a NULL greeting against a PLAIN server is disconnected (no downgrade to NULL)", T, () =>
    refused(Buffer.concat([handshake("PUSH"), frame("sneaked in")]), { plainServer: true }));
  it("a NULL greeting against a CURVE server is disconnected (no downgrade to NULL)", T, () => {
    const { secretKey } = zmq.curveKeyPair();
    return refused(Buffer.concat([handshake("PUSH"), frame("sneaked in")]), { curveServer: true, curveSecretKey: secretKey });
  });
});

describe("issue 1488 / CVE-2019-6250 bug class: frame sizes near 2^63 and 2^64", () => {
  for (const [name, size] of [
    ["2^63 - 1", 2n ** 63n - 1n],
    ["2^63", 2n ** 63n],
    ["2^64 - 1", 2n ** 64n - 1n],
    ["2^64 - 4096 (wraps a pointer sum)", 2n ** 64n - 4096n],
  ] as const) {
    it(`a frame declaring ${name} octets: disconnected, nothing allocated`, T, () => refused(long(size)));
  }
  it("a MORE frame of 2^63 octets after a complete first part: disconnected", T, () =>
    refused(Buffer.concat([handshake("PUSH"), frame("a", true), frameHeader(2n ** 63n, { long: true })])));
  it("a command frame declaring 2^64 - 1 octets before the handshake: disconnected", T, () =>
    refused(Buffer.concat([greeting(), frameHeader(2n ** 64n - 1n, { long: true, command: true })])));
});

describe("metadata that lies (CVE-2019-13132 bug class, NULL READY)", () => {
  const property = (name: string, valueLength: number, value: Buffer) => {
    const size = Buffer.alloc(4);
    size.writeUInt32BE(valueLength >>> 0);
    return Buffer.concat([Buffer.from([name.length]), Buffer.from(name, "latin1"), size, value]);
  };
  const readyWith = (...props: Buffer[]) => Buffer.concat([greeting(), command("READY", Buffer.concat(props))]);
  it("a value length of 2^32 - 1 overrunning the command: disconnected", T, () =>
    refused(readyWith(property("Socket-Type", 0xffffffff, Buffer.from("PUSH")))));
  it("a value length one past the end: disconnected", T, () =>
    refused(readyWith(property("Socket-Type", 5, Buffer.from("PUSH")))));
  it("a name length past the end: disconnected", T, () =>
    refused(Buffer.concat([greeting(), command("READY", Buffer.from([200, 0x41, 0x42]))])));
});

describe("property names that are Object.prototype's own (no prototype pollution)", () => {
  for (const name of ["__proto__", "constructor", "prototype", "hasOwnProperty", "toString"]) {
    it(`READY metadata with '${name}' and an Identity '${name}' routed by a ROUTER`, T, () =>
      withContext(async (context) => {
        const router = new zmq.Router({ context });
        await router.bind("tcp://127.0.0.1:*");
        const value = Buffer.from('{"polluted":true}');
        const size = Buffer.alloc(4);
        size.writeUInt32BE(value.length);
        const extra = Buffer.concat([Buffer.from([name.length]), Buffer.from(name), size, value]);
        const id = Buffer.from(name);
        const idSize = Buffer.alloc(4);
        idSize.writeUInt32BE(id.length);
        const identity = Buffer.concat([Buffer.from([8]), Buffer.from("Identity"), idSize, id]);
        const base = ready("DEALER");
        const body = Buffer.concat([base.subarray(2), extra, identity]);
        const bytes = Buffer.concat([greeting(), frameHeader(body.length, { command: true }), body, frame("hello")]);
        const raw = await rawPeer(router.lastEndpoint!, bytes);
        const [from, text] = await bounded(router.receive(), DEADLINE, "the ROUTER got nothing");
        assert.equal(String(from), name);
        assert.equal(String(text), "hello");
        await router.send([name, "reply"]);
        await bounded(arrives(raw, "reply"), DEADLINE, "no reply routed to the peer");
        const plain: Record<string, unknown> = {};
        assert.equal(plain.polluted, undefined);
        assert.equal(Object.prototype.hasOwnProperty.call(Object.prototype, "polluted"), false);
        assert.equal(typeof plain.hasOwnProperty, "function");
        assert.equal(typeof plain.toString, "function");
        raw.destroy();
      }));
  }
});

describe("PLAIN (RFC 24) HELLO that lies, against a PLAIN server", () => {
  const plainGreeting = greeting({ mechanism: "PLAIN" });
  const hello = (body: Buffer) => Buffer.concat([plainGreeting, command("HELLO", body)]);
  it("a username length past the end of the command: disconnected", T, () =>
    refused(hello(Buffer.from([200, 0x61, 0x62])), { plainServer: true }));
  it("a password length past the end of the command: disconnected", T, () =>
    refused(hello(Buffer.from([1, 0x61, 255, 0x62])), { plainServer: true }));
  it("a HELLO with no lengths at all: disconnected", T, () => refused(hello(Buffer.alloc(0)), { plainServer: true }));
  it("a CURVE greeting against a PLAIN server: disconnected", T, () =>
    refused(greeting({ mechanism: "CURVE" }), { plainServer: true }));
  it("a PLAIN greeting and HELLO against a CURVE server: disconnected", T, () => {
    const { secretKey } = zmq.curveKeyPair();
    return refused(hello(Buffer.from([5, ...Buffer.from("admin"), 6, ...Buffer.from("secret")])), { curveServer: true, curveSecretKey: secretKey });
  });
});
