// omq ↔ libzmq (the native `zeromq` package), DEALER/ROUTER: omq on either side, each side
// binding in turn, over tcp and ipc. What must hold across (RFC 28, zeromq-js-api.md §9.2): a
// routing id set on one side is what the other side's ROUTER sees; a generated id is 5 bytes
// starting 0x00; connect(addr, {routingId}) names the peer; ZMQ_PROBE_ROUTER announces it.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { interopTransports, texts, withSockets, type Sockets } from "../helpers";
import { libOf, nativeMissing, type Side } from "../helpers/interop";
import { dealer, endpointOf, router } from "../helpers/request-reply";

const T = { timeout: 20000 };
const EMPTY = Buffer.alloc(0);
const other = (side: Side): Side => (side === "omq" ? "zeromq" : "omq");

type DealerOptions = { routingId?: string; probeRouter?: boolean };

for (const { transport, skip } of interopTransports) {
  describe(`interop DEALER/ROUTER over ${transport.name}`, { skip: skip || nativeMissing() }, () => {
    for (const routerSide of ["omq", "zeromq"] as const) {
      const dealerSide = other(routerSide);
      for (const routerBinds of [true, false]) {
        describe(`${dealerSide} DEALER${routerBinds ? "" : " (binds)"} ↔ ${routerSide} ROUTER${routerBinds ? " (binds)" : ""}`, () => {
          /** A ROUTER that connects names the DEALER with `connectId` (ZMQ_CONNECT_ROUTING_ID). */
          const connect = async (s: Sockets, dealerOptions: DealerOptions, connectId?: string) => {
            const server = router(s.fork(libOf(routerSide)));
            const client = dealer(s.fork(libOf(dealerSide)), dealerOptions);
            if (routerBinds) client.connect(await endpointOf(server, transport.bindAddress()));
            else server.connect(await endpointOf(client, transport.bindAddress()), connectId === undefined ? undefined : { routingId: connectId });
            return { server, client };
          };

          it(`the DEALER's routingId "abc" is what the ${routerSide} ROUTER sees, and routes by`, T, () =>
            withSockets(async (s) => {
              const { server, client } = await connect(s, { routingId: "abc" });
              for (let i = 0; i < 5; i++) {
                await client.send(["hello", EMPTY, String(i)]);
                assert.deepEqual(await server.receive(), [Buffer.from("abc"), Buffer.from("hello"), EMPTY, Buffer.from(String(i))]);
                await server.send(["abc", "reply", EMPTY, String(i)]);
                assert.deepEqual(await client.receive(), [Buffer.from("reply"), EMPTY, Buffer.from(String(i))]);
              }
            }),
          );

          it("a DEALER without a routingId gets a generated id: 5 bytes, 0x00 first", T, () =>
            withSockets(async (s) => {
              const { server, client } = await connect(s, {});
              await client.send("who am I");
              const [id, body] = await server.receive();
              assert.deepEqual([id!.length, id![0], texts([body!])], [5, 0, ["who am I"]]);
              await server.send([id!, "you are", id!]);
              assert.deepEqual(await client.receive(), [Buffer.from("you are"), id!]);
            }),
          );

          it("ZMQ_PROBE_ROUTER: the ROUTER receives [id, <empty>] when the DEALER connects", T, () =>
            withSockets(async (s) => {
              const { server, client } = await connect(s, { routingId: "prober", probeRouter: true }, "prober");
              // A receive waits on the DEALER first: libzmq attaches an accepted connection (and so
              // writes the probe) only when the application thread next calls into that socket.
              const reply = client.receive();
              assert.deepEqual(await server.receive(), [Buffer.from("prober"), EMPTY]);
              await server.send(["prober", "seen you"]);
              assert.deepEqual(texts(await reply), ["seen you"]);
            }),
          );

          if (!routerBinds) {
            it(`connect(addr, {routingId}) on the ${routerSide} ROUTER names the ${dealerSide} DEALER, over its own Identity, before the handshake`, T, () =>
              withSockets(async (s) => {
                const { server, client } = await connect(s, { routingId: "own id" }, "named");
                server.mandatory = true;
                server.sendTimeout = 0;
                await server.send(["named", "queued before the handshake"]);
                assert.deepEqual(texts(await client.receive()), ["queued before the handshake"]);
                await client.send("answer");
                assert.deepEqual(texts(await server.receive()), ["named", "answer"]);
              }),
            );
          }
        });
      }

      it(`ROUTER to ROUTER: ${routerSide} ROUTER "A" connects to ${other(routerSide)} ROUTER "B"; each sees the other's id`, T, () =>
        withSockets(async (s) => {
          const b = router(s.fork(libOf(other(routerSide))), { routingId: "B" });
          const a = router(s.fork(libOf(routerSide)), { routingId: "A", mandatory: true });
          a.connect(await endpointOf(b, transport.bindAddress()), { routingId: "B" });
          await a.send(["B", "hello B"]);
          assert.deepEqual(texts(await b.receive()), ["A", "hello B"]);
          await b.send(["A", "hello A"]);
          assert.deepEqual(texts(await a.receive()), ["B", "hello A"]);
        }),
      );
    }
  });
}
