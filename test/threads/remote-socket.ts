// The test's handle on a socket in a worker thread (remote-socket-worker.ts): each method sends
// one command and resolves with its result, or rejects with the error (and its code) it threw.
import { join } from "node:path";
import { Worker } from "node:worker_threads";
import type { Command, RemoteSpec } from "./remote-socket-worker";

interface Reply {
  id: number;
  value?: unknown;
  error?: string;
  code?: string;
}

export class RemoteSocket {
  /** Workers not exited yet: a failed test must not leave one keeping the test file alive. */
  static readonly #live = new Set<Worker>();
  readonly worker: Worker;
  /** The worker's exit code, once it has exited. */
  readonly exited: Promise<number>;
  readonly #calls = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  #nextId = 1;

  private constructor(spec: RemoteSpec) {
    this.worker = new Worker(join(__dirname, "remote-socket-worker.js"), { workerData: spec });
    RemoteSocket.#live.add(this.worker);
    this.worker.on("message", (reply: Reply) => {
      const call = this.#calls.get(reply.id);
      this.#calls.delete(reply.id);
      if (reply.error === undefined) call?.resolve(reply.value);
      else call?.reject(Object.assign(new Error(reply.error), { code: reply.code }));
    });
    this.exited = new Promise((resolve, reject) => {
      this.worker.on("error", reject);
      this.worker.on("exit", (code) => {
        RemoteSocket.#live.delete(this.worker);
        for (const call of this.#calls.values()) call.reject(new Error(`worker exited (${code})`));
        resolve(code);
      });
    });
  }

  /** Stops every worker still running (after the tests: only a failed one leaves any). */
  static async terminateAll(): Promise<void> {
    await Promise.all([...RemoteSocket.#live].map((worker) => worker.terminate()));
  }

  /** A worker thread with one socket of `type` in its default context. */
  static async start(type: RemoteSpec["type"], options?: Record<string, unknown>): Promise<RemoteSocket> {
    const remote = new RemoteSocket({ type, options });
    await new Promise<void>((resolve) => remote.#calls.set(0, { resolve: () => resolve(), reject: () => {} }));
    return remote;
  }

  call<T = unknown>(command: Command): Promise<T> {
    const id = this.#nextId++;
    return new Promise<T>((resolve, reject) => {
      this.#calls.set(id, { resolve: resolve as (value: unknown) => void, reject });
      this.worker.postMessage({ id, command });
    });
  }

  bind(address: string): Promise<void> {
    return this.call({ op: "bind", address });
  }

  connect(address: string): Promise<void> {
    return this.call({ op: "connect", address });
  }

  send(message: Array<string | Buffer>): Promise<void> {
    return this.call({ op: "send", message: message.map((f) => (typeof f === "string" ? Buffer.from(f) : f)) });
  }

  async receive(): Promise<Buffer[]> {
    const frames = await this.call<Uint8Array[]>({ op: "receive" });
    return frames.map((f) => Buffer.from(f));
  }

  /** Receives one message as strings. */
  async texts(): Promise<string[]> {
    return (await this.receive()).map((f) => f.toString());
  }

  /** The next monitor event of `type` (accept, disconnect, handshake:error:protocol). */
  event(type: string): Promise<{ type: string; address?: string; code?: string }> {
    return this.call({ op: "event", type });
  }

  /** Closes the socket and lets the worker end; resolves with its exit code. */
  async close(): Promise<number> {
    await this.call({ op: "close" });
    return this.exited;
  }
}
