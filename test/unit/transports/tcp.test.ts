import assert from "node:assert/strict";
import { platform } from "node:os";
import { test } from "node:test";
import { HandleTracker, keepProcessAlive } from "./handle-tracker";
import { assertJoined, bind, canListenOn, connect, destroyAll, freePort, nextConnection, pair, rejection } from "./fixtures";

const tracker = new HandleTracker();
const release = keepProcessAlive();
const port = (endpoint: string): number => Number(endpoint.split(":").pop());

test("listen on an ephemeral port reports the port it got", async () => {
  const listener = await bind("tcp://127.0.0.1:*");
  assert.match(listener.endpoint, /^tcp:\/\/127\.0\.0\.1:\d+$/);
  assert.notEqual(port(listener.endpoint), 0);
  const [dialed, accepted] = await pair(listener);
  await assertJoined(dialed, accepted);
  await destroyAll(dialed, accepted);
  await listener.close();
});

test("'*' binds every IPv4 interface and reports 0.0.0.0", async () => {
  const listener = await bind("tcp://*:*");
  assert.match(listener.endpoint, /^tcp:\/\/0\.0\.0\.0:\d+$/);
  const [dialed, accepted] = await pair(listener, `tcp://127.0.0.1:${port(listener.endpoint)}`);
  await destroyAll(dialed, accepted);
  await listener.close();
});

test("close is idempotent and frees the port", async () => {
  const listener = await bind("tcp://127.0.0.1:*");
  await Promise.all([listener.close(), listener.close()]);
  await listener.close();
  const again = await bind(listener.endpoint);
  await again.close();
});

test("EADDRINUSE on a taken port", async () => {
  const listener = await bind("tcp://127.0.0.1:*");
  const error = await rejection(bind(listener.endpoint));
  assert.equal(error.code, "EADDRINUSE");
  assert.equal(error.address, listener.endpoint);
  await listener.close();
});

test("EADDRNOTAVAIL for an address that is not local", async () => {
  const error = await rejection(bind("tcp://203.0.113.7:*")); // TEST-NET-3
  assert.equal(error.code, "EADDRNOTAVAIL");
  assert.equal(error.address, "tcp://203.0.113.7:*");
});

test("ENODEV for a bind host that does not resolve, or IPv6 without the ipv6 option", async () => {
  assert.equal((await rejection(bind("tcp://no-such-host.invalid:*"))).code, "ENODEV");
  const error = await rejection(bind("tcp://[::1]:*"));
  assert.equal(error.code, "ENODEV");
  assert.equal(error.address, "tcp://[::1]:*");
});

test("dial ECONNREFUSED when nothing listens", async () => {
  const address = `tcp://127.0.0.1:${await freePort()}`;
  const error = await rejection(connect(address));
  assert.equal(error.code, "ECONNREFUSED");
  assert.equal(error.address, address);
});

test("dial cancelled by abort, before and during the attempt", async () => {
  const listener = await bind("tcp://127.0.0.1:*");
  listener.onConnection = (stream) => stream.destroy();
  const before = new AbortController();
  before.abort();
  assert.equal((await rejection(connect(listener.endpoint, {}, before.signal))).code, "ECANCELED");
  // Abort once the socket exists, before the connection completes (I/O waits for the microtasks).
  const during = new AbortController();
  const created = tracker.nextCreated("TCPWRAP");
  const attempt = connect(listener.endpoint, {}, during.signal);
  await created;
  during.abort();
  const error = await rejection(attempt);
  assert.equal(error.code, "ECANCELED");
  assert.equal(error.address, listener.endpoint);
  await listener.close();
  assert.deepEqual(await tracker.leftovers(), [], "the half-made socket is destroyed");
});

test("abort after the connection is made changes nothing", async () => {
  const listener = await bind("tcp://127.0.0.1:*");
  const controller = new AbortController();
  const accepted = nextConnection(listener);
  const dialed = await connect(listener.endpoint, {}, controller.signal);
  controller.abort();
  await assertJoined(dialed, await accepted);
  await destroyAll(dialed, await accepted);
  await listener.close();
});

test("connectTimeout gives ETIMEDOUT when the peer never answers", async (t) => {
  // 10.255.255.1 usually drops SYNs. Where the network refuses it at once, or a sandbox's
  // proxy accepts it, there is nothing to time out.
  const outcome = await connect("tcp://10.255.255.1:5555", { connectTimeout: 1 }).then(
    async (stream) => {
      await destroyAll(stream);
      return { code: "connected", address: "" };
    },
    (error: { code: string; address: string }) => error,
  );
  if (outcome.code !== "ETIMEDOUT") return t.skip(`the network answered ${outcome.code}`);
  assert.equal(outcome.address, "tcp://10.255.255.1:5555");
});

test("host name localhost, for bind and dial", async () => {
  const listener = await bind("tcp://localhost:*");
  assert.match(listener.endpoint, /^tcp:\/\/127\.0\.0\.1:\d+$/);
  const [dialed, accepted] = await pair(listener, `tcp://localhost:${port(listener.endpoint)}`);
  await assertJoined(dialed, accepted);
  await destroyAll(dialed, accepted);
  await listener.close();
});

test("an interface name binds that interface's address", async (t) => {
  if (platform() !== "linux") return t.skip("the loopback interface is 'lo' on Linux only");
  const listener = await bind("tcp://lo:*");
  assert.match(listener.endpoint, /^tcp:\/\/127\.0\.0\.1:\d+$/);
  await listener.close();
});

test("keepalive options are accepted on both sides", async () => {
  const listener = await bind("tcp://127.0.0.1:*", { tcpKeepalive: 1, tcpKeepaliveIdle: 30 });
  const [dialed, accepted] = await pair(listener, listener.endpoint, { tcpKeepalive: 0 });
  await assertJoined(dialed, accepted);
  await destroyAll(dialed, accepted);
  await listener.close();
});

test("a source address is bound before dialling", async (t) => {
  if (platform() !== "linux") return t.skip("127.0.0.2 is a local address on Linux only");
  const listener = await bind("tcp://127.0.0.1:*");
  const [dialed, accepted] = await pair(listener, `tcp://127.0.0.2:0;${listener.endpoint.slice(6)}`);
  assert.equal(accepted.remoteAddress, "127.0.0.2");
  assert.equal(dialed.localAddress, "127.0.0.2");
  await destroyAll(dialed, accepted);
  await listener.close();
});

test("IPv6 loopback with the ipv6 option", async (t) => {
  if (!(await canListenOn("::1"))) return t.skip("::1 is not available on this machine");
  const listener = await bind("tcp://[::1]:*", { ipv6: true });
  assert.match(listener.endpoint, /^tcp:\/\/\[::1\]:\d+$/);
  const [dialed, accepted] = await pair(listener, listener.endpoint, { ipv6: true });
  await assertJoined(dialed, accepted);
  await destroyAll(dialed, accepted);
  const refused = await rejection(connect(listener.endpoint));
  assert.equal(refused.code, "EINVAL", "an IPv6 literal needs the ipv6 option, as in libzmq");
  await listener.close();
});

test("'*' with ipv6 binds dual stack and reports tcp://[::]:port", async (t) => {
  if (!(await canListenOn("::"))) return t.skip("IPv6 is not available on this machine");
  const listener = await bind("tcp://*:*", { ipv6: true });
  assert.match(listener.endpoint, /^tcp:\/\/\[::\]:\d+$/);
  const [dialed, accepted] = await pair(listener, `tcp://127.0.0.1:${port(listener.endpoint)}`);
  await destroyAll(dialed, accepted);
  await listener.close();
});

test("an IPv4 address bound with ipv6 is reported mapped, as libzmq does", async (t) => {
  if (!(await canListenOn("::"))) return t.skip("IPv6 is not available on this machine");
  const listener = await bind("tcp://127.0.0.1:*", { ipv6: true });
  assert.match(listener.endpoint, /^tcp:\/\/\[::ffff:127\.0\.0\.1\]:\d+$/);
  await listener.close();
});

test("leaves no socket or server behind", async () => {
  release();
  assert.deepEqual(await tracker.leftovers(), []);
  assert.deepEqual(tracker.referencedLeftovers(), []);
});
