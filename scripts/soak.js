#!/usr/bin/env node
// Connection soak: `npm run soak [-- --peers N] [--idle N] [--children K] [--handshake-ms MS]`.
// Phase 1: N (default 10 000) concurrent TCP DEALERs against one ROUTER in this process, the
// DEALERs split over K child processes (each connection costs a file descriptor on both ends);
// every DEALER does one round trip while all are connected. Prints connections, round trips,
// time, and the ROUTER process's heap and RSS per connection (after a forced GC).
// Phase 2: N idle raw connections (default 5 000) that never complete a handshake (half send
// nothing, half stop inside the greeting): every one must be closed by omq at handshakeInterval.
// Not part of npm test. Exits non-zero when a round trip is missing or an idle connection stays.
"use strict";
const { fork, execSync } = require("node:child_process");
const net = require("node:net");
const { setFlagsFromString } = require("node:v8");
const { runInNewContext } = require("node:vm");

const MiB = 1024 * 1024;

function option(name, fallback) {
  const at = process.argv.indexOf(`--${name}`);
  return at === -1 ? fallback : Number(process.argv[at + 1]);
}

if (process.argv[2] === "--child") child();
else parent().catch((error) => {
  console.error(`soak failed: ${error && error.stack ? error.stack : error}`);
  process.exit(1);
});

// ---------------------------------------------------------------------------------------------
// The ROUTER side.

function gc() {
  setFlagsFromString("--expose-gc");
  const collect = runInNewContext("gc");
  collect();
  collect();
}

/** Heap and RSS after a full GC, once libuv has run the close callbacks of destroyed handles (a loop turn). */
async function memory() {
  for (let i = 0; i < 2; i++) await new Promise((resolve) => setImmediate(resolve));
  gc();
  const { heapUsed, rss } = process.memoryUsage();
  return { heap: heapUsed, rss };
}

function fileLimit(flag = "-n") {
  const out = execSync(`ulimit ${flag}`, { shell: "/bin/sh" }).toString().trim();
  return out === "unlimited" ? Infinity : Number(out);
}

/** Node cannot raise its own RLIMIT_NOFILE: rerun this script under a shell that raises the soft limit to the hard one. */
function rerunWithHardLimit() {
  const hard = fileLimit("-Hn");
  if (process.env.SOAK_RAISED === "1" || !(hard > fileLimit())) return false;
  const args = [__filename, ...process.argv.slice(2)].map((a) => `'${a.replace(/'/g, "'\\''")}'`).join(" ");
  const shell = require("node:child_process").spawnSync("/bin/sh", ["-c", `ulimit -n ${hard === Infinity ? "unlimited" : hard} && exec '${process.execPath}' ${args}`], {
    stdio: "inherit",
    env: { ...process.env, SOAK_RAISED: "1" },
  });
  process.exit(shell.status ?? 1);
}

/** A kernel setting that bounds the soak (accept queue, ephemeral ports), or "?" off Linux. */
function sysctl(path) {
  try {
    return require("node:fs").readFileSync(`/proc/sys/${path}`, "utf8").trim().replace(/\s+/g, "-");
  } catch {
    return "?";
  }
}

function perConnection(bytes, n) {
  return `${(bytes / n / 1024).toFixed(1)} KiB`;
}

/** Forks K children running `task`, each with its share of `total`; resolves with their reports. */
function children(k, total, task, endpoint, extra, onReport) {
  const procs = [];
  const done = [];
  for (let i = 0; i < k; i++) {
    const share = Math.floor(total / k) + (i < total % k ? 1 : 0);
    const proc = fork(__filename, ["--child", task, endpoint, String(share), String(i), ...extra], { stdio: ["ignore", "inherit", "inherit", "ipc"] });
    procs.push(proc);
    done.push(
      new Promise((resolve, reject) => {
        proc.on("message", (m) => {
          if (m.type === "report") resolve(m);
          else onReport?.(m);
        });
        proc.once("exit", (code) => reject(new Error(`${task} child ${i} exited with ${code} before reporting`)));
      }),
    );
  }
  return { procs, reports: Promise.all(done) };
}

function stop(procs) {
  return Promise.all(
    procs.map(
      (proc) =>
        new Promise((resolve) => {
          if (proc.exitCode !== null) return resolve();
          proc.once("exit", () => resolve());
          proc.send({ type: "close" });
        }),
    ),
  );
}

async function parent() {
  const { Context, Router } = require("../dist/src");
  const peers = option("peers", 10000);
  const idle = option("idle", 5000);
  const k = option("children", 4);
  const handshakeMs = option("handshake-ms", 3000);
  const needed = Math.max(peers, idle) + 256;
  if (fileLimit() < needed) rerunWithHardLimit();
  const limit = fileLimit();
  console.log(`soak: ${peers} DEALERs over ${k} processes, then ${idle} idle connections; ulimit -n ${limit} in this process (each child has its own)`);
  console.log(
    `  kernel: accept queue capped at net.core.somaxconn ${sysctl("net/core/somaxconn")}, SYN queue ${sysctl("net/ipv4/tcp_max_syn_backlog")}, ` +
      `ephemeral ports ${sysctl("net/ipv4/ip_local_port_range")}`,
  );
  if (limit < needed) {
    console.error(`ulimit -n ${limit} (hard ${fileLimit("-Hn")}) is below ${needed}: raise the hard limit and rerun`);
    process.exit(2);
  }
  let failed = false;

  // Phase 1: round trips.
  {
    const context = new Context({ maxSockets: 16 });
    const router = new Router({ context, backlog: 65535 });
    await router.bind("tcp://127.0.0.1:*");
    let roundTrips = 0;
    const echo = (async () => {
      for await (const [id, body] of router) {
        await router.send([id, body]);
        roundTrips++;
      }
    })().catch(() => {});
    let connected = 0;
    let disconnected = 0;
    let allGone;
    const gone = new Promise((resolve) => (allGone = resolve));
    router.events.on("handshake", () => connected++);
    router.events.on("disconnect", () => {
      if (++disconnected === peers) allGone();
    });
    const base = await memory();
    const started = process.hrtime.bigint();
    const { procs, reports } = children(k, peers, "dealers", router.lastEndpoint, []);
    const results = await reports;
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const loaded = await memory(); // every DEALER still connected
    const replies = results.reduce((sum, r) => sum + r.replies, 0);
    const wrong = results.reduce((sum, r) => sum + r.wrong, 0);
    console.log(`phase 1: ${connected} connections handshaken, ${roundTrips} round trips echoed, ${replies} replies checked by the DEALERs (${wrong} wrong) in ${seconds.toFixed(1)} s`);
    console.log(
      `  ROUTER process: heap ${(base.heap / MiB).toFixed(1)} -> ${(loaded.heap / MiB).toFixed(1)} MiB (${perConnection(loaded.heap - base.heap, peers)}/connection), ` +
        `RSS ${(base.rss / MiB).toFixed(1)} -> ${(loaded.rss / MiB).toFixed(1)} MiB (${perConnection(loaded.rss - base.rss, peers)}/connection)`,
    );
    console.log(`  slowest child: ${Math.max(...results.map((r) => r.seconds)).toFixed(1)} s from fork to its last reply`);
    if (replies !== peers || wrong !== 0 || roundTrips !== peers) failed = true;
    await stop(procs);
    await gone;
    await context.close();
    await echo;
    const after = await memory();
    console.log(`  after all ${disconnected} DEALERs left and the ROUTER closed: heap ${(after.heap / MiB).toFixed(1)} MiB, RSS ${(after.rss / MiB).toFixed(1)} MiB`);
  }

  // Phase 2: idle connections dropped at handshakeInterval.
  if (idle > 0) {
    const context = new Context();
    const router = new Router({ context, backlog: 65535, handshakeInterval: handshakeMs });
    await router.bind("tcp://127.0.0.1:*");
    let accepted = 0;
    router.events.on("accept", () => accepted++);
    const started = process.hrtime.bigint();
    const { procs, reports } = children(k, idle, "idle", router.lastEndpoint, [String(handshakeMs)]);
    const results = await reports;
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const closed = results.reduce((sum, r) => sum + r.closed, 0);
    const early = results.reduce((sum, r) => sum + r.early, 0);
    const minLife = Math.min(...results.map((r) => r.minLife));
    const maxLife = Math.max(...results.map((r) => r.maxLife));
    console.log(
      `phase 2: ${accepted} idle connections accepted, ${closed} closed by omq (${early} before ${handshakeMs} ms) in ${seconds.toFixed(1)} s; ` +
        `lifetime from connect() to omq's close ${minLife}..${maxLife} ms`,
    );
    if (closed !== idle || early !== 0) failed = true;
    // The ROUTER still serves a well-behaved peer.
    const { Dealer } = require("../dist/src");
    const dealer = new Dealer({ context });
    dealer.connect(router.lastEndpoint);
    await dealer.send("after");
    const [, body] = await router.receive();
    console.log(`  the ROUTER still serves: got "${body}" from a good DEALER`);
    await stop(procs);
    await context.close();
  }
  console.log(failed ? "soak FAILED" : "soak passed");
  process.exitCode = failed ? 1 : 0;
}

// ---------------------------------------------------------------------------------------------
// The peer side, one child process per share.

function child() {
  const [task, endpoint, count, index, ...extra] = process.argv.slice(3);
  const work = task === "dealers" ? dealers(endpoint, Number(count), Number(index)) : idleConnections(endpoint, Number(count), Number(extra[0]));
  work.then(
    (report) => process.send({ type: "report", ...report }),
    (error) => {
      console.error(error);
      process.exit(1);
    },
  );
}

async function dealers(endpoint, count, index) {
  const { Context, Dealer } = require("../dist/src");
  const started = process.hrtime.bigint();
  const context = new Context({ maxSockets: count + 16 });
  const sockets = Array.from({ length: count }, () => {
    const dealer = new Dealer({ context, reconnectInterval: 500 });
    dealer.connect(endpoint);
    return dealer;
  });
  // Every DEALER queues its request at once, then all replies are collected: all connected together.
  await Promise.all(sockets.map((dealer, i) => dealer.send(`hello ${index}/${i}`)));
  const replies = await Promise.all(sockets.map((dealer) => dealer.receive()));
  const wrong = replies.filter(([body], i) => String(body) !== `hello ${index}/${i}`).length;
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  process.on("message", async (m) => {
    if (m.type !== "close") return;
    await context.close();
    process.exit(0);
  });
  return { replies: replies.length, wrong, seconds };
}

/** Opens `count` raw connections that never finish a handshake and waits until omq has closed all of them. */
async function idleConnections(endpoint, count, handshakeMs) {
  const port = Number(endpoint.slice(endpoint.lastIndexOf(":") + 1));
  // A partial greeting (signature and version only), for every other connection.
  const partial = Buffer.from([0xff, 0, 0, 0, 0, 0, 0, 0, 1, 0x7f, 3, 1]);
  let closed = 0;
  let early = 0;
  let minLife = Infinity;
  let maxLife = 0;
  const open = (i) =>
    new Promise((accepted) => {
      // Timed from before the connect: omq's timer starts at its accept, which comes later, so a
      // close sooner than handshakeMs after this is a timer that fired early. (Timing from our own
      // 'connect' or 'data' events would include this busy process's event-loop lag.)
      const openedAt = Date.now();
      let greeted = false;
      const socket = net.connect(port, "127.0.0.1");
      socket.on("error", () => {});
      // omq's greeting arriving means omq has accepted the connection and started its timer.
      socket.once("data", () => {
        greeted = true;
        accepted();
      });
      socket.on("data", () => {});
      socket.once("connect", () => {
        if (i % 2 === 1) socket.write(partial);
      });
      socket.once("close", () => {
        const life = Date.now() - openedAt;
        if (!greeted) accepted();
        if (life < handshakeMs) early++;
        closed++;
        minLife = Math.min(minLife, life);
        maxLife = Math.max(maxLife, life);
        if (closed === count) allClosed();
      });
    });
  let allClosed;
  const done = new Promise((resolve) => (allClosed = resolve));
  // At most 256 connections from this process waiting to be accepted (1 024 over 4 children, under
  // the SYN queue's 2 048, so no SYN is dropped and retried a second later): past a full accept queue
  // the kernel drops the final ACK of a client that then sends nothing, and omq never sees it.
  let next = 0;
  await Promise.all(Array.from({ length: 256 }, async () => {
    while (next < count) await open(next++);
  }));
  await done;
  process.on("message", (m) => {
    if (m.type === "close") process.exit(0);
  });
  return { closed, early, minLife, maxLife };
}
