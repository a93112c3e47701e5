// RFC 28 REQ when its REP dies and a new one comes back on the same address. RFC 28 says
// only that REQ "is designed for simple request-reply models where reliability against
// failing peers is not an issue"; what a REQ does then is libzmq's choice, so every scenario
// runs twice: on the library under test, and on native libzmq (the reference) through the
// `zeromq` package. Both must behave alike.
//
// libzmq's rules, as these scenarios show them: a request is never sent again. If it was
// lost with the connection, the REQ waits for a reply that will not come (a receive times
// out; a second send is EFSM); with ZMQ_REQ_RELAXED a new request goes to the new peer. A
// request sent while the peer is down waits in the queue of a connecting REQ and goes out on
// reconnection. A reply comes from the peer asked, or, once that peer is gone, from any peer.
//
// Where nothing can be awaited (a reply that must not come), a short receiveTimeout bounds
// the wait; that is not a timing assertion, as any delivery at all fails the test.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { libName, loadLib, native, nameOf, rejectsCode, texts, transports, withSockets, type Sockets, type Zmq } from "../helpers";
import { nativeMissing } from "../helpers/interop";
import { closeAndWait, endpointOf, nextEvent, rep, req, router, watch, type Reply, type Request } from "../helpers/request-reply";

const T = { timeout: 20000 };
const NOTHING = 100; // ms: the bound on waiting for something that must not arrive

const libraries: Zmq[] = libName === "zeromq" ? [native()] : nativeMissing() ? [loadLib("omq")] : [loadLib("omq"), native()];

/** A REQ and a REP that have done one round trip; `reqBinds` says which side binds. */
async function pair(s: Sockets, address: string, reqBinds: boolean, relaxed = false): Promise<{ client: Request; first: Reply; endpoint: string }> {
  const client = req(s, { relaxed, reconnectInterval: 10 });
  watch(client); // later listeners hear only what follows
  const first = rep(s.fork(), { reconnectInterval: 10 });
  watch(first);
  let endpoint: string;
  if (reqBinds) {
    endpoint = await endpointOf(client, address);
    first.connect(endpoint);
  } else {
    endpoint = await endpointOf(first, address);
    client.connect(endpoint);
  }
  await client.send("warm-up");
  assert.deepEqual(texts(await first.receive()), ["warm-up"]);
  await first.send("warm-up reply");
  assert.deepEqual(texts(await client.receive()), ["warm-up reply"]);
  return { client, first, endpoint };
}

/** The first REP goes away; a second one takes its place at the same endpoint and is connected to the REQ. */
async function replace(s: Sockets, client: Request, first: Reply, endpoint: string, reqBinds: boolean): Promise<Reply> {
  // The REQ must have let go of the first connection: libzmq would otherwise still count it
  // among its peers and send the next request down it (lost, and the test hangs).
  const lost = nextEvent(client, "disconnect");
  await closeAndWait(first);
  await lost;
  const second = rep(s, { reconnectInterval: 10 });
  const connected = nextEvent(client, "handshake");
  if (reqBinds) second.connect(endpoint);
  else await second.bind(endpoint);
  await connected;
  return second;
}

async function nothingFor(socket: Request | Reply): Promise<void> {
  socket.receiveTimeout = NOTHING;
  await rejectsCode(() => socket.receive(), "EAGAIN");
  socket.receiveTimeout = -1;
}

for (const zmq of libraries) {
  for (const { transport, skip } of transports.filter(({ transport }) => transport.stream)) {
    describe(`REQ after its REP died, over ${transport.name} (${nameOf(zmq)})`, { skip: nameOf(zmq) === "omq" && skip }, () => {
      for (const reqBinds of [false, true]) {
        const role = reqBinds ? "bound REQ" : "connected REQ";

        it(`${role}: a request lost with the connection is not sent again; the REQ waits, and a second send is EFSM`, T, () =>
          withSockets(async (s) => {
            const { client, first, endpoint } = await pair(s, transport.bindAddress(), reqBinds);
            await client.send("lost");
            assert.deepEqual(texts(await first.receive()), ["lost"]);
            const second = await replace(s, client, first, endpoint, reqBinds);
            await nothingFor(second);
            await nothingFor(client);
            client.sendTimeout = 0;
            await rejectsCode(() => client.send("again"), "EFSM");
          }, zmq),
        );

        it(`${role} with ZMQ_REQ_RELAXED: a new request goes to the new REP, and its reply is taken`, T, () =>
          withSockets(async (s) => {
            const { client, first, endpoint } = await pair(s, transport.bindAddress(), reqBinds, true);
            await client.send("lost");
            assert.deepEqual(texts(await first.receive()), ["lost"]);
            const second = await replace(s, client, first, endpoint, reqBinds);
            await client.send("retry");
            assert.deepEqual(texts(await second.receive()), ["retry"]);
            await second.send("reply to retry");
            assert.deepEqual(texts(await client.receive()), ["reply to retry"]);
          }, zmq),
        );
      }

      it("connected REQ: a request sent while the REP is down waits in the queue, and goes to the REP that binds next", T, () =>
        withSockets(async (s) => {
          const { client, first, endpoint } = await pair(s, transport.bindAddress(), false);
          const lost = nextEvent(client, "disconnect");
          await closeAndWait(first);
          await lost;
          client.sendTimeout = 0;
          await client.send("sent while down");
          const second = rep(s);
          await second.bind(endpoint);
          assert.deepEqual(texts(await second.receive()), ["sent while down"]);
          await second.send("reply");
          assert.deepEqual(texts(await client.receive()), ["reply"]);
        }, zmq),
      );

      it("bound REQ: once the peer it asked is gone, a well-formed reply from another peer is taken (libzmq req_t)", T, () =>
        withSockets(async (s) => {
          const { client, first, endpoint } = await pair(s, transport.bindAddress(), true);
          const other = router(s);
          const otherIn = nextEvent(client, "handshake");
          other.connect(endpoint, { routingId: "req" });
          await otherIn;
          // Round-robin: the warm-up went to the REP, the rotation is back at it, the ROUTER joined behind.
          await client.send("question");
          const otherGot = other.receive().then(() => "the ROUTER");
          otherGot.catch(() => {}); // rejected by close at the end
          assert.equal(await Promise.race([first.receive().then(() => "the REP"), otherGot]), "the REP");
          const gone = nextEvent(client, "disconnect");
          first.close();
          await gone;
          const answer = ["req", "", "an answer from elsewhere"];
          if (nameOf(zmq) === "zeromq") {
            // libzmq forgets the pipe some command round trips after the event, with nothing to
            // wait for; until then it drops the answer. So the ROUTER answers until one is taken.
            client.receiveTimeout = 20;
            for (;;) {
              await other.send(answer);
              const got = await client.receive().catch((error: { code?: string }) => (error.code === "EAGAIN" ? undefined : Promise.reject(error)));
              if (got !== undefined) return assert.deepEqual(texts(got), ["an answer from elsewhere"]);
            }
          }
          await other.send(answer);
          assert.deepEqual(texts(await client.receive()), ["an answer from elsewhere"]);
        }, zmq),
      );
    });
  }
}
