// Finds sockets and servers a test forgot to close.
//
// process.getActiveResourcesInfo() lists only handles that keep Node alive, and every handle
// a transport makes is unref()'d, so it cannot see a leaked listener or stream. async_hooks
// can: it reports each handle's creation and, once libuv has closed it, its destruction.

import { createHook } from "node:async_hooks";

const TRACKED = new Set(["TCPWRAP", "TCPSERVERWRAP", "PIPEWRAP", "PIPESERVERWRAP"]);
const REFERENCED = /TCPServerWrap|TCPSocketWrap|PipeWrap|PipeServerWrap|ConnectWrap|GetAddrInfoReqWrap/;

export class HandleTracker {
  #live = new Map<number, string>();
  #waiters: { type: string; resolve: () => void }[] = [];
  #baseline: Map<string, number>;

  constructor() {
    // stdout and stderr are pipes under the test runner: create them before tracking starts.
    void process.stdout;
    void process.stderr;
    this.#baseline = countReferenced();
    createHook({
      init: (id, type) => {
        if (!TRACKED.has(type)) return;
        this.#live.set(id, type);
        const waiter = this.#waiters.find((w) => w.type === type);
        if (waiter === undefined) return;
        this.#waiters.splice(this.#waiters.indexOf(waiter), 1);
        waiter.resolve();
      },
      destroy: (id) => {
        this.#live.delete(id);
      },
    }).enable();
  }

  /**
   * Resolves once the next handle of `type` is created. The handle is made synchronously inside
   * the call under test, and code awaiting this runs before any I/O callback of that handle.
   */
  nextCreated(type: string): Promise<void> {
    return new Promise((resolve) => this.#waiters.push({ type, resolve }));
  }

  /**
   * The handle types still open. Destruction is reported a few event-loop turns after close()
   * (libuv's close phase, then a batch of destroy hooks), so this yields turns, never time,
   * until nothing is left or it is clear something leaked.
   */
  async leftovers(): Promise<string[]> {
    for (let turn = 0; turn < 100 && this.#live.size > 0; turn++) {
      await new Promise((resolve) => setImmediate(resolve));
    }
    return [...this.#live.values()];
  }

  /** Network resources keeping Node alive beyond those at the start (the runner's stdio pipes). */
  referencedLeftovers(): string[] {
    const extra: string[] = [];
    for (const [name, count] of countReferenced()) {
      for (let i = this.#baseline.get(name) ?? 0; i < count; i++) extra.push(name);
    }
    return extra;
  }
}

/**
 * Keeps the event loop running until released. Transports unref every handle, so a test
 * awaiting a connection on them alone would see Node exit under it: the socket layer above
 * holds a reference while a send or receive is pending, and this stands in for it.
 */
export function keepProcessAlive(): () => void {
  const timer = setInterval(() => {}, 2 ** 30);
  return () => clearInterval(timer);
}

function countReferenced(): Map<string, number> {
  const counts = new Map<string, number>();
  for (const name of process.getActiveResourcesInfo()) {
    if (REFERENCED.test(name)) counts.set(name, (counts.get(name) ?? 0) + 1);
  }
  return counts;
}
