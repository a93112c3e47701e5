import assert from "node:assert/strict";
import { afterEach, beforeEach, describe, it, mock } from "node:test";
import { Heartbeat } from "../../../src/engine/heartbeat";

function recorder() {
  const events: string[] = [];
  return { events, actions: { ping: (ttl: number) => events.push(`ping ${ttl}`), expired: () => events.push("expired") } };
}

describe("Heartbeat", () => {
  beforeEach(() => mock.timers.enable({ apis: ["setTimeout", "setInterval"] }));
  afterEach(() => mock.timers.reset());

  it("sends a PING every interval with the TTL in deciseconds", () => {
    const { events, actions } = recorder();
    const heartbeat = new Heartbeat(100, 0, 2500, actions);
    heartbeat.start();
    mock.timers.tick(250);
    assert.deepEqual(events, ["ping 25", "ping 25"]);
    heartbeat.stop();
  });

  it("expires when nothing arrives within the timeout after a PING (default: the interval)", () => {
    const { events, actions } = recorder();
    const heartbeat = new Heartbeat(100, -1, 0, actions);
    heartbeat.start();
    mock.timers.tick(100);
    mock.timers.tick(99);
    assert.deepEqual(events, ["ping 0"]);
    mock.timers.tick(1);
    assert.ok(events.includes("expired"));
    heartbeat.stop();
  });

  it("treats any traffic as a sign of life", () => {
    const { events, actions } = recorder();
    const heartbeat = new Heartbeat(100, 50, 0, actions);
    heartbeat.start();
    mock.timers.tick(100);
    mock.timers.tick(40);
    heartbeat.received();
    mock.timers.tick(40);
    assert.deepEqual(events, ["ping 0"]);
    heartbeat.stop();
  });

  it("never expires with timeout 0", () => {
    const { events, actions } = recorder();
    const heartbeat = new Heartbeat(10, 0, 0, actions);
    heartbeat.start();
    mock.timers.tick(1000);
    assert.ok(!events.includes("expired"));
    heartbeat.stop();
  });

  it("honours the TTL of the peer's PING until traffic arrives", () => {
    const { events, actions } = recorder();
    const heartbeat = new Heartbeat(0, -1, 0, actions);
    heartbeat.peerPing(3); // 300 ms
    mock.timers.tick(299);
    heartbeat.received();
    mock.timers.tick(10);
    assert.deepEqual(events, []);
    heartbeat.peerPing(3);
    mock.timers.tick(300);
    assert.deepEqual(events, ["expired"]);
  });

  it("keeps the TTL running after traffic: a link silent since its last data frame expires with no PING after it (libzmq waits for a PING)", () => {
    const { events, actions } = recorder();
    const heartbeat = new Heartbeat(0, -1, 0, actions);
    heartbeat.received();
    heartbeat.peerPing(3); // 300 ms
    mock.timers.tick(200);
    heartbeat.received(); // a data frame, then silence
    mock.timers.tick(300);
    assert.deepEqual(events, [], "traffic within the TTL: alive");
    mock.timers.tick(300);
    assert.deepEqual(events, ["expired"], "a whole TTL with nothing: dead");
  });

  it("sends nothing with interval 0 and clears every timer on stop", () => {
    const { events, actions } = recorder();
    const idle = new Heartbeat(0, -1, 0, actions);
    idle.start();
    mock.timers.tick(1000);
    assert.deepEqual(events, []);
    const busy = new Heartbeat(10, 5, 0, actions);
    busy.start();
    busy.peerPing(1);
    busy.stop();
    mock.timers.tick(1000);
    assert.deepEqual(events, []);
  });
  it("does not expire while our own reading is paused (a slow consumer's peer is alive), and restarts the deadlines when reading resumes", () => {
    const { events, actions } = recorder();
    const heartbeat = new Heartbeat(100, 50, 0, actions);
    heartbeat.peerPing(2); // 200 ms
    heartbeat.start();
    heartbeat.pausedReading();
    mock.timers.tick(1000);
    assert.ok(!events.includes("expired"), "paused: neither the PING timeout nor the TTL expired");
    heartbeat.resumedReading();
    mock.timers.tick(100); // a PING; its timeout runs again
    assert.ok(!events.includes("expired"));
    mock.timers.tick(50);
    assert.ok(events.includes("expired"), "reading again, silence expires as before");
    heartbeat.stop();
  });
});
