// A scope for I/O-thread tests: omq sockets made in a context with `ioThreads` worker
// threads, native zeromq sockets (libzmq, the reference peer) in a context of their own,
// all closed at the end whatever the test did, omq's context last (which stops its threads).
import { loadLib, type Zmq } from "../helpers/lib";

export type Side = "omq" | "zeromq";
type Context = InstanceType<Zmq["Context"]>;
type SocketClass = "Push" | "Pull" | "Request" | "Reply" | "Dealer" | "Router" | "Publisher" | "Subscriber" | "Pair" | "Stream";
type SocketOf<K extends SocketClass> = InstanceType<Zmq[K]>;

interface Closable {
  close(): void;
  closed?: boolean;
  linger?: number;
}

export class IoScope {
  readonly omq: Zmq = loadLib("omq");
  readonly native: Zmq = loadLib("zeromq");
  readonly context: Context;
  readonly #nativeContext: Context;
  readonly #sockets: Closable[] = [];

  constructor(ioThreads: number) {
    this.context = new this.omq.Context({ ioThreads });
    this.#nativeContext = new this.native.Context({ blocky: false });
  }

  /** A socket of class `type` on `side`'s library (omq: in the context with I/O threads). */
  make<K extends SocketClass>(side: Side, type: K, options: Record<string, unknown> = {}): SocketOf<K> {
    const lib = side === "omq" ? this.omq : this.native;
    const context = side === "omq" ? this.context : this.#nativeContext;
    const Class = lib[type] as unknown as new (options: Record<string, unknown>) => SocketOf<K>;
    const socket = new Class({ ...options, context });
    this.#sockets.push(socket as unknown as Closable);
    return socket;
  }

  async close(): Promise<void> {
    for (const socket of this.#sockets) {
      if (socket.closed === false) socket.linger = 0;
      socket.close();
    }
    await (this.context as unknown as { close(): Promise<void> }).close();
  }
}

export async function withIo(ioThreads: number, body: (io: IoScope) => Promise<void>): Promise<void> {
  const io = new IoScope(ioThreads);
  try {
    await body(io);
  } finally {
    await io.close();
  }
}

/** Binds `binder` on `address` and connects `connecter` to the endpoint it got. */
export async function join(binder: { bind(a: string): Promise<void>; lastEndpoint: string | null }, connecter: { connect(a: string): void }, address: string): Promise<string> {
  await binder.bind(address);
  const endpoint = binder.lastEndpoint!;
  connecter.connect(endpoint);
  return endpoint;
}
