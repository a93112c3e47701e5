import type { Context } from "../context";
import { IoThread } from "./io-thread";

/**
 * The I/O threads of each context that asked for them (ioThreads > 0), started on the first
 * tcp/ipc bind or connect and stopped by context.close(). A new bind or connect goes to the
 * least loaded thread, ties taken in turn.
 */
class IoPool {
  readonly threads: IoThread[];
  readonly #context: Context;
  #next = 0;

  constructor(context: Context, size: number) {
    this.#context = context;
    this.threads = Array.from({ length: size }, () => new IoThread(context));
  }

  pick(): IoThread {
    const n = this.threads.length;
    // A thread that crashed took its endpoints with it (they ended); new ones get a fresh thread.
    for (let i = 0; i < n; i++) if (this.threads[i]!.exited) this.threads[i] = new IoThread(this.#context);
    let best = this.threads[this.#next % n]!;
    for (let i = 1; i < n; i++) {
      const thread = this.threads[(this.#next + i) % n]!;
      if (thread.load < best.load) best = thread;
    }
    this.#next = (this.threads.indexOf(best) + 1) % n;
    return best;
  }
}

const pools = new WeakMap<Context, IoPool>();

/** The I/O thread for a new bind or connect of a socket in `context`. */
export function ioThreadFor(context: Context): IoThread {
  let pool = pools.get(context);
  if (pool === undefined) {
    pool = new IoPool(context, context.ioThreads);
    pools.set(context, pool);
  }
  return pool.pick();
}

/** Stops the context's I/O threads (after its sockets have closed and flushed). */
export async function closeIoThreads(context: Context): Promise<void> {
  const pool = pools.get(context);
  if (pool === undefined) return;
  pools.delete(context);
  await Promise.all(pool.threads.map((thread) => thread.terminate()));
}
