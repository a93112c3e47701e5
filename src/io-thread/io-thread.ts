import * as path from "node:path";
import { Worker, type TransferListItem } from "node:worker_threads";
import type { Context } from "../context";
import type { ToMain, ToWorker } from "./protocol";
import { ZapDesk } from "./zap-relay";

/** What an I/O thread's messages about one bind or connect go to (remote-endpoint.ts). */
export interface RemoteHandler {
  handle(message: Exclude<ToMain, { t: "zap" | "zap-cancel" }>): void;
  /** The thread died under us: let go of everything. */
  lost(): void;
}

/**
 * Main's handle on one I/O thread: the worker (unref'd, so it never keeps Node alive by
 * itself), the binds and connects it runs, and the ZAP requests it relays. Its file is
 * found next to this one in dist/.
 */
export class IoThread {
  readonly #worker: Worker;
  readonly #handlers = new Map<number, RemoteHandler>();
  readonly #zap: ZapDesk;
  #exited = false;
  readonly #exit: Promise<void>;

  constructor(context: Context) {
    this.#worker = new Worker(path.join(__dirname, "worker.js"));
    this.#zap = new ZapDesk(context, (message) => this.post(message));
    this.#worker.on("message", (message: ToMain) => this.#dispatch(message));
    // A crash of the thread must not take the application down: its endpoints just end.
    this.#worker.on("error", () => {});
    this.#exit = new Promise((resolve) => this.#worker.once("exit", () => resolve()));
    this.#worker.unref(); // after on("message"), which refs it again
    void this.#exit.then(() => this.#lost());
  }

  /** The thread has ended (terminated, or crashed). */
  get exited(): boolean {
    return this.#exited;
  }

  /** How many binds and connects this thread runs (the pool gives new ones to the least loaded). */
  get load(): number {
    return this.#handlers.size;
  }

  register(eid: number, handler: RemoteHandler): void {
    this.#handlers.set(eid, handler);
  }

  forget(eid: number): void {
    this.#handlers.delete(eid);
  }

  post(message: ToWorker, transfer?: TransferListItem[]): void {
    if (!this.#exited) this.#worker.postMessage(message, transfer);
  }

  /** Stops the thread; its endpoints should be closed (and flushed) first. */
  async terminate(): Promise<void> {
    await this.#worker.terminate();
    await this.#exit;
  }

  #dispatch(message: ToMain): void {
    switch (message.t) {
      case "zap":
        return this.#zap.ask(message.id, message.request);
      case "zap-cancel":
        return this.#zap.cancel(message.id);
      default:
        return this.#handlers.get(message.eid)?.handle(message);
    }
  }

  #lost(): void {
    this.#exited = true;
    this.#zap.clear();
    const handlers = [...this.#handlers.values()];
    this.#handlers.clear();
    for (const handler of handlers) handler.lost();
  }
}
