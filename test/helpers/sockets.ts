// Every test closes what it opens. A test body gets a `Sockets` scope: each socket made
// through it lives in the scope's own fresh Context, and withSockets() closes them all in
// `finally`, whatever the test did. For omq that is `await context.close()`, which resolves
// once every connection, timer and file is gone; native contexts have no close(), so their
// sockets are closed one by one (libzmq then tears them down in its own threads).
import type { Zmq } from "./lib";
import { lib as libUnderTest, nameOf } from "./lib";

type Push = InstanceType<Zmq["Push"]>;
type Pull = InstanceType<Zmq["Pull"]>;
type Pair = InstanceType<Zmq["Pair"]>;
type Context = InstanceType<Zmq["Context"]>;
export type AnySocket = Push | Pull | Pair;

/** What each class's constructor accepts (its writable options); `context` is set by the scope. */
export type PushOptions = Omit<NonNullable<ConstructorParameters<Zmq["Push"]>[0]>, "context">;
export type PullOptions = Omit<NonNullable<ConstructorParameters<Zmq["Pull"]>[0]>, "context">;
export type PairOptions = Omit<NonNullable<ConstructorParameters<Zmq["Pair"]>[0]>, "context">;

interface Closable {
  close(): void;
}

/** A group of sockets on one fresh context of one library. */
export class Sockets {
  readonly lib: Zmq;
  readonly context: Context;
  readonly #sockets: Closable[] = [];
  readonly #children: Sockets[] = [];

  constructor(lib: Zmq) {
    this.lib = lib;
    // Native contexts made non-blocky, as loadLib() does the global one; omq keeps its defaults.
    this.context = nameOf(lib) === "zeromq" ? new lib.Context({ blocky: false }) : new lib.Context();
  }

  push(options: PushOptions = {}): Push {
    return this.track(new this.lib.Push({ ...options, context: this.context }));
  }

  pull(options: PullOptions = {}): Pull {
    return this.track(new this.lib.Pull({ ...options, context: this.context }));
  }

  pair(options: PairOptions = {}): Pair {
    return this.track(new this.lib.Pair({ ...options, context: this.context }));
  }

  /** Closes `socket` with the others at the end of the test. */
  track<T extends Closable>(socket: T): T {
    this.#sockets.push(socket);
    return socket;
  }

  /** Another group, on its own fresh context (of `lib`, by default the same library). */
  fork(lib: Zmq = this.lib): Sockets {
    const child = new Sockets(lib);
    this.#children.push(child);
    return child;
  }

  /**
   * Closes every socket of this group that the test left open, with linger 0 so that a
   * message nobody will read cannot hold the cleanup (tests of linger close explicitly).
   * For omq this awaits context.close(), which resolves once every connection, timer and
   * file is gone; native contexts cannot be closed, so native sockets are just closed.
   */
  async close(): Promise<void> {
    const errors: unknown[] = [];
    await Promise.all(this.#children.map((child) => child.close().catch((e) => errors.push(e))));
    for (const socket of this.#sockets) {
      const open = socket as Closable & { closed?: boolean; linger?: number };
      if (open.closed === false) open.linger = 0;
      socket.close();
    }
    const closeContext = (this.context as unknown as { close?: () => Promise<void> }).close;
    if (typeof closeContext === "function") await closeContext.call(this.context);
    if (errors.length > 0) throw errors[0];
  }
}

/** Runs `body` with a fresh scope of `lib` (default: the library under test) and closes it all afterwards. */
export async function withSockets<T>(body: (s: Sockets) => Promise<T>, lib: Zmq = libUnderTest()): Promise<T> {
  const scope = new Sockets(lib);
  try {
    return await body(scope);
  } finally {
    await scope.close();
  }
}

/**
 * Closes one socket and resolves once it has really let go of its endpoints (its port or
 * ipc path can be bound again): the observer's `end` event, in both libraries. Used where
 * a test needs one socket gone while the others live on.
 */
export async function closeAndWait(socket: AnySocket): Promise<void> {
  const ended = new Promise<void>((resolve) => socket.events.on("end", () => resolve()));
  socket.close();
  await ended;
}

/** Binds `socket` to `address` and returns the endpoint peers should connect to (`lastEndpoint`). */
export async function bound(socket: AnySocket, address: string): Promise<string> {
  await socket.bind(address);
  const endpoint = socket.lastEndpoint;
  if (endpoint === null) throw new Error(`no lastEndpoint after bind(${address})`);
  return endpoint;
}
