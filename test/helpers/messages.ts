// Small helpers to receive and compare messages.

/** Anything with zeromq.js's receive(). */
export interface Receiver {
  receive(): Promise<Buffer[]>;
}

/** Receives exactly `n` messages, in order. */
export async function receiveN(socket: Receiver, n: number): Promise<Buffer[][]> {
  const messages: Buffer[][] = [];
  for (let i = 0; i < n; i++) messages.push(await socket.receive());
  return messages;
}

/** The frames of a message as strings (UTF-8), for readable assertions. */
export function texts(message: Buffer[]): string[] {
  return message.map((frame) => frame.toString("utf8"));
}

/** A buffer of `size` bytes whose content depends on `seed` and the position, to check content after transfer. */
export function pattern(size: number, seed = 0): Buffer {
  const buffer = Buffer.allocUnsafe(size);
  let x = (seed * 2654435761 + 1) >>> 0;
  for (let i = 0; i < size; i += 4) {
    x = (x * 1664525 + 1013904223) >>> 0;
    buffer.writeUInt32LE(x, i <= size - 4 ? i : size - 4);
  }
  return buffer;
}

/** Lets pending I/O callbacks run once (a yield, not a delay). */
export function turn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * Asserts a promise rejects with a ZeroMQ error of this code (and returns the error).
 * Unlike assert.rejects, it also fails when the call throws synchronously: zeromq.js
 * distinguishes the two (zeromq-js-api.md §5.3). Use throwsCode for sync throws.
 */
export async function rejectsCode(call: () => Promise<unknown>, code: string): Promise<Error & { code?: string }> {
  let promise: Promise<unknown>;
  try {
    promise = call();
  } catch (error) {
    throw new Error(`expected a rejected promise (${code}), but the call threw synchronously: ${describeError(error)}`);
  }
  try {
    await promise;
  } catch (error) {
    const e = error as Error & { code?: string };
    if (e?.code !== code) throw new Error(`expected rejection with code ${code}, got ${describeError(error)}`);
    return e;
  }
  throw new Error(`expected rejection with code ${code}, but it resolved`);
}

/** Asserts the call throws synchronously with a ZeroMQ error of this code (and returns the error). */
export function throwsCode(call: () => unknown, code: string): Error & { code?: string } {
  let result: unknown;
  try {
    result = call();
  } catch (error) {
    const e = error as Error & { code?: string };
    if (e?.code !== code) throw new Error(`expected a synchronous throw with code ${code}, got ${describeError(error)}`);
    return e;
  }
  if (result instanceof Promise) {
    result.catch(() => {});
    throw new Error(`expected a synchronous throw with code ${code}, but the call returned a promise`);
  }
  throw new Error(`expected a synchronous throw with code ${code}, but it returned ${String(result)}`);
}

export function describeError(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return `${error.constructor.name}${code !== undefined ? ` ${String(code)}` : ""}: ${error.message}`;
  }
  return String(error);
}

/** Anything with zeromq.js's send(). */
export interface Sender {
  send(message: Buffer | string | (Buffer | string)[]): Promise<void>;
}

/**
 * Sends `message(i)` for i = 0, 1, ... until a send rejects (with a finite sendTimeout set
 * on the socket, that is EAGAIN once every queue on the way is full) or `limit` sends
 * succeeded. Returns how many were queued and the error that stopped it, if any.
 */
export async function sendUntilBlocked(
  socket: Sender,
  message: (i: number) => (Buffer | string)[],
  limit: number,
): Promise<{ sent: number; error: (Error & { code?: string }) | undefined }> {
  let sent = 0;
  while (sent < limit) {
    try {
      await socket.send(message(sent));
    } catch (error) {
      return { sent, error: error as Error & { code?: string } };
    }
    sent++;
  }
  return { sent, error: undefined };
}

/** Resolves when `socket.events` has emitted `type` `count` times (subscribe before causing it). */
export function eventCount(socket: { events: { on(type: never, listener: () => void): unknown } }, type: string, count = 1): Promise<void> {
  return new Promise((resolve) => {
    let seen = 0;
    (socket.events.on as (type: string, listener: () => void) => unknown)(type, () => {
      if (++seen === count) resolve();
    });
  });
}

export type Tagged = { index: number; message: Buffer[] };

/**
 * Keeps one receive() pending on each socket and yields messages as they arrive, tagged with
 * the index of the socket that got them. Pending receives left at the end are rejected by
 * close (EAGAIN); they are caught here.
 */
export class Receivers {
  readonly #sockets: Receiver[];
  readonly #pending: Promise<Tagged>[];

  constructor(sockets: Receiver[]) {
    this.#sockets = sockets;
    this.#pending = sockets.map((_, i) => this.#arm(i));
  }

  #arm(index: number): Promise<Tagged> {
    const p = this.#sockets[index]!.receive().then((message) => ({ index, message }));
    p.catch(() => {});
    return p;
  }

  async next(): Promise<Tagged> {
    const got = await Promise.race(this.#pending);
    this.#pending[got.index] = this.#arm(got.index);
    return got;
  }
}

/**
 * Awaits `promise`, but fails with `what` if it has not settled after `ms`. Not a timing
 * assertion: a bound that turns "never happens" into a clear failure instead of the test's
 * timeout (use well below the test's own timeout).
 */
export async function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} (nothing after ${ms} ms)`)), ms);
  });
  try {
    return await Promise.race([promise, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/** Until each of `receivers` has received one, sends `warm-up` through `sender`: all peers are then connected. Returns the Receivers to keep reading with. */
export async function untilEachReceives(sender: Sender, receivers: Receiver[]): Promise<Receivers> {
  const rx = new Receivers(receivers);
  const seen = new Set<number>();
  while (seen.size < receivers.length) {
    await sender.send(["warm-up"]);
    seen.add((await rx.next()).index);
  }
  return rx;
}
