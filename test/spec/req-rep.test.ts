// RFC 28 (REQREP): REQ and REP, omq on both ends, one suite over tcp, ipc and inproc.
// Each test opens with the RFC (or libzmq doc) sentence it checks. Run with
// OMQ_TEST_LIB=zeromq to check the tests themselves against libzmq.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { libName, rejectsCode, texts, transports, turn, withSockets } from "../helpers";
import { closeSeenBy, dealer, endpointOf, forward, receiveFiltered, rep, req, router } from "../helpers/request-reply";

const T = { timeout: 20000 };
const EMPTY = Buffer.alloc(0);

for (const { transport, skip } of transports) {
  describe(`RFC 28 REQ/REP over ${transport.name} (${libName})`, { skip }, () => {
    it("REQ SHALL prefix the outgoing message with an empty delimiter frame; REP SHALL pass the remaining data frames to its calling application", T, () =>
      withSockets(async (s) => {
        const server = router(s);
        const client = req(s, { routingId: "client" });
        client.connect(await endpointOf(server, transport.bindAddress()));
        await client.send(["hello", "world"]);
        assert.deepEqual(texts(await server.receive()), ["client", "", "hello", "world"]);
        await server.send(["client", "", "reply", "parts"]);
        assert.deepEqual(texts(await client.receive()), ["reply", "parts"]);

        const service = rep(s);
        const other = req(s);
        other.connect(await endpointOf(service, transport.bindAddress()));
        await other.send(["a", "", "c"]);
        assert.deepEqual(texts(await service.receive()), ["a", "", "c"]);
        await service.send(["x", ""]);
        assert.deepEqual(texts(await other.receive()), ["x", ""]);
      }),
    );

    it("REQ SHALL send and then receive exactly one message at a time: a second send waits for the reply, and rejects EFSM when it cannot wait", T, () =>
      withSockets(async (s) => {
        const service = rep(s);
        const client = req(s);
        client.connect(await endpointOf(service, transport.bindAddress()));
        assert.equal(client.writable, true);
        await client.send("first");
        assert.equal(client.writable, false);

        // zeromq-js-api.md §5.2: out of turn, a send with timeout -1 just waits...
        let settled = false;
        const second = client.send("second").finally(() => (settled = true));
        assert.deepEqual(texts(await service.receive()), ["first"]);
        for (let i = 0; i < 5; i++) await turn();
        assert.equal(settled, false, "a second request went out before the reply came back");
        // ...and goes out once the reply has been received.
        await service.send("reply to first");
        assert.deepEqual(texts(await client.receive()), ["reply to first"]);
        await second;
        assert.deepEqual(texts(await service.receive()), ["second"]);

        // With no wait allowed, the attempt itself fails: EFSM, not EAGAIN.
        client.sendTimeout = 0;
        await rejectsCode(() => client.send("third"), "EFSM");
        client.sendTimeout = 30;
        await rejectsCode(() => client.send("third"), "EFSM");
      }),
    );

    it("REQ SHALL send and then receive exactly one message at a time: receive before send rejects EFSM once the attempt is made (receiveTimeout 0, after the timeout, or on close)", T, () =>
      withSockets(async (s) => {
        const client = req(s);
        client.connect(await transport.freeAddress());
        client.receiveTimeout = 0;
        await rejectsCode(() => client.receive(), "EFSM");
        client.receiveTimeout = 30;
        await rejectsCode(() => client.receive(), "EFSM");
        client.receiveTimeout = -1;
        const waiting = client.receive();
        await turn();
        client.close();
        await rejectsCode(() => waiting, "EFSM");
      }),
    );

    it("REP SHALL receive and then send exactly one message at a time: send before receive, or a second receive, is EFSM", T, () =>
      withSockets(async (s) => {
        const service = rep(s, { sendTimeout: 0, receiveTimeout: 0 });
        const client = req(s);
        client.connect(await endpointOf(service, transport.bindAddress()));
        await rejectsCode(() => service.send("nobody asked"), "EFSM");
        await client.send("question");
        service.receiveTimeout = -1;
        assert.deepEqual(texts(await service.receive()), ["question"]);
        assert.equal(service.writable, true);
        service.receiveTimeout = 0;
        await rejectsCode(() => service.receive(), "EFSM");
        await service.send("answer");
        assert.equal(service.writable, false);
        assert.deepEqual(texts(await client.receive()), ["answer"]);
      }),
    );

    it("REQ SHALL route outgoing messages to connected peers using a round-robin strategy", T, () =>
      withSockets(async (s) => {
        const services = [rep(s), rep(s), rep(s)];
        const client = req(s);
        for (const service of services) client.connect(await endpointOf(service, transport.bindAddress()));
        // Each REP answers with its index; it is read with one receive pending on each.
        const serve = services.map(async (service, index) => {
          for (;;) {
            const [body] = await service.receive();
            await service.send([String(index), body!]);
          }
        });
        for (const p of serve) p.catch(() => {});
        const order: number[] = [];
        for (let i = 0; i < 9; i++) {
          await client.send(`request ${i}`);
          const [who, body] = texts(await client.receive());
          assert.equal(body, `request ${i}`);
          order.push(Number(who));
        }
        assert.equal(new Set(order.slice(0, 3)).size, 3, `the first three requests went to ${order.slice(0, 3)}`);
        for (let i = 3; i < 9; i++) assert.equal(order[i], order[i - 3], `requests in turn: ${order}`);
      }),
    );

    it("REQ SHALL accept an incoming message only from the last peer that it sent a request to; SHALL discard silently any messages received from other peers", T, () =>
      withSockets(async (s) => {
        const [r1, r2] = [router(s), router(s)];
        const client = req(s, { routingId: "client" });
        client.connect(await endpointOf(r1, transport.bindAddress()));
        client.connect(await endpointOf(r2, transport.bindAddress()));
        // Round-robin: request 0 to r1, 1 to r2, 2 to r1. Both routers then know the client.
        for (const [i, server] of [r1, r2].entries()) {
          await client.send(`request ${i}`);
          assert.deepEqual(texts(await server.receive()), ["client", "", `request ${i}`]);
          await server.send(["client", "", `reply ${i}`]);
          assert.deepEqual(texts(await client.receive()), [`reply ${i}`]);
        }
        await client.send("request 2");
        assert.deepEqual(texts(await r1.receive()), ["client", "", "request 2"]);
        // r2 answers a request it never got, then goes away: its forgery is at the client first.
        await r2.send(["client", "", "forged by r2"]);
        await closeSeenBy(r2, client, transport);
        await r1.send(["client", "", "reply 2"]);
        assert.deepEqual(texts(await receiveFiltered(client)), ["reply 2"]);
      }),
    );

    it("ZMQ_REQ_RELAXED: \"When set to 1, sending another message is allowed and previous replies will be discarded if any\" (with ZMQ_REQ_CORRELATE)", T, () =>
      withSockets(async (s) => {
        const service = rep(s);
        const client = req(s, { relaxed: true, correlate: true });
        client.connect(await endpointOf(service, transport.bindAddress()));
        await client.send("first");
        assert.equal(client.writable, true, "relaxed: writable while a reply is due");
        assert.deepEqual(texts(await service.receive()), ["first"]);
        await client.send("second");
        // One connection, in order: the stale reply reaches the client before the fresh one.
        await service.send("stale reply to first");
        assert.deepEqual(texts(await service.receive()), ["second"]);
        await service.send("reply to second");
        assert.deepEqual(texts(await receiveFiltered(client)), ["reply to second"]);
      }),
    );

    it("ZMQ_REQ_RELAXED without ZMQ_REQ_CORRELATE: \"a late reply to an aborted request can be reported as the reply to the superseding request\"", T, () =>
      withSockets(async (s) => {
        const service = rep(s);
        const client = req(s, { relaxed: true });
        client.connect(await endpointOf(service, transport.bindAddress()));
        await client.send("first");
        assert.deepEqual(texts(await service.receive()), ["first"]);
        await client.send("second");
        await service.send("late reply to first");
        assert.deepEqual(texts(await client.receive()), ["late reply to first"]);
      }),
    );

    it("ZMQ_REQ_CORRELATE: \"the REQ socket will prefix outgoing messages with an extra frame containing a request id\" and \"will discard all incoming messages that don't begin with these two frames\"", T, () =>
      withSockets(async (s) => {
        const server = router(s);
        const client = req(s, { correlate: true, routingId: "client" });
        client.connect(await endpointOf(server, transport.bindAddress()));
        await client.send("question");
        const [id, requestId, delimiter, body] = await server.receive();
        assert.equal(requestId!.length, 4);
        assert.deepEqual([texts([id!])[0], delimiter, texts([body!])[0]], ["client", EMPTY, "question"]);
        const wrongId = Buffer.from(requestId!.map((b) => b ^ 0xff));
        await server.send([id!, wrongId, "", "wrong id"]);
        await server.send([id!, "", "no id"]);
        await server.send([id!, requestId!, "", "right id"]);
        assert.deepEqual(texts(await receiveFiltered(client)), ["right id"]);
        // The next request has the next id.
        await client.send("again");
        const [, next] = await server.receive();
        assert.equal(next!.readUInt32LE(0), (requestId!.readUInt32LE(0) + 1) >>> 0);
      }),
    );

    it("REP SHALL remove and store the address envelope, including the delimiter, and SHALL prepend it to the reply: a ROUTER/DEALER chain gets its routing frames back intact", T, () =>
      withSockets(async (s) => {
        // REQ → ROUTER/DEALER → ROUTER/DEALER → REP, forwarded by hand; two REQs at once.
        const [front1, back1, front2, back2] = [router(s), dealer(s), router(s), dealer(s)];
        const service = rep(s);
        const clients = [req(s), req(s)];
        const front1Endpoint = await endpointOf(front1, transport.bindAddress());
        back1.connect(await endpointOf(front2, transport.bindAddress()));
        back2.connect(await endpointOf(service, transport.bindAddress()));
        const stops = [forward(front1, back1), forward(front2, back2)];
        for (const client of clients) client.connect(front1Endpoint);

        await clients[0]!.send(["from", "client 0"]);
        await clients[1]!.send(["from", "client 1"]);
        for (let i = 0; i < 2; i++) {
          const [from, who] = texts(await service.receive());
          assert.equal(from, "from");
          await service.send(["reply to", who!]);
        }
        assert.deepEqual(texts(await clients[0]!.receive()), ["reply to", "client 0"]);
        assert.deepEqual(texts(await clients[1]!.receive()), ["reply to", "client 1"]);
        for (const stop of stops) stop();
      }),
    );

    it("REP: an incoming message without an address envelope delimiter (or with nothing after it) is dropped", T, () =>
      withSockets(async (s) => {
        const service = rep(s);
        const client = dealer(s);
        client.connect(await endpointOf(service, transport.bindAddress()));
        await client.send("no delimiter");
        await client.send(["no", "delimiter", "either"]);
        await client.send([""]);
        await client.send(["id", ""]);
        await client.send(["", "well", "formed"]);
        assert.deepEqual(texts(await receiveFiltered(service)), ["well", "formed"]);
        await service.send("reply");
        assert.deepEqual(await client.receive(), [EMPTY, Buffer.from("reply")]);
      }),
    );

    it("REP SHALL receive incoming messages from its peers using a fair-queuing strategy", T, () =>
      withSockets(async (s) => {
        const service = rep(s);
        const endpoint = await endpointOf(service, transport.bindAddress());
        const [a, b] = [dealer(s), dealer(s)];
        a.connect(endpoint);
        b.connect(endpoint);
        // Both connected first: each gets one request answered.
        await a.send(["", "A", "warm-up"]);
        await b.send(["", "B", "warm-up"]);
        for (let i = 0; i < 2; i++) {
          await service.receive();
          await service.send("ok");
        }
        // A floods (its sends wait at the high-water marks), B asks a few times meanwhile.
        const flood = 20000;
        const flooding = (async () => {
          for (let i = 0; i < flood; i++) await a.send(["", "A", String(i)]);
        })();
        flooding.catch(() => {}); // left waiting at the end: close rejects it
        for (let i = 0; i < 10; i++) await b.send(["", "B", String(i)]);
        const next = { A: 0, B: 0 };
        while (next.B < 10) {
          const [from, seq] = texts(await service.receive()) as ["A" | "B", string];
          assert.equal(Number(seq), next[from]++);
          await service.send("ok");
        }
        assert.ok(next.A < flood, `B was served only after all ${flood} of A's requests`);
      }),
    );

    it("REP SHALL silently discard the reply if the originating peer is no longer connected; SHALL not block on sending", T, () =>
      withSockets(async (s) => {
        const service = rep(s);
        const endpoint = await endpointOf(service, transport.bindAddress());
        const gone = req(s);
        gone.connect(endpoint);
        await gone.send("ask and leave");
        assert.deepEqual(texts(await service.receive()), ["ask and leave"]);
        await closeSeenBy(gone, service, transport);
        service.sendTimeout = 0;
        await service.send("to nobody");
        const client = req(s);
        client.connect(endpoint);
        await client.send("next");
        assert.deepEqual(texts(await service.receive()), ["next"]);
        await service.send("answer");
        assert.deepEqual(texts(await client.receive()), ["answer"]);
      }),
    );
  });
}
