// One run of one scenario: the processes it starts, and a watchdog. A run either returns its
// measures or throws; either way, every child it started is gone when it returns (children
// exit on their own when told to; the watchdog or a failure SIGKILLs the rest), and the
// files it names (ipc sockets) are removed.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Child, LINGERED_EXIT_CODE, type ChildOptions } from "./child";

export class RunHarness {
  readonly #children: Child[] = [];
  readonly #files: string[] = [];
  /** Children that measured fine but did not exit on their own after closing. */
  readonly warnings: string[] = [];

  /** Starts a compiled peer program from dist/bench/peers/, with its arguments as JSON. */
  start(name: string, peer: string, args: object, options?: ChildOptions): Child {
    const child = new Child(name, path.join(__dirname, "peers", `${peer}.js`), [JSON.stringify(args)], options);
    this.#children.push(child);
    return child;
  }

  /** An ipc:// endpoint in the temp directory, removed after the run. */
  ipcEndpoint(): string {
    const file = path.join(os.tmpdir(), `omq-bench-${process.pid}-${this.#files.length}-${Date.now()}.sock`);
    this.#files.push(file);
    return `ipc://${file}`;
  }

  /** Tells every child to finish (closes its IPC channel) and waits until all have exited. */
  async finish(): Promise<void> {
    for (const child of this.#children) child.disconnect();
    await Promise.all(
      this.#children.map(async (child) => {
        const code = await child.exitCode();
        if (code === LINGERED_EXIT_CODE) this.warnings.push(`${child.name} did not exit after close${child.stderrNote()}`);
        else if (code !== 0) throw new Error(`${child.name} exited with ${child.process.signalCode ?? `code ${code}`}${child.stderrNote()}`);
      }),
    );
  }

  /** What the children wrote on stderr so far. */
  stderrNotes(): string {
    return this.#children.map((child) => child.stderrNote()).join("");
  }

  cleanUp(): void {
    for (const child of this.#children) child.kill();
    for (const file of this.#files) fs.rmSync(file, { force: true });
  }
}

/** Runs `body` against a watchdog of `timeoutMs`; kills what is left either way. */
export async function runWithWatchdog<T>(
  timeoutMs: number,
  body: (harness: RunHarness) => Promise<T>,
): Promise<{ value: T; warnings: string[] }> {
  const harness = new RunHarness();
  let timer: NodeJS.Timeout | undefined;
  const watchdog = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const said = harness.stderrNotes();
      reject(new Error(`watchdog: no result after ${timeoutMs / 1000} s, children killed${said}`));
    }, timeoutMs);
  });
  const run = body(harness);
  run.catch(() => {}); // if the watchdog wins, the run's own later failure is not news
  try {
    return { value: await Promise.race([run, watchdog]), warnings: harness.warnings };
  } finally {
    clearTimeout(timer);
    harness.cleanUp();
  }
}
