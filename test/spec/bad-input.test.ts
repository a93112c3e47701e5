// Bad input from the wire (DESIGN.md, Testing; STYLE.md point 9): a raw `net` client plays a
// broken or hostile peer against a bound socket while good peers (one of the library under
// test, one of libzmq) stay connected. For each case:
//   - the bad peer is disconnected (the raw socket sees 'close');
//   - the good peers' messages still arrive, and nothing of the bad peer's leaks through;
//   - no exception or rejection escapes into the process;
//   - memory stays bounded: `arrayBuffers` does not grow by anything near a declared size.
// Bytes are built by hand from RFC 23/37 (test/helpers/zmtp.ts), not with omq's codec.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import {
  bound,
  eventCount,
  guardProcess,
  libName,
  native,
  pattern,
  testingReference,
  texts,
  transports,
  untilEachReceives,
  withSockets,
  within,
  type ProcessGuard,
} from "../helpers";
import { nativeMissing } from "../helpers/interop";
import { frame, frameHeader, greeting, handshake, RawPeer } from "../helpers/zmtp";

const T = { timeout: 20000 };
const MiB = 1024 * 1024;
/** Growth of arrayBuffers allowed during one case: far below the sizes the bad peers declare. */
const MEMORY_BOUND = 32 * MiB;
/** How long a peer may take to be dropped before the test says so (a bound, not a measurement). */
const DEADLINE = 10000;

const DOWNGRADES =
  "libzmq takes this for a ZMTP 1.0/2.0 peer and keeps the connection; omq speaks only ZMTP 3.x and must close " +
  "(RFC 37: If a peer cannot downgrade its protocol to match its peer, it MUST close the connection)";

interface BadCase {
  title: string;
  /** PULL options for this case. */
  options?: { maxMessageSize?: number };
  /** What the bad peer writes. */
  bytes: () => Buffer;
  /** The bad peer closes its side itself after writing (a peer dying mid-frame). */
  endsItself?: boolean;
  /** Where libzmq (the reference) does not drop this peer, and why the test still expects omq to. */
  referenceDiffers?: string;
}

function garbageAfterSignature(): Buffer {
  // A valid signature (so no version detection can claim it), then noise where version and mechanism go.
  const bytes = pattern(4096, 11);
  bytes[0] = 0xff;
  bytes[9] = 0x7f;
  bytes[10] = 0x03;
  return bytes;
}

const cases: BadCase[] = [
  {
    title: "RFC 37: If the mechanism that the peer received does not exactly match the mechanism it sent, it MUST close the connection (garbage after the signature)",
    bytes: garbageAfterSignature,
  },
  {
    title: "garbage bytes with no ZMTP signature at all",
    bytes: () => Buffer.from("this is not ZMTP, only garbage bytes\r\n".repeat(100)),
    referenceDiffers: DOWNGRADES,
  },
  {
    title: "a wrong greeting: an HTTP request",
    bytes: () => Buffer.from("GET / HTTP/1.1\r\nHost: localhost\r\nConnection: keep-alive\r\n\r\n"),
    referenceDiffers: DOWNGRADES,
  },
  {
    title: "a wrong greeting: ZMTP 2.0 (RFC 15) signature, revision 0x01, socket type PUSH",
    bytes: () => Buffer.from([0xff, 0, 0, 0, 0, 0, 0, 0, 1, 0x7f, 0x01, 0x08, 0x00, 0x00]),
    referenceDiffers: DOWNGRADES,
  },
  {
    title: "RFC 37: A long frame has a body of 0 to 2^63-1 octets: a peer declaring a 2^62-octet frame after a correct handshake",
    bytes: () => Buffer.concat([handshake("PUSH"), frameHeader(2n ** 62n, { long: true }), pattern(64 * 1024, 2)]),
  },
  {
    title: "a frame larger than maxMessageSize (256 MiB declared, 1 MiB sent, limit 64 KiB)",
    options: { maxMessageSize: 64 * 1024 },
    bytes: () => Buffer.concat([handshake("PUSH"), frameHeader(256 * MiB, { long: true }), pattern(MiB, 3)]),
  },
  {
    title: "a peer closing mid-frame (declares 1000 octets, sends 10, closes): nothing partial is delivered",
    bytes: () => Buffer.concat([handshake("PUSH"), frame("complete?", true), frameHeader(1000), Buffer.alloc(10, 0x61)]),
    endsItself: true,
  },
  {
    title: "RFC 37: The peer SHOULD enforce that the other peer is using a valid socket type (raw PULL handshake against a PULL)",
    bytes: () => Buffer.concat([handshake("PULL"), frame("should never arrive")]),
  },
  {
    title: "RFC 37: If the mechanism that the peer received does not exactly match the mechanism it sent, it MUST close the connection (PLAIN against NULL)",
    bytes: () => Buffer.concat([greeting({ mechanism: "PLAIN" })]),
  },
];

const DROP_EVENTS = ["disconnect", "handshake:error:protocol", "handshake:error:other", "handshake:error:auth"] as const;

/** Resolves when the socket reports that it dropped a peer: a disconnect or a failed handshake. */
function dropReported(socket: Parameters<typeof eventCount>[0]): Promise<void> {
  return Promise.race(DROP_EVENTS.map((type) => eventCount(socket, type)));
}

for (const { transport, skip } of transports.filter(({ transport }) => transport.stream)) {
  describe(`bad input over ${transport.name}: a bound ${libName} PULL drops the bad peer and serves the good ones`, { skip: skip || nativeMissing() }, () => {
    let guard: ProcessGuard;
    before(() => (guard = guardProcess()));
    after(() => guard.dispose());

    for (const c of cases) {
      const caseSkip = testingReference && c.referenceDiffers ? c.referenceDiffers : false;
      it(c.title, { ...T, skip: caseSkip }, () =>
        withSockets(async (s) => {
          const pull = s.pull(c.options ?? {});
          const dropped = dropReported(pull);
          const endpoint = await bound(pull, transport.bindAddress());
          const good = s.push();
          const reference = s.fork(native()).push();
          good.connect(endpoint);
          reference.connect(endpoint);
          await good.send("before, ours");
          await reference.send("before, libzmq");
          assert.deepEqual([texts(await pull.receive()), texts(await pull.receive())].sort(), [["before, libzmq"], ["before, ours"]]);

          const memoryBefore = process.memoryUsage().arrayBuffers;
          const raw = new RawPeer(endpoint);
          try {
            await raw.connected;
            await raw.write(c.bytes());
            if (c.endsItself) raw.socket.end();
            await within(raw.closed, DEADLINE, "the bad peer was not disconnected");
            await within(dropped, DEADLINE, "no disconnect or handshake error event on the PULL");
          } finally {
            raw.destroy();
          }

          await good.send("after, ours");
          await reference.send("after, libzmq");
          const afterwards = [texts(await pull.receive()), texts(await pull.receive())].sort();
          assert.deepEqual(afterwards, [["after, libzmq"], ["after, ours"]], "only the good peers' messages arrive");
          pull.receiveTimeout = 0;
          await assert.rejects(pull.receive(), { code: "EAGAIN" }, "nothing else was queued");

          const growth = process.memoryUsage().arrayBuffers - memoryBefore;
          assert.ok(growth < MEMORY_BOUND, `arrayBuffers grew by ${(growth / MiB).toFixed(1)} MiB`);
          guard.check();
        }),
      );
    }

    it("RFC 37: When a peer validates the socket type, it SHOULD handle errors by [...] disconnecting the peer (raw PUSH handshake against a bound PUSH)", T, () =>
      withSockets(async (s) => {
        const push = s.push();
        const endpoint = await bound(push, transport.bindAddress());
        const ours = s.pull();
        const theirs = s.fork(native()).pull();
        ours.connect(endpoint);
        theirs.connect(endpoint);
        const rx = await untilEachReceives(push, [ours, theirs]);

        const raw = new RawPeer(endpoint);
        try {
          await raw.connected;
          await raw.write(handshake("PUSH"));
          await within(raw.closed, DEADLINE, "the PUSH peer was not disconnected");
        } finally {
          raw.destroy();
        }

        // Every message still reaches a good PULL: none was routed to the refused peer.
        const n = 20;
        for (let i = 0; i < n; i++) await push.send(`m${i}`);
        const got: string[] = [];
        for (let i = 0; i < n; i++) got.push(texts((await rx.next()).message)[0]!);
        assert.deepEqual(got.sort(), Array.from({ length: n }, (_, i) => `m${i}`).sort());
        guard.check();
      }),
    );

    it(`socket-type mismatch: a ${libName} PUSH connected to a libzmq PUSH is refused; libzmq's good peer keeps working`, T, () =>
      withSockets(async (s) => {
        const theirs = s.fork(native()).push();
        const refused = eventCount(theirs, "disconnect");
        const endpoint = await bound(theirs, transport.bindAddress());
        const pull = s.pull();
        pull.connect(endpoint);
        await theirs.send("warm-up");
        assert.deepEqual(texts(await pull.receive()), ["warm-up"]);

        const wrong = s.push();
        wrong.connect(endpoint);
        await within(refused, DEADLINE, "libzmq never dropped the mismatched PUSH");

        for (let i = 0; i < 10; i++) await theirs.send(String(i));
        for (let i = 0; i < 10; i++) assert.deepEqual(texts(await pull.receive()), [String(i)]);
        guard.check();
      }),
    );
  });
}
