// A child process started by the bench, talking to it over Node's IPC channel. Its messages are
// buffered in order: `next()` returns the next one, or rejects if the child exits first. Its
// stderr is kept (the last few KB) so that a failure can say what the child said.
import { spawn, type ChildProcess } from "node:child_process";

export interface ChildOptions {
  /** Extra node flags, e.g. ["--expose-gc"]. */
  execArgv?: string[];
  /** Raise the soft open-files limit (ulimit -n) to this before node starts. */
  openFiles?: number;
}

const STDERR_KEPT = 4096;

/** A peer exits with this when it measured fine but something kept it alive after close. */
export const LINGERED_EXIT_CODE = 4;

export class Child {
  readonly name: string;
  readonly process: ChildProcess;
  #inbox: unknown[] = [];
  #waiting: Array<{ resolve: (message: unknown) => void; reject: (err: Error) => void }> = [];
  #exit: Promise<number | null>;
  #stderr = "";

  constructor(name: string, file: string, args: string[], options: ChildOptions = {}) {
    this.name = name;
    const node = [...(options.execArgv ?? []), file, ...args];
    // Node cannot call setrlimit, so a shell raises the limit and then becomes node (exec keeps
    // the IPC channel's file descriptor, which Node finds through NODE_CHANNEL_FD).
    const [command, argv] =
      options.openFiles === undefined
        ? [process.execPath, node]
        : ["/bin/sh", ["-c", raiseLimitScript(options.openFiles), process.execPath, ...node]];
    this.process = spawn(command, argv, { stdio: ["ignore", "inherit", "pipe", "ipc"] });
    this.process.stderr!.setEncoding("utf8").on("data", (text: string) => {
      this.#stderr = (this.#stderr + text).slice(-STDERR_KEPT);
    });
    this.process.on("message", (message) => {
      const waiter = this.#waiting.shift();
      if (waiter) waiter.resolve(message);
      else this.#inbox.push(message);
    });
    this.process.on("error", (err) => {
      for (const waiter of this.#waiting.splice(0)) waiter.reject(err);
    });
    // Node's "close" event never comes for a child whose IPC channel the parent disconnected,
    // so wait for "exit", then (briefly) for the end of stderr, so that its last words are kept.
    const stderrEnded = new Promise((resolve) => this.process.stderr!.once("end", resolve));
    this.#exit = new Promise((resolve) => {
      this.process.once("exit", async (code, signal) => {
        await Promise.race([stderrEnded, new Promise((r) => setTimeout(r, 200))]);
        const err = new Error(`${name} exited with ${signal ?? `code ${code}`} before reporting${this.stderrNote()}`);
        for (const waiter of this.#waiting.splice(0)) waiter.reject(err);
        resolve(code);
      });
    });
  }

  /** The next message from the child. */
  next<T>(): Promise<T> {
    if (this.#inbox.length > 0) return Promise.resolve(this.#inbox.shift() as T);
    if (this.exited) return Promise.reject(new Error(`${this.name} has exited${this.stderrNote()}`));
    return new Promise((resolve, reject) => this.#waiting.push({ resolve: resolve as (m: unknown) => void, reject }));
  }

  send(message: unknown): void {
    if (this.process.connected) this.process.send(message as object);
  }

  get exited(): boolean {
    return this.process.exitCode !== null || this.process.signalCode !== null;
  }

  /** Resolves with the exit code once the child has exited (null if a signal killed it). */
  exitCode(): Promise<number | null> {
    return this.#exit;
  }

  /** Resolves once the child has exited with code 0; rejects otherwise. */
  async succeeded(): Promise<void> {
    const code = await this.#exit;
    if (code !== 0) throw new Error(`${this.name} exited with ${this.process.signalCode ?? `code ${code}`}${this.stderrNote()}`);
  }

  /** Closes the IPC channel; the child sees a "disconnect" event: its cue to close and exit. */
  disconnect(): void {
    if (this.process.connected) this.process.disconnect();
  }

  kill(): void {
    if (!this.exited) this.process.kill("SIGKILL");
  }

  /** What the child wrote on stderr, for an error message. */
  stderrNote(): string {
    const text = this.#stderr.trim();
    return text ? `\n  ${this.name} stderr: ${text.split("\n").slice(-8).join("\n  ")}` : "";
  }
}

function raiseLimitScript(openFiles: number): string {
  return (
    `ulimit -n ${openFiles} 2>/dev/null || { echo "cannot raise the open-files limit to ${openFiles}` +
    ` (soft $(ulimit -Sn), hard $(ulimit -Hn)): raise the hard limit or use fewer --peers" >&2; exit 3; }; exec "$0" "$@"`
  );
}
