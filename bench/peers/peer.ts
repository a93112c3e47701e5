// What every peer program shares: its arguments (one JSON string), messages to and from the
// bench over the IPC channel, and how it ends. The bench closes the channel when it has what it
// needs; the peer then closes its sockets and must exit on its own, as any program using the
// library would. If something still holds the event loop 5 s later, the peer says what and
// exits with code 4 (the bench keeps the measurement and prints a warning).
import { LINGERED_EXIT_CODE } from "../child";
import { loadLib, type Zmq } from "../libs";

const EXIT_GRACE_MS = 5000;

// The first byte of each message of a fan-out run says what it is (pub-peer and sub-peer).
export const WARM_UP = 0x77; // "w": sent until every SUB has one, then ignored
export const DATA = 0x64; // "d": counted

export interface LibArgs {
  lib: string;
}

/** Parses the arguments, runs the peer, and turns any error into exit code 1 with the stack on stderr. */
export function peerMain<A extends LibArgs>(name: string, body: (args: A, zmq: Zmq) => Promise<void>): void {
  const args = JSON.parse(process.argv[2]) as A;
  const zmq = loadLib(args.lib);
  body(args, zmq).catch((err) => {
    console.error(`${name} (${args.lib}): ${err?.stack ?? err}`);
    process.exit(1);
  });
}

export function report(message: object): void {
  process.send!(message);
}

const inbox: unknown[] = [];
const waiting: Array<(message: unknown) => void> = [];
process.on("message", (message) => {
  const waiter = waiting.shift();
  if (waiter) waiter(message);
  else inbox.push(message);
});

/** The next message from the bench. */
export function fromBench<T>(): Promise<T> {
  if (inbox.length > 0) return Promise.resolve(inbox.shift() as T);
  return new Promise((resolve) => waiting.push(resolve as (m: unknown) => void));
}

/** Runs `close` when the bench lets go of this peer (or dies), then watches that the process ends. */
export function onFinish(close: () => void | Promise<void>): void {
  process.once("disconnect", () => {
    // The listener above must not keep the process alive once the channel is gone.
    process.removeAllListeners("message");
    void Promise.resolve()
      .then(close)
      .catch((err) => console.error(`close failed: ${err?.stack ?? err}`));
    setTimeout(() => {
      const held = process.getActiveResourcesInfo().filter((r) => r !== "TTYWrap");
      console.error(`still running ${EXIT_GRACE_MS / 1000} s after close; active resources: ${held.join(", ") || "none"}`);
      process.exit(LINGERED_EXIT_CODE);
    }, EXIT_GRACE_MS).unref();
  });
}

/** True once the bench has let go: a receive loop that fails after this was just closed. */
export function finishing(): boolean {
  return !process.connected;
}
