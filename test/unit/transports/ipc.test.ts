import assert from "node:assert/strict";
import { once } from "node:events";
import { existsSync, lstatSync, mkdtempSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { platform, tmpdir } from "node:os";
import { join, relative } from "node:path";
import { after, test } from "node:test";
import { HandleTracker, keepProcessAlive } from "./handle-tracker";
import { assertJoined, bind, connect, destroyAll, pair, rejection } from "./fixtures";

const tracker = new HandleTracker();
const release = keepProcessAlive();
const dir = mkdtempSync(join(tmpdir(), "omq-ipc-test-"));
after(() => rmSync(dir, { recursive: true, force: true }));

const isSocket = (path: string): boolean => existsSync(path) && lstatSync(path).isSocket();

test("bind a file path, connect, and remove the file on close", async () => {
  const path = join(dir, "a.sock");
  const listener = await bind(`ipc://${path}`);
  assert.equal(listener.endpoint, `ipc://${path}`);
  assert.ok(isSocket(path));
  const [dialed, accepted] = await pair(listener);
  await assertJoined(dialed, accepted);
  await destroyAll(dialed, accepted);
  await Promise.all([listener.close(), listener.close()]);
  assert.equal(existsSync(path), false);
});

test("a relative path is kept relative, as libzmq reports it", async () => {
  const path = relative(process.cwd(), join(dir, "relative.sock"));
  const listener = await bind(`ipc://${path}`);
  assert.equal(listener.endpoint, `ipc://${path}`);
  const [dialed, accepted] = await pair(listener);
  await destroyAll(dialed, accepted);
  await listener.close();
  assert.equal(existsSync(path), false);
});

test("abstract namespace: ipc://@name, no file", async (t) => {
  if (platform() !== "linux") return t.skip("the abstract namespace is Linux only");
  const name = `omq-test-${process.pid}-${Date.now()}`;
  const listener = await bind(`ipc://@${name}`);
  assert.equal(listener.endpoint, `ipc://@${name}`);
  assert.equal(existsSync(`@${name}`), false);
  const [dialed, accepted] = await pair(listener);
  await assertJoined(dialed, accepted);
  await destroyAll(dialed, accepted);
  await listener.close();
  assert.equal((await rejection(connect(`ipc://@${name}`))).code, "ECONNREFUSED");
});

test("ipc://* binds a fresh temporary path, removed with its directory on close", async () => {
  const first = await bind("ipc://*");
  const second = await bind("ipc://*");
  assert.match(first.endpoint, /^ipc:\/\/.+\/socket$/);
  assert.notEqual(first.endpoint, second.endpoint);
  const path = first.endpoint.slice("ipc://".length);
  assert.ok(isSocket(path));
  const [dialed, accepted] = await pair(first);
  await destroyAll(dialed, accepted);
  await Promise.all([first.close(), second.close()]);
  assert.equal(existsSync(path), false);
  assert.equal(existsSync(join(path, "..")), false);
});

test("a stale socket file left by an earlier run is replaced", async () => {
  const path = join(dir, "stale.sock");
  // Make a socket file that nobody listens on: libuv unlinks its own path on close, so bind
  // elsewhere and move the file into place first.
  const server = createServer().listen(join(dir, "before-rename.sock"));
  await once(server, "listening");
  renameSync(join(dir, "before-rename.sock"), path);
  server.close();
  await once(server, "close");
  assert.ok(isSocket(path));
  assert.equal((await rejection(connect(`ipc://${path}`))).code, "ECONNREFUSED");

  const listener = await bind(`ipc://${path}`);
  const [dialed, accepted] = await pair(listener);
  await assertJoined(dialed, accepted);
  await destroyAll(dialed, accepted);
  await listener.close();
});

test("a second bind takes the path over, as in libzmq", async () => {
  const path = join(dir, "shared.sock");
  const first = await bind(`ipc://${path}`);
  const second = await bind(`ipc://${path}`);
  first.onConnection = () => assert.fail("the first listener no longer owns the path");
  const [dialed, accepted] = await pair(second);
  await destroyAll(dialed, accepted);
  await second.close();
  await first.close();
  assert.equal(existsSync(path), false);
});

test("a regular file at the path is not deleted: EADDRINUSE", async () => {
  const path = join(dir, "precious.txt");
  writeFileSync(path, "keep me");
  const error = await rejection(bind(`ipc://${path}`));
  assert.equal(error.code, "EADDRINUSE");
  assert.equal(error.address, `ipc://${path}`);
  assert.ok(existsSync(path));
});

test("binding in a missing directory is ENOENT", async () => {
  const address = `ipc://${join(dir, "missing", "x.sock")}`;
  const error = await rejection(bind(address));
  assert.equal(error.code, "ENOENT");
  assert.equal(error.address, address);
});

test("dialling a path nobody listens on is ECONNREFUSED", async () => {
  const address = `ipc://${join(dir, "nobody.sock")}`;
  const error = await rejection(connect(address));
  assert.equal(error.code, "ECONNREFUSED");
  assert.equal(error.address, address);
});

test("dial cancelled by abort destroys the half-made stream", async () => {
  const listener = await bind(`ipc://${join(dir, "abort.sock")}`);
  listener.onConnection = (stream) => stream.destroy();
  const controller = new AbortController();
  const created = tracker.nextCreated("PIPEWRAP");
  const attempt = connect(listener.endpoint, {}, controller.signal);
  await created;
  controller.abort();
  assert.equal((await rejection(attempt)).code, "ECANCELED");
  await listener.close();
});

test("leaves no socket or server behind", async () => {
  release();
  assert.deepEqual(await tracker.leftovers(), []);
  assert.deepEqual(tracker.referencedLeftovers(), []);
});
