import assert from "node:assert/strict";
import { once } from "node:events";
import { platform } from "node:os";
import { describe, test } from "node:test";
import { AcceptFilter, parseAcceptFilter } from "../../../src/transports/accept-filter";
import { HandleTracker, keepProcessAlive } from "./handle-tracker";
import { bind, connect, destroyAll, pair, rejection } from "./fixtures";

const tracker = new HandleTracker();
const release = keepProcessAlive();

describe("parsing filters as libzmq's TCP_ACCEPT_FILTER", () => {
  test("an address, with or without a mask", () => {
    assert.deepEqual(parseAcceptFilter("127.0.0.1", false), { address: "127.0.0.1", family: "ipv4", prefix: 32 });
    assert.deepEqual(parseAcceptFilter("10.0.0.0/8", false), { address: "10.0.0.0", family: "ipv4", prefix: 8 });
    assert.deepEqual(parseAcceptFilter("127.0.0.1/0", false), { address: "127.0.0.1", family: "ipv4", prefix: 0 });
    assert.deepEqual(parseAcceptFilter("::1", true), { address: "::1", family: "ipv6", prefix: 128 });
    assert.deepEqual(parseAcceptFilter("fd00::/8", true), { address: "fd00::", family: "ipv6", prefix: 8 });
  });

  test("EINVAL for names, empty or oversized masks, and IPv6 without the ipv6 option", () => {
    for (const [text, ipv6] of [
      ["localhost", false],
      ["abc", false],
      ["127.0.0.1/", false],
      ["127.0.0.1/33", false],
      ["127.0.0.1/x", false],
      ["::1", false],
      ["::1/129", true],
    ] as const) {
      assert.throws(() => parseAcceptFilter(text, ipv6), { code: "EINVAL" }, text);
    }
  });

  test("matching, including IPv4 peers seen as IPv4-mapped IPv6", () => {
    const filter = new AcceptFilter(["10.0.0.0/8", "192.0.2.7"], false);
    assert.equal(filter.accepts("10.1.2.3", "IPv4"), true);
    assert.equal(filter.accepts("192.0.2.7", "IPv4"), true);
    assert.equal(filter.accepts("192.0.2.8", "IPv4"), false);
    assert.equal(filter.accepts("::ffff:10.9.9.9", "IPv6"), true);
    assert.equal(filter.accepts(undefined, undefined), false);
    assert.equal(new AcceptFilter([], false).accepts(undefined, undefined), true);
    assert.equal(new AcceptFilter(undefined, false).accepts("1.2.3.4", "IPv4"), true);
  });
});

describe("a listener with filters", () => {
  test("closes connections from other addresses at once, and serves matching ones", async () => {
    const listener = await bind("tcp://127.0.0.1:*", { tcpAcceptFilter: ["10.0.0.0/8"] });
    listener.onConnection = () => assert.fail("a filtered connection reached the socket");
    const dialed = await connect(listener.endpoint);
    dialed.resume();
    await once(dialed, "close");
    await listener.close();

    const open = await bind("tcp://127.0.0.1:*", { tcpAcceptFilter: ["10.0.0.0/8", "127.0.0.0/8"] });
    const [client, accepted] = await pair(open);
    await destroyAll(client, accepted);
    await open.close();
  });

  test("tells apart two local addresses", async (t) => {
    if (platform() !== "linux") return t.skip("127.0.0.2 is a local address on Linux only");
    const listener = await bind("tcp://127.0.0.1:*", { tcpAcceptFilter: ["127.0.0.2"] });
    const target = listener.endpoint.slice("tcp://".length);
    const [dialed, accepted] = await pair(listener, `tcp://127.0.0.2:0;${target}`);
    assert.equal(accepted.remoteAddress, "127.0.0.2");
    await destroyAll(dialed, accepted);
    listener.onConnection = () => assert.fail("127.0.0.1 is not in the filter");
    const refused = await connect(listener.endpoint);
    refused.resume();
    await once(refused, "close");
    await listener.close();
  });

  test("a malformed filter makes listen reject with EINVAL", async () => {
    const error = await rejection(bind("tcp://127.0.0.1:*", { tcpAcceptFilter: ["not-an-address"] }));
    assert.equal(error.code, "EINVAL");
    assert.equal(error.address, "tcp://127.0.0.1:*");
  });
});

test("leaves no socket or server behind", async () => {
  release();
  assert.deepEqual(await tracker.leftovers(), []);
  assert.deepEqual(tracker.referencedLeftovers(), []);
});
