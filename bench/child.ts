// A forked child process whose IPC messages are buffered in order: `next()` returns the next
// one, or rejects if the child exits first (its own error is on the shared stderr).
import { fork, type ChildProcess } from "node:child_process";

export class Child {
  readonly name: string;
  readonly process: ChildProcess;
  #inbox: unknown[] = [];
  #waiting: Array<{ resolve: (message: unknown) => void; reject: (err: Error) => void }> = [];
  #exit: Promise<number | null>;

  constructor(name: string, file: string, args: string[]) {
    this.name = name;
    this.process = fork(file, args);
    this.process.on("message", (message) => {
      const waiter = this.#waiting.shift();
      if (waiter) waiter.resolve(message);
      else this.#inbox.push(message);
    });
    this.process.on("error", (err) => {
      for (const waiter of this.#waiting.splice(0)) waiter.reject(err);
    });
    this.#exit = new Promise((resolve) => {
      this.process.once("exit", (code, signal) => {
        const err = new Error(`${name} exited with ${signal ?? `code ${code}`} before reporting`);
        for (const waiter of this.#waiting.splice(0)) waiter.reject(err);
        resolve(code);
      });
    });
  }

  next<T>(): Promise<T> {
    if (this.#inbox.length > 0) return Promise.resolve(this.#inbox.shift() as T);
    if (this.exited) return Promise.reject(new Error(`${this.name} has exited`));
    return new Promise((resolve, reject) => this.#waiting.push({ resolve: resolve as (m: unknown) => void, reject }));
  }

  get exited(): boolean {
    return this.process.exitCode !== null || this.process.signalCode !== null;
  }

  /** Resolves once the child has exited with code 0; rejects otherwise. */
  async succeeded(): Promise<void> {
    const code = await this.#exit;
    if (code !== 0) throw new Error(`${this.name} exited with ${this.process.signalCode ?? `code ${code}`}`);
  }

  /** Closes the IPC channel; the child sees a "disconnect" event. */
  disconnect(): void {
    if (this.process.connected) this.process.disconnect();
  }

  kill(): void {
    if (!this.exited) this.process.kill("SIGKILL");
  }
}
