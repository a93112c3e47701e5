// omq ↔ libzmq (the native `zeromq` package), REQ/REP: omq as client and as service, each
// side binding in turn, over tcp and ipc; then a REQ → ROUTER/DEALER → REP chain that mixes
// the two libraries. What must hold across (RFC 28): REQ adds the delimiter and REP strips
// and restores the envelope, so each application sees only its body; with ZMQ_REQ_CORRELATE
// the request id travels in the envelope and comes back untouched.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { interopTransports, libName, pattern, texts, withSockets, type Sockets } from "../helpers";
import { libOf, nativeMissing, type Side } from "../helpers/interop";
import { dealer, endpointOf, forward, receiveFiltered, rep, req, router } from "../helpers/request-reply";

const T = { timeout: 20000 };
const EMPTY = Buffer.alloc(0);

const configs: { title: string; client: Side; service: Side; clientBinds: boolean }[] = [
  { title: `${libName} REQ (binds) → zeromq REP`, client: "omq", service: "zeromq", clientBinds: true },
  { title: `${libName} REQ → zeromq REP (binds)`, client: "omq", service: "zeromq", clientBinds: false },
  { title: `zeromq REQ (binds) → ${libName} REP`, client: "zeromq", service: "omq", clientBinds: true },
  { title: `zeromq REQ → ${libName} REP (binds)`, client: "zeromq", service: "omq", clientBinds: false },
];

for (const { transport, skip } of interopTransports) {
  describe(`interop REQ/REP over ${transport.name}`, { skip: skip || nativeMissing() }, () => {
    for (const config of configs) {
      describe(config.title, () => {
        const connect = async (s: Sockets, options: { relaxed?: boolean; correlate?: boolean } = {}) => {
          const client = req(s.fork(libOf(config.client)), options);
          const service = rep(s.fork(libOf(config.service)));
          if (config.clientBinds) service.connect(await endpointOf(client, transport.bindAddress()));
          else client.connect(await endpointOf(service, transport.bindAddress()));
          return { client, service };
        };

        it("requests and replies alternate; multipart bodies, empty frames and a long frame cross intact", T, () =>
          withSockets(async (s) => {
            const { client, service } = await connect(s);
            const bodies = [[Buffer.from("ping")], [Buffer.from("a"), EMPTY, Buffer.from("c")], [EMPTY], [pattern(70000, 2)]];
            for (let round = 0; round < 20; round++) {
              const body = bodies[round % bodies.length]!;
              await client.send(body);
              assert.deepEqual(await service.receive(), body);
              await service.send([...body, Buffer.from(`reply ${round}`)]);
              assert.deepEqual(await client.receive(), [...body, Buffer.from(`reply ${round}`)]);
            }
          }),
        );

        it("ZMQ_REQ_CORRELATE + ZMQ_REQ_RELAXED: the REP returns the request id with the reply, so the stale reply is dropped", T, () =>
          withSockets(async (s) => {
            const { client, service } = await connect(s, { relaxed: true, correlate: true });
            await client.send("first");
            assert.deepEqual(texts(await service.receive()), ["first"]);
            await client.send("second");
            await service.send("stale reply to first");
            assert.deepEqual(texts(await service.receive()), ["second"]);
            await service.send("reply to second");
            assert.deepEqual(texts(await receiveFiltered(client)), ["reply to second"]);
          }),
        );
      });
    }

    // Which library plays each part of REQ → ROUTER/DEALER → REP (the proxy forwards by hand).
    const chains: [Side, Side, Side, Side][] = [
      ["omq", "zeromq", "zeromq", "omq"],
      ["zeromq", "omq", "omq", "zeromq"],
      ["omq", "zeromq", "omq", "zeromq"],
      ["zeromq", "omq", "zeromq", "omq"],
    ];
    for (const [clientSide, frontSide, backSide, serviceSide] of chains) {
      it(`multi-hop: ${clientSide} REQ → ${frontSide} ROUTER / ${backSide} DEALER → ${serviceSide} REP: envelopes come back intact`, T, () =>
        withSockets(async (s) => {
          const front = router(s.fork(libOf(frontSide)));
          const back = dealer(s.fork(libOf(backSide)));
          const service = rep(s.fork(libOf(serviceSide)));
          const clients = [req(s.fork(libOf(clientSide))), req(s.fork(libOf(clientSide)))];
          const frontEndpoint = await endpointOf(front, transport.bindAddress());
          back.connect(await endpointOf(service, transport.bindAddress()));
          const stop = forward(front, back);
          for (const client of clients) client.connect(frontEndpoint);

          for (let round = 0; round < 3; round++) {
            for (const [i, client] of clients.entries()) await client.send([`client ${i}`, `round ${round}`]);
            for (let n = 0; n < clients.length; n++) {
              const [who, when] = texts(await service.receive());
              await service.send(["reply to", who!, when!]);
            }
            for (const [i, client] of clients.entries()) {
              assert.deepEqual(texts(await client.receive()), ["reply to", `client ${i}`, `round ${round}`]);
            }
          }
          stop();
        }),
      );
    }
  });
}
