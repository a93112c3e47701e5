// Shared pieces of the reliability suite: a context per test, hand-built ZMTP peers (from
// test/helpers/zmtp.ts, never omq's codec), a forced GC for heap comparisons, bounded waits.
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import * as zmq from "../../src";
import { RawPeer } from "../helpers/zmtp";

export { zmq };
export const MiB = 1024 * 1024;

/** Runs `body` with a fresh Context and always closes it (every socket, timer and handle). */
export async function withContext<T>(body: (context: zmq.Context) => Promise<T>, options?: { maxSockets?: number }): Promise<T> {
  const context = new zmq.Context(options);
  try {
    return await body(context);
  } finally {
    await context.close();
  }
}

let gcFunction: (() => void) | undefined;
/** A full GC: global.gc under --expose-gc, else the same function fetched through V8's flag. */
export function gc(): void {
  if (gcFunction === undefined) {
    const exposed = (globalThis as { gc?: () => void }).gc;
    if (typeof exposed === "function") gcFunction = exposed;
    else {
      setFlagsFromString("--expose-gc");
      gcFunction = runInNewContext("gc") as () => void;
    }
  }
  gcFunction();
}

/** Heap in use plus buffer memory, after a full GC: what a leak would grow. */
export function liveBytes(): { heap: number; buffers: number } {
  gc();
  gc();
  const { heapUsed, arrayBuffers } = process.memoryUsage();
  return { heap: heapUsed, buffers: arrayBuffers };
}

/**
 * liveBytes() once the event loop has turned twice after a GC: libuv's close callbacks for
 * destroyed handles, and Node's async-hook destroy queue (a Map of every promise created since,
 * kept while a destroy hook is installed, as the test runner's is), are released first.
 */
export async function settledLiveBytes(): Promise<{ heap: number; buffers: number }> {
  gc();
  for (let i = 0; i < 2; i++) await new Promise((resolve) => setImmediate(resolve));
  return liveBytes();
}

export function mib(bytes: number): string {
  return `${(bytes / MiB).toFixed(1)} MiB`;
}

/** Rejects with `what` if `promise` has not settled within `ms` (a bound on a hang, never a timing assertion). */
export async function bounded<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} (not within ${ms} ms)`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Resolves after the socket has emitted `type` `count` times. */
export function events(socket: { events: zmq.Observer }, type: zmq.EventType, count = 1): Promise<void> {
  return new Promise((resolve) => {
    let seen = 0;
    const listener = () => {
      if (++seen < count) return;
      emitter.off(type, listener);
      resolve();
    };
    const emitter = socket.events.on(type as never, listener);
  });
}

/** A raw peer that has connected and written `bytes`; resolves with the peer. */
export async function rawPeer(endpoint: string, bytes?: Buffer): Promise<RawPeer> {
  const peer = new RawPeer(endpoint);
  await peer.connected;
  if (bytes !== undefined) await peer.write(bytes);
  return peer;
}

/** Runs `task(i)` for i in [0, n) with at most `width` in flight. */
export async function pool(n: number, width: number, task: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < n) await task(next++);
  };
  await Promise.all(Array.from({ length: Math.min(width, n) }, worker));
}

/** Does `haystack` contain `needle`? */
export function contains(haystack: Buffer, needle: string): boolean {
  return haystack.indexOf(needle) !== -1;
}

/** Resolves once `text` appears in what the raw peer has received (it keeps only a window, so watch live data). */
export function arrives(peer: RawPeer, text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    let tail = peer.received.subarray(-text.length * 2);
    const check = (chunk?: Buffer) => {
      if (chunk !== undefined) tail = Buffer.concat([tail, chunk]).subarray(-(chunk.length + text.length));
      if (tail.indexOf(text) === -1) return;
      peer.socket.off("data", check);
      peer.socket.off("close", closed);
      resolve();
    };
    const closed = () => reject(new Error(`connection closed before "${text}" arrived`));
    peer.socket.on("data", check);
    peer.socket.once("close", closed);
    check();
  });
}
