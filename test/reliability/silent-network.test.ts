// Silent network (issue 6): a PUSH in host B streams to a PULL bound in host A, both with
// heartbeats; then the link between the two network namespaces is cut without a FIN or RST
// (iptables DROP). Heartbeats must notice (a `disconnect` event on each side), and once the
// link is back the PUSH must reconnect and the stream go on: in order, never duplicated,
// never a torn multipart message. Detection and reconnect times are measured and printed,
// never asserted; the bound on each wait only catches a hang.
//
// Runs as root (CI does); where namespaces cannot be made, each test is skipped with the reason.
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import type { LibName } from "../../bench/libs";
import { nativeMissing } from "../helpers/interop";
import { HostPair, netnsUnavailable, sweepStaleNamespaces } from "../helpers/netns";
import { StreamPeer } from "./stream-peer";

const PORT = 5555; // each run has namespaces of its own, so a fixed port cannot clash
const HEARTBEATS = { heartbeatInterval: 100, heartbeatTimeout: 300 };
/** Redial quickly, and give up on a connect whose SYN vanished instead of waiting out TCP's back-off. */
const DIALING = { reconnectInterval: 100, connectTimeout: 500 };
const BATCH = 200;

const SCENARIOS: Array<{ push: LibName; pull: LibName }> = [
  { push: "omq", pull: "omq" },
  { push: "zeromq", pull: "omq" },
  { push: "omq", pull: "zeromq" },
];

describe("silent network: a link cut without a FIN, then restored", () => {
  let unavailable: string | false = "not checked";
  before(
    async () => {
      unavailable = await netnsUnavailable();
      if (unavailable) console.log(`# silent-network tests skipped: ${unavailable}`);
      else await sweepStaleNamespaces();
    },
    { timeout: 300000 },
  );

  for (const { push: pushLib, pull: pullLib } of SCENARIOS) {
    const name = `${pushLib} PUSH (connects, host B) -> ${pullLib} PULL (binds, host A)`;
    it(`${name}: both sides detect the silence, then reconnect; in order, no duplicates`, { timeout: 90000 }, async (t) => {
      if (unavailable) return t.skip(unavailable);
      const native = (pushLib === "zeromq" || pullLib === "zeromq") && nativeMissing();
      if (native) return t.skip(native);

      const hosts = await HostPair.create();
      const peers: StreamPeer[] = [];
      try {
        const endpoint = `tcp://${hosts.a.address}:${PORT}`;
        const pull = await StreamPeer.start({ lib: pullLib, role: "pull", bind: endpoint, options: { ...HEARTBEATS, linger: 0 } }, hosts.a.exec);
        peers.push(pull);
        const push = await StreamPeer.start({ lib: pushLib, role: "push", connect: endpoint, options: { ...HEARTBEATS, ...DIALING, linger: 0 } }, hosts.b.exec);
        peers.push(push);
        await pull.received(BATCH);

        const [pushMark, pullMark] = [push.mark(), pull.mark()];
        // Times count from the start of the cut; the rules take effect within `cutTook` ms of it.
        const cutAt = Date.now();
        await hosts.cut();
        const cutTook = Date.now() - cutAt;
        const [pushLost, pullLost] = await Promise.all([push.event("disconnect", pushMark), pull.event("disconnect", pullMark)]);
        const beforeRestore = await pull.stats();

        const [pushMark2, pullMark2] = [push.mark(), pull.mark()];
        await hosts.restore();
        const restoredAt = Date.now();
        const [pushBack] = await Promise.all([push.event("handshake", pushMark2), pull.event("handshake", pullMark2)]);
        const stats = await pull.received(beforeRestore.received + BATCH);

        console.log(
          `# silent network, ${pushLib} -> ${pullLib}: silence detected by PUSH after ${pushLost.at - cutAt} ms, by PULL after ${pullLost.at - cutAt} ms ` +
            `(iptables took ${cutTook} ms; heartbeat ${HEARTBEATS.heartbeatInterval}/${HEARTBEATS.heartbeatTimeout} ms); reconnected ${pushBack.at - restoredAt} ms after the link returned; ` +
            `${stats.received} received, ${stats.lost} lost, ${stats.outOfOrder} out of order, ${stats.malformed} malformed`,
        );
        assert.equal(stats.outOfOrder, 0, "a message was duplicated or reordered");
        assert.equal(stats.malformed, 0, "a message arrived torn or corrupted");
        assert.ok(stats.received >= beforeRestore.received + BATCH, "the stream did not resume");
      } finally {
        await Promise.all(peers.map((peer) => peer.kill()));
        await hosts.destroy();
      }
    });
  }
});
