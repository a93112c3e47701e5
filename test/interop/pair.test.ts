// omq ↔ libzmq (the native `zeromq` package), PAIR: each side binding in turn, messages going
// both ways in every test (RFC 31: "MAY both send and receive messages"; "SHALL not filter or
// modify outgoing or incoming messages in any way").
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { interopTransports, libName, pattern, receiveN, texts, withSockets } from "../helpers";
import { link, nativeMissing } from "../helpers/interop";

const T = { timeout: 20000 };
const MiB = 1024 * 1024;

const configs: { title: string; binder: "a" | "b" }[] = [
  { title: `${libName} PAIR (binds) ↔ zeromq PAIR`, binder: "a" },
  { title: `${libName} PAIR ↔ zeromq PAIR (binds)`, binder: "b" },
];

type PairSocket = { send(m: unknown): Promise<void>; receive(): Promise<Buffer[]> };

for (const { transport, skip } of interopTransports) {
  describe(`interop PAIR over ${transport.name}`, { skip: skip || nativeMissing() }, () => {
    for (const config of configs) {
      describe(config.title, () => {
        const connect = (s: Parameters<Parameters<typeof withSockets>[0]>[0]) =>
          link(s, transport, { a: "omq", b: "zeromq", binder: config.binder }, (x) => x.pair(), (x) => x.pair());

        /** Sends `messages` from `from` and checks `to` receives them, for both directions. */
        async function bothWays(ours: PairSocket, theirs: PairSocket, messages: Buffer[][]): Promise<void> {
          for (const [from, to, direction] of [
            [ours, theirs, `${libName} → zeromq`],
            [theirs, ours, `zeromq → ${libName}`],
          ] as const) {
            for (const message of messages) await from.send(message);
            assert.deepEqual(await receiveN(to, messages.length), messages, direction);
          }
        }

        it("empty frames cross intact, both ways", T, () =>
          withSockets(async (s) => {
            const { a, b } = await connect(s);
            await bothWays(a, b, [[Buffer.alloc(0)], [Buffer.alloc(0), Buffer.alloc(0)], [Buffer.alloc(0), Buffer.from("x"), Buffer.alloc(0)]]);
          }),
        );

        it("a 3-frame multipart message crosses intact, both ways", T, () =>
          withSockets(async (s) => {
            const { a, b } = await connect(s);
            await bothWays(a, b, [[Buffer.from("first"), pattern(300, 1), Buffer.from("third")]]);
          }),
        );

        it("a 10 MiB message crosses intact, both ways", T, () =>
          withSockets(async (s) => {
            const { a, b } = await connect(s);
            const big = pattern(10 * MiB, 9);
            for (const [from, to] of [
              [a, b],
              [b, a],
            ] as const) {
              await from.send(big);
              const [frame, ...rest] = await to.receive();
              assert.equal(rest.length, 0);
              assert.equal(frame!.length, big.length);
              assert.ok(frame!.equals(big), "content differs");
            }
          }),
        );

        it("10 000 messages arrive in order, both ways at once", T, () =>
          withSockets(async (s) => {
            const { a, b } = await connect(s);
            const n = 10000;
            const send = async (from: PairSocket, tag: string) => {
              for (let i = 0; i < n; i++) await from.send([tag, String(i)]);
            };
            const check = async (to: PairSocket, tag: string) => {
              for (let i = 0; i < n; i++) {
                const message = texts(await to.receive());
                if (message[0] !== tag || message[1] !== String(i) || message.length !== 2) assert.deepEqual(message, [tag, String(i)]);
              }
            };
            await Promise.all([send(a, "ours"), send(b, "theirs"), check(b, "ours"), check(a, "theirs")]);
          }),
        );
      });
    }
  });
}
