// The lazy-pirate client of examples/lazy-pirate (REQ with a timeout, a fresh socket and a
// resend on each timeout) against a REP behind a proxy that resets and stalls connections at
// random (fixed seed): every request gets its own answer. REQ alone could not do this (a
// lost reply leaves it waiting forever); the retries are what the test proves to be enough.
import assert from "node:assert/strict";
import { it } from "node:test";
import { loadLib } from "../../bench/libs";
import { LazyPirateClient } from "../../examples/lazy-pirate/client";
import { Prng } from "../fuzz/prng";
import { FaultProxy } from "../helpers/fault-proxy";
import { withContext, zmq } from "./support";

const REQUESTS = 200;
/** Per chunk forwarded, in either direction. */
const RESET_CHANCE = 0.03;
const STALL_CHANCE = 0.03;

it(`lazy pirate: ${REQUESTS} requests through a proxy that resets and stalls at random, every one answered`, { timeout: 120000 }, () =>
  withContext(async (context) => {
    const server = new zmq.Reply({ context, linger: 0 });
    await server.bind("tcp://127.0.0.1:*");
    const serving = (async () => {
      for await (const [request] of server) await server.send(`re: ${request}`);
    })().catch(() => undefined); // ends when the context closes the socket
    const proxy = await FaultProxy.start(server.lastEndpoint!);
    const prng = new Prng(0x1a2b);
    const faults = { resets: 0, stalls: 0 };
    proxy.onChunk = (link) => {
      const roll = prng.next();
      if (roll < RESET_CHANCE) {
        faults.resets++;
        link.reset();
      } else if (roll < RESET_CHANCE + STALL_CHANCE) {
        faults.stalls++;
        proxy.stallFor(50 + prng.int(300)); // sometimes shorter than the client's timeout, sometimes longer
      }
    };
    // The example's own code, on omq (whatever OMQ_LIB says).
    const client = new LazyPirateClient(loadLib("omq"), proxy.endpoint, { timeout: 200, retries: 15 });
    try {
      const started = Date.now();
      for (let n = 0; n < REQUESTS; n++) {
        const reply = await client.request(`request ${n}`);
        assert.deepEqual(reply.map(String), [`re: request ${n}`], "a reply that answers another request");
      }
      console.log(
        `# lazy pirate: ${REQUESTS} requests answered in ${Date.now() - started} ms; ${client.retried} resent; ` +
          `the proxy reset ${faults.resets} and stalled ${faults.stalls} times over ${proxy.accepted} connections`,
      );
      assert.ok(faults.resets + faults.stalls > 0, "the proxy injected faults");
    } finally {
      client.close();
      await proxy.close();
      server.close();
      await serving;
    }
  }));
