// Clean shutdown across threads (issue 7, deliverable 4): context.close() stops every I/O
// thread after its sockets flushed; nothing of omq is left running or holding the process;
// process.exit() inside a worker thread that uses omq (with or without I/O threads of its
// own) ends that worker only, where the native binding is known to crash the process.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as path from "node:path";
import { describe, it } from "node:test";
import type { Worker } from "node:worker_threads";
import { TCP } from "../helpers";
import { join, withIo } from "./support";

const T = { timeout: 30000 };
const OMQ = path.join(__dirname, "..", "..", "src", "index.js");

/** Counts the worker threads started while `body` runs, and which of them have exited. */
// The module object itself (an `import * as` namespace is read-only), so the pool's `new Worker` sees the patch.
const workerThreads = require("node:worker_threads") as typeof import("node:worker_threads");

async function watchWorkers(body: (workers: Worker[]) => Promise<void>): Promise<{ started: number; exited: number }> {
  const counts = { started: 0, exited: 0 };
  const workers: Worker[] = [];
  const Original = workerThreads.Worker;
  (workerThreads as { Worker: typeof Original }).Worker = class extends Original {
    constructor(...args: ConstructorParameters<typeof Original>) {
      super(...args);
      counts.started++;
      workers.push(this);
      this.once("exit", () => counts.exited++);
    }
  };
  try {
    await body(workers);
  } finally {
    (workerThreads as { Worker: typeof Original }).Worker = Original;
  }
  return counts;
}

describe("clean shutdown with I/O threads", () => {
  it("context.close() stops every I/O thread and leaves no handle behind", T, async () => {
    const before = process.getActiveResourcesInfo().sort();
    const counts = await watchWorkers(() =>
      withIo(2, async (io) => {
        const pull = io.make("omq", "Pull");
        const push = io.make("omq", "Push");
        await join(pull, push, TCP.bindAddress());
        await push.send("x");
        await pull.receive();
      }),
    );
    assert.equal(counts.started, 2, "one worker per I/O thread");
    assert.equal(counts.exited, 2, "all of them ended when the context closed");
    assert.deepEqual(process.getActiveResourcesInfo().sort(), before);
  });

  it("an I/O thread that dies takes its endpoints with it; the next bind gets a fresh thread", T, async () => {
    const counts = await watchWorkers((workers) =>
      withIo(1, async (io) => {
        const pull = io.make("omq", "Pull");
        const push = io.make("omq", "Push");
        await join(pull, push, TCP.bindAddress());
        await push.send("before");
        await pull.receive();
        await workers[0]!.terminate();
        const again = io.make("omq", "Pull");
        await again.bind(TCP.bindAddress());
        const sender = io.make("omq", "Push");
        sender.connect(again.lastEndpoint!);
        await sender.send("after");
        assert.deepEqual((await again.receive()).map(String), ["after"]);
      }),
    );
    assert.equal(counts.started, 2);
    assert.equal(counts.exited, 2);
  });

  it("a context that never binds or connects over tcp/ipc starts no thread", T, async () => {
    const counts = await watchWorkers(() =>
      withIo(2, async (io) => {
        const pull = io.make("omq", "Pull");
        const push = io.make("omq", "Push");
        await join(pull, push, "inproc://no-threads-needed");
        await push.send("x");
        await pull.receive();
      }),
    );
    assert.equal(counts.started, 0);
  });
});

/** Runs `script` in a fresh Node process; returns its exit status and output. */
function run(script: string): { status: number | null; out: string } {
  const result = spawnSync(process.execPath, ["-e", script], { encoding: "utf8", timeout: 20000 });
  return { status: result.status, out: `${result.stdout}${result.stderr}` };
}

/** Source of a worker that opens omq sockets (connections in `ioThreads` threads of its own), moves a message, then process.exit(7). */
function exitingWorker(ioThreads: number): string {
  return `
    const zmq = require(${JSON.stringify(OMQ)});
    (async () => {
      const context = new zmq.Context({ ioThreads: ${ioThreads} });
      const pull = new zmq.Pull({ context });
      const push = new zmq.Push({ context });
      await pull.bind("tcp://127.0.0.1:*");
      push.connect(pull.lastEndpoint);
      await push.send("x");
      await pull.receive();
      void push.send("still queued");
      process.exit(7);
    })();`;
}

describe("what keeps the process alive with I/O threads", () => {
  it("sockets left bound and connected do not (as with ioThreads 0): the program ends by itself", T, () => {
    const { status, out } = run(`
      const zmq = require(${JSON.stringify(OMQ)});
      (async () => {
        const context = new zmq.Context({ ioThreads: 1 });
        const pull = new zmq.Pull({ context });
        const push = new zmq.Push({ context });
        await pull.bind("tcp://127.0.0.1:*");
        push.connect(pull.lastEndpoint);
        await push.send("x");
        console.log("received " + (await pull.receive()));
      })();`);
    assert.equal(status, 0, out);
    assert.match(out, /received x/, "a pending bind and receive did keep it alive until done");
  });
});

describe("process.exit() with omq running", () => {
  for (const ioThreads of [0, 1]) {
    it(`inside a worker thread using omq (ioThreads ${ioThreads}) ends that worker only`, T, () => {
      const { status, out } = run(`
        const { Worker } = require("node:worker_threads");
        const worker = new Worker(${JSON.stringify(exitingWorker(ioThreads))}, { eval: true });
        worker.on("exit", (code) => { console.log("worker exit " + code); setTimeout(() => console.log("main still running"), 50); });`);
      assert.equal(status, 0, out);
      assert.match(out, /worker exit 7\nmain still running/);
    });
  }

  it("in the main thread while I/O threads run exits with the code given", T, () => {
    const { status, out } = run(exitingWorker(2));
    assert.equal(status, 7, out);
  });
});
