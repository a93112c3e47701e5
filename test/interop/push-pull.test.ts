// omq ↔ libzmq (the native `zeromq` package), PUSH/PULL: omq as sender and as receiver, each
// side binding in turn. What must cross intact (RFC 30: "SHALL not filter or modify outgoing
// messages in any way"; RFC 37: "All messages between two immediate peers SHALL be delivered
// in order"): empty frames, multipart, a large message, and many messages in order.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { interopTransports, libName, pattern, receiveN, texts, withSockets } from "../helpers";
import { link, nativeMissing, type Side } from "../helpers/interop";

const T = { timeout: 20000 };
const MiB = 1024 * 1024;

const configs: { title: string; push: Side; pull: Side; binder: "a" | "b" }[] = [
  { title: `${libName} PUSH (binds) → zeromq PULL`, push: "omq", pull: "zeromq", binder: "a" },
  { title: `${libName} PUSH → zeromq PULL (binds)`, push: "omq", pull: "zeromq", binder: "b" },
  { title: `zeromq PUSH (binds) → ${libName} PULL`, push: "zeromq", pull: "omq", binder: "a" },
  { title: `zeromq PUSH → ${libName} PULL (binds)`, push: "zeromq", pull: "omq", binder: "b" },
];

for (const { transport, skip } of interopTransports) {
  describe(`interop PUSH/PULL over ${transport.name}`, { skip: skip || nativeMissing() }, () => {
    for (const config of configs) {
      describe(config.title, () => {
        const connect = (s: Parameters<Parameters<typeof withSockets>[0]>[0]) =>
          link(s, transport, { a: config.push, b: config.pull, binder: config.binder }, (x) => x.push(), (x) => x.pull());

        it("empty frames cross intact", T, () =>
          withSockets(async (s) => {
            const { a: push, b: pull } = await connect(s);
            const messages: Buffer[][] = [[Buffer.alloc(0)], [Buffer.alloc(0), Buffer.alloc(0)], [Buffer.alloc(0), Buffer.from("x"), Buffer.alloc(0)]];
            for (const message of messages) await push.send(message);
            assert.deepEqual(await receiveN(pull, messages.length), messages);
          }),
        );

        it("a 3-frame multipart message crosses intact", T, () =>
          withSockets(async (s) => {
            const { a: push, b: pull } = await connect(s);
            await push.send(["first", pattern(300, 1), "third"]);
            assert.deepEqual(await pull.receive(), [Buffer.from("first"), pattern(300, 1), Buffer.from("third")]);
          }),
        );

        it("a 10 MiB message crosses intact", T, () =>
          withSockets(async (s) => {
            const { a: push, b: pull } = await connect(s);
            const big = pattern(10 * MiB, 42);
            await push.send(big);
            const [frame, ...rest] = await pull.receive();
            assert.equal(rest.length, 0);
            assert.equal(frame!.length, big.length);
            assert.ok(frame!.equals(big), "content differs");
          }),
        );

        it("10 000 messages arrive, in order", T, () =>
          withSockets(async (s) => {
            const { a: push, b: pull } = await connect(s);
            const n = 10000;
            const sending = (async () => {
              for (let i = 0; i < n; i++) await push.send(String(i));
            })();
            for (let i = 0; i < n; i++) {
              const message = texts(await pull.receive());
              if (message.length !== 1 || message[0] !== String(i)) assert.deepEqual(message, [String(i)], `message ${i}`);
            }
            await sending;
          }),
        );
      });
    }
  });
}
