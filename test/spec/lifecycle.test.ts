// Closing is a protocol (STYLE.md point 8; DESIGN.md: "A closed context or socket leaves no
// handle, timer or listener behind"): what a closed context leaves behind, what linger does
// with queued messages, and that a process whose sockets are closed exits by itself.
import assert from "node:assert/strict";
import { createHook } from "node:async_hooks";
import { spawn } from "node:child_process";
import * as path from "node:path";
import { describe, it } from "node:test";
import {
  bound,
  closeAndWait,
  lib,
  libName,
  receiveN,
  texts,
  transports,
  testingReference,
  withSockets,
  within,
  type Zmq,
} from "../helpers";

const T = { timeout: 20000 };

/**
 * The multiset of active resource names (sorted, so two can be compared), read once the
 * loop has gone once round all its phases: yields, not a timer. Node emits a server's or
 * socket's 'close' before libuv has finished closing the handle (that happens in the loop's
 * close phase, after the check phase), and a promise often resolves inside the callback of
 * the last request it awaited (an fs call), which Node counts as active until that callback
 * returns. The snapshot is taken synchronously inside a setImmediate callback.
 */
function settledResources(): Promise<string[]> {
  return new Promise((resolve) => setImmediate(() => setImmediate(() => resolve(process.getActiveResourcesInfo().sort()))));
}

/**
 * Every async resource (handle, request, timer, immediate; not promises) created while
 * recording, minus those destroyed since. process.getActiveResourcesInfo() lists only what
 * keeps the event loop alive, so it cannot see the unref'd sockets and timers a ZeroMQ
 * socket uses (a bound socket must not keep Node alive); async_hooks sees them all.
 */
class ResourceTracker {
  readonly #live = new Map<number, string>();
  #recording = true;
  readonly #hook = createHook({
    init: (id, type) => {
      if (this.#recording && type !== "PROMISE") this.#live.set(id, type);
    },
    destroy: (id) => void this.#live.delete(id),
  });

  constructor() {
    this.#hook.enable();
  }

  /** Stops recording new resources; destroys of recorded ones are still seen. */
  stop(): void {
    this.#recording = false;
  }

  live(): string[] {
    return [...this.#live.values()].sort();
  }

  dispose(): void {
    this.#hook.disable();
  }
}

/** omq's Context has close(); zeromq.js's has not. */
function closeContext(context: InstanceType<Zmq["Context"]>): Promise<void> {
  return (context as unknown as { close(): Promise<void> }).close();
}

const noContextClose = testingReference ? "zeromq.js contexts have no close()" : false;

for (const { transport, skip } of transports) {
  describe(`lifecycle over ${transport.name} (${libName})`, { skip }, () => {
    /**
     * Makes sockets in a fresh context, binds, connects, exchanges, leaves a receive pending and a
     * connecter retrying, then closes the context; `around` brackets it with measurements.
     * Resolves with whether every socket reports closed.
     */
    async function exercise(around: { before(): Promise<void>; closed(): void }): Promise<boolean> {
      // Loaded and made before measuring: the module's own process-wide resources (dns's
      // channel) and the helpers' (random names, a probe for a free port) are not the context's.
      const zmq = lib();
      const [pullAddress, pairAddress, nowhere] = [transport.bindAddress(), transport.bindAddress(), await transport.freeAddress()];
      await around.before();
      const context = new zmq.Context();
      const push = new zmq.Push({ context });
      const pull = new zmq.Pull({ context });
      const pair1 = new zmq.Pair({ context, receiveTimeout: 5000 });
      const pair2 = new zmq.Pair({ context, reconnectInterval: 10 });
      const extra = new zmq.Push({ context, reconnectInterval: 10, linger: 0 });
      try {
        const endpoint = await bound(pull, pullAddress);
        push.connect(endpoint);
        const pairEndpoint = await bound(pair1, pairAddress);
        pair2.connect(pairEndpoint);
        // A connecter still retrying toward an address nobody binds, with a message queued (linger 0 drops it).
        extra.connect(nowhere);
        await extra.send("never delivered");
        for (let i = 0; i < 10; i++) await push.send(["m", String(i)]);
        assert.equal((await receiveN(pull, 10)).length, 10);
        await pair2.send("ping");
        assert.deepEqual(texts(await pair1.receive()), ["ping"]);
        await pair1.send("pong");
        assert.deepEqual(texts(await pair2.receive()), ["pong"]);
        const pending = pull.receive(); // pending at close: rejected EAGAIN
        pending.catch(() => {});
        await pull.unbind(endpoint);
      } finally {
        try {
          await closeContext(context);
        } finally {
          around.closed();
        }
      }
      return push.closed && pull.closed && pair1.closed && pair2.closed && extra.closed;
    }

    it("DESIGN.md: A closed context [...] leaves no handle, timer or listener behind: getActiveResourcesInfo() is back to its start", { ...T, skip: noContextClose }, async () => {
      let start: string[] = [];
      const allClosed = await exercise({ before: async () => void (start = await settledResources()), closed: () => {} });
      assert.equal(allClosed, true);
      assert.deepEqual(await settledResources(), start);
    });

    it("DESIGN.md: A closed context [...] leaves no handle, timer or listener behind: every async resource made meanwhile is destroyed, unref'd ones included", { ...T, skip: noContextClose }, async () => {
      // getActiveResourcesInfo() lists only what keeps the loop alive: it cannot see the
      // unref'd sockets and timers of a socket that is merely bound or connected.
      // A first, unmeasured round lets the library make what it makes once per process
      // (e.g. util/keep-alive.ts's one unref'd timer per thread), so that the measured
      // round sees what belongs to a context, whatever ran before this test.
      await exercise({ before: async () => {}, closed: () => {} });
      let tracker: ResourceTracker | undefined;
      try {
        await exercise({ before: async () => void (tracker = new ResourceTracker()), closed: () => tracker?.stop() });
        await settledResources(); // closed handles are reported destroyed from Node's immediate queue
        assert.deepEqual(tracker!.live(), [], "created during the test and never destroyed");
      } finally {
        tracker?.dispose();
      }
    });

    it("linger -1: a message queued for a peer that is not there yet is delivered after close(), once the peer binds (libzmq behaviour)", T, () =>
      withSockets(async (s) => {
        const address = await transport.freeAddress();
        // inproc only works within one context; elsewhere the sender gets its own, to await its close.
        const sender = transport.stream ? s.fork() : s;
        const push = sender.push({ linger: -1, sendTimeout: 0, reconnectInterval: 10 });
        push.connect(address);
        await push.send(["queued", "before close"]);
        push.close();
        // For omq, the context's close() resolves only once the message has gone out.
        const closing = testingReference || sender === s ? Promise.resolve() : closeContext(sender.context);

        const pull = s.pull();
        await pull.bind(address);
        const message = await within(pull.receive(), 10000, "the message queued before close() was never delivered");
        assert.deepEqual(texts(message), ["queued", "before close"]);
        await within(closing, 10000, "close() with linger -1 did not finish after delivering");
      }),
    );

    // libzmq hands an inproc connect-before-bind's pipe to the context, and delivers its messages even with linger 0.
    const inprocKeeps = transport.stream ? false : "libzmq delivers an inproc connect-before-bind's messages even with linger 0";
    it("linger 0: a queued message is dropped at close()", { ...T, skip: inprocKeeps }, () =>
      withSockets(async (s) => {
        const address = await transport.freeAddress();
        const sender = s.fork();
        const push = sender.push({ linger: 0, sendTimeout: 0 });
        push.connect(address);
        await push.send("dropped");
        // Wait until the socket is entirely gone: nothing of it can connect any more.
        if (testingReference) await closeAndWait(push);
        else {
          push.close();
          await closeContext(sender.context);
        }

        const pull = s.pull();
        await pull.bind(address);
        const marker = s.push();
        marker.connect(address);
        await marker.send("marker");
        assert.deepEqual(texts(await pull.receive()), ["marker"]);
        pull.receiveTimeout = 0;
        await assert.rejects(pull.receive(), { code: "EAGAIN" }, "the message queued with linger 0 was delivered");
      }),
    );
  });
}

/** Runs `script` in a child `node -e` with `zmq` bound to the library under test; resolves with its exit code and output. */
async function runChild(script: string): Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }> {
  const module = testingReference ? "zeromq" : path.join(__dirname, "..", "..", "src", "index.js");
  const source = `"use strict"; const zmq = require(${JSON.stringify(module)}); (async () => { ${script} })().catch((e) => { console.error(e); process.exitCode = 2; });`;
  const child = spawn(process.execPath, ["-e", source], { cwd: path.join(__dirname, "..", "..", ".."), stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d: Buffer) => (stdout += d));
  child.stderr.on("data", (d: Buffer) => (stderr += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on("exit", (code, signal) => resolve({ code, signal })),
  );
  try {
    const { code, signal } = await within(exited, 15000, `the child process did not exit by itself; stderr: ${stderr}`);
    return { code, signal, stdout, stderr };
  } finally {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  }
}

describe(`process exit (${libName})`, () => {
  it("a process whose sockets are all closed exits by itself, with code 0", T, async () => {
    const { code, signal, stdout, stderr } = await runChild(`
      const pull = new zmq.Pull();
      await pull.bind("tcp://127.0.0.1:*");
      const push = new zmq.Push();
      push.connect(pull.lastEndpoint);
      const pair1 = new zmq.Pair();
      await pair1.bind("tcp://127.0.0.1:*");
      const pair2 = new zmq.Pair();
      pair2.connect(pair1.lastEndpoint);
      await push.send(["hello", "child"]);
      const [a, b] = await pull.receive();
      await pair2.send("ping");
      await pair1.receive();
      push.close(); pull.close(); pair1.close(); pair2.close();
      console.log("done", String(a), String(b));
    `);
    assert.equal(signal, null, `killed by ${signal}; stderr: ${stderr}`);
    assert.equal(code, 0, `stderr: ${stderr}`);
    assert.equal(stdout.trim(), "done hello child");
  });

  it("zeromq-js-api.md §9.8: a socket that is only bound or connected does not keep the process alive", T, async () => {
    const { code, signal, stdout, stderr } = await runChild(`
      const pull = new zmq.Pull();
      await pull.bind("tcp://127.0.0.1:*");
      const push = new zmq.Push();
      push.connect(pull.lastEndpoint);
      await push.send("delivered");
      await pull.receive();
      console.log("left open");
    `);
    assert.equal(signal, null, `killed by ${signal}; stderr: ${stderr}`);
    assert.equal(code, 0, `stderr: ${stderr}`);
    assert.equal(stdout.trim(), "left open");
  });
});
