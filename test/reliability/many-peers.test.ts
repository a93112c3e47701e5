// Many peers on one socket: 2 000 concurrent TCP connections to one ROUTER, each doing a round
// trip, and 500 idle connections that never handshake, all dropped at handshakeInterval.
// Everything runs in this process: each DEALER costs two file descriptors here (ulimit -n is
// checked first; below 5 000 the test is skipped with the reason).
import assert from "node:assert/strict";
import { execSync } from "node:child_process";
import { describe, it } from "node:test";
import { greeting } from "../helpers/zmtp";
import { bounded, rawPeer, withContext, zmq } from "./support";

const PEERS = 2000;
const IDLE = 500;

function fileLimit(): number {
  try {
    const out = execSync("ulimit -n", { shell: "/bin/sh" }).toString().trim();
    return out === "unlimited" ? Infinity : Number(out);
  } catch {
    return 0;
  }
}
const limit = fileLimit();
const skip = limit < 2 * PEERS + IDLE + 500 ? `ulimit -n is ${limit}: too few file descriptors for ${PEERS} peers in one process` : false;

describe("many peers on one ROUTER", { skip }, () => {
  it(`${PEERS} concurrent DEALERs each do a round trip`, { timeout: 120000 }, () =>
    withContext(async (context) => {
      const router = new zmq.Router({ context, backlog: 4096 });
      await router.bind("tcp://127.0.0.1:*");
      const endpoint = router.lastEndpoint!;
      const echo = (async () => {
        for await (const [id, body] of router) await router.send([id!, body!]);
      })().catch(() => {}); // ends when the context closes
      const dealers = Array.from({ length: PEERS }, (_, i) => {
        const dealer = new zmq.Dealer({ context, routingId: `peer-${i}` });
        dealer.connect(endpoint);
        return dealer;
      });
      // All are connected and queued at once; then every reply is collected.
      await Promise.all(dealers.map((dealer, i) => dealer.send(`hello ${i}`)));
      const replies = await bounded(
        Promise.all(dealers.map((dealer) => dealer.receive())),
        100000,
        "not every DEALER got its reply",
      );
      replies.forEach(([body], i) => assert.equal(String(body), `hello ${i}`));
      void echo;
    }, { maxSockets: PEERS + 10 }));

  it(`${IDLE} idle raw connections that never handshake are all closed at handshakeInterval`, { timeout: 60000 }, () =>
    withContext(async (context) => {
      // A backlog above IDLE: past a full accept queue the kernel drops the client's final ACK,
      // and a client that then sends nothing is never accepted at all (no omq code runs for it).
      const router = new zmq.Router({ context, handshakeInterval: 300, backlog: 1024 });
      await router.bind("tcp://127.0.0.1:*");
      const endpoint = router.lastEndpoint!;
      // Half say nothing at all; half stop halfway through the greeting.
      const idle = await Promise.all(
        Array.from({ length: IDLE }, (_, i) => rawPeer(endpoint, i % 2 === 0 ? undefined : greeting().subarray(0, 30))),
      );
      await bounded(Promise.all(idle.map((peer) => peer.closed)), 30000, "some idle connections were never closed");
      // The ROUTER still serves a good peer.
      const dealer = new zmq.Dealer({ context });
      dealer.connect(endpoint);
      await dealer.send("after");
      const [, body] = await bounded(router.receive(), 10000, "the ROUTER stopped serving");
      assert.equal(String(body), "after");
    }));
});
