import { zmqError } from "./errors";
import { closeIoThreads } from "./io-thread/pool";
import { InprocRegistry } from "./transports/inproc";
import { InprocThreads } from "./transports/inproc-threads";

/** What a context needs from its sockets (socket.ts implements it; kept narrow to avoid an import cycle). */
interface Closable {
  close(): void;
}

/**
 * A context: the sockets made with it, their defaults and the inproc names they share.
 * There is no global state beyond the default context (the `context` export). Unlike
 * zeromq.js, a context can be closed: close() closes every socket and resolves once all of
 * them have let go of their connections, timers and files.
 */
export class Context {
  /** When false, sockets created afterwards start with linger 0 (ZMQ_BLOCKY). */
  blocky = true;
  maxSockets = 1023;
  maxMessageSize = 2147483647;
  ipv6 = false;
  threadPriority: number | undefined = undefined;
  threadSchedulingPolicy: number | undefined = undefined;

  readonly #sockets = new Set<Closable>();
  readonly #closing = new Set<Promise<void>>();
  readonly #inproc = new InprocRegistry();
  #terminated = false;
  #ioThreads = 0;

  constructor(options?: Partial<Pick<Context, "blocky" | "ioThreads" | "maxSockets" | "maxMessageSize" | "ipv6">>) {
    if (options !== undefined && (typeof options !== "object" || options === null)) {
      throw new TypeError("Options must be an object");
    }
    Object.seal(this);
    if (options !== undefined) Object.assign(this, options);
  }

  /**
   * Worker threads that run the tcp/ipc connections (transport, ZMTP codec, security
   * handshakes, heartbeats) of this context's sockets, which stay in the caller's thread.
   * 0 (the default): everything runs on the caller's event loop. Read when the context
   * first binds or connects over tcp/ipc; at most MAX_IO_THREADS.
   */
  get ioThreads(): number {
    return this.#ioThreads;
  }

  set ioThreads(value: number) {
    if (!Number.isInteger(value) || value < 0 || value > MAX_IO_THREADS) throw zmqError("EINVAL");
    this.#ioThreads = value;
  }

  get maxSocketsLimit(): number {
    return 65535;
  }

  /** @internal The inproc:// names bound in this context. */
  get inproc(): InprocRegistry {
    return this.#inproc;
  }

  /** @internal A socket was made in this context. */
  adopt(socket: Closable): void {
    if (this.#terminated) throw zmqError("ETERM");
    if (this.#sockets.size >= this.maxSockets) throw zmqError("EMFILE");
    this.#sockets.add(socket);
  }

  /** @internal A socket closed; `done` resolves when its teardown has finished. */
  release(socket: Closable, done: Promise<void>): void {
    this.#sockets.delete(socket);
    this.#closing.add(done);
    void done.finally(() => this.#closing.delete(done));
  }

  /** Closes every socket of this context and waits until each has finished closing (honouring linger). */
  async close(): Promise<void> {
    for (const socket of [...this.#sockets]) socket.close();
    await Promise.all(this.#closing);
    await closeIoThreads(this);
  }

  /** Closes everything and refuses new sockets (ETERM). */
  async terminate(): Promise<void> {
    this.#terminated = true;
    await this.close();
  }
}

const MAX_IO_THREADS = 64;

let globalContext: Context | undefined;

/** The context sockets use when none is given (zeromq.js `context`). */
export function defaultContext(): Context {
  if (globalContext === undefined) {
    globalContext = new Context();
    globalContext.inproc.elsewhere = new InprocThreads(globalContext); // one per thread, as zeromq's global context is one per process
  }
  return globalContext;
}
