import { zmqError } from "../errors";
import { toMessage, type Message } from "../message";
import type { Peer } from "../pipe/peer";
import type { LinkOptions } from "../session/link-options";
import type { EventFields, EventName, PeerOwner } from "../session/peer-owner";
import { socketTypeName, type SocketTypeName } from "../socket-type";
import { Endpoints } from "./endpoints";
import { Observer } from "./observer";
import {
  COMMON_OPTIONS,
  CONFLATE_OPTION,
  defineOptions,
  optionStore,
  READABLE_OPTIONS,
  WRITABLE_OPTIONS,
  type CommonOptions,
  type OptionStore,
} from "./options";
import { Pending } from "./pending";
import { Context, defaultContext } from "../context";
import { microtask } from "../util/microtask";

const RESOLVED: Promise<void> = Promise.resolve();
function iterationResult(value: Message): IteratorResult<Message, undefined> {
  return { value, done: false };
}
/**
 * One in this many operations that could complete at once is settled on a later event-loop
 * turn instead (zeromq.js does the same), so a loop of `await send()` on a socket that never
 * blocks (PUB, ROUTER) still lets I/O run: otherwise nothing would reach the wire until it ended.
 */
const YIELD_EVERY = 512;
/** Set by Socket's static block: the one door into a socket's internals, for Proxy. */
let proxyAccess: (socket: Socket) => ProxyAccess;
const BLOCKED = "Socket is blocked by a bind or unbind operation";

/**
 * The zeromq.js v6 `Socket`: endpoints, options, and send/receive as promises. A pattern
 * (push.ts, pull.ts, ...) subclasses it and supplies the hooks below; it never sees a
 * transport. send/receive settle at once when they can (an already-resolved promise, no
 * event-loop turn), and otherwise wait, one at a time per direction, bounded by the timeouts.
 */
export abstract class Socket {
  readonly #type: number;
  readonly #typeName: SocketTypeName;
  readonly #store: OptionStore;
  readonly #endpoints: Endpoints;
  #context: Context | undefined;
  #closed = false;
  #closeAfterBind = false;
  /** A running Proxy owns this socket: the application's calls throw EBUSY. */
  #proxied = false;
  #sendOp: Pending<void> | undefined = undefined;
  #receiveOp: Pending<Message> | undefined = undefined;
  #observer: Observer | undefined = undefined;
  #immediateOps = 0;
  /** A wake-up of the waiting receive is queued as a microtask (one per batch of writes, see #wakeReceiveSoon). */
  #receiveWakeQueued = false;
  readonly #sendTimedOut = (): void => this.#lastSend();
  readonly #receiveTimedOut = (): void => this.#lastReceive();
  readonly #wakeReceive = (): void => {
    this.#receiveWakeQueued = false;
    this.#serviceReceive();
  };

  protected constructor(type: number, options?: { context?: Context }) {
    const name = socketTypeName(type);
    if (name === undefined) throw zmqError("EINVAL");
    if (options !== undefined && (typeof options !== "object" || options === null)) {
      throw new TypeError("Options must be an object");
    }
    const context = options?.context ?? defaultContext();
    if (!(context instanceof Context)) throw new Error("Invalid argument");
    if (options !== undefined) delete options.context;
    this.#type = type;
    this.#typeName = name;
    this.#context = context;
    this.#store = optionStore(this);
    if (!context.blocky) this.#store.values.linger = 0;
    this.#endpoints = new Endpoints(this.#owner(), context, (endpoint) => (this.#store.values.lastEndpoint = endpoint));
    context.adopt(this);
  }

  /** Seals the socket and applies the constructor's options; each concrete class calls it last. */
  protected applyOptions(options: object | undefined): void {
    Object.seal(this);
    if (options !== undefined) Object.assign(this, options);
  }

  static {
    proxyAccess = (socket) => ({
      get linked() {
        return socket.#endpoints.linked;
      },
      block: (on) => void (socket.#proxied = on),
      send: (message) => socket.#send(message),
      receive: () => socket.#receive(),
    });
  }

  // --- the pattern's hooks -------------------------------------------------------------

  /** A peer joined (handshake done, or inproc link). Return false to refuse it. */
  protected abstract attach(peer: Peer): boolean;
  /** A peer left for good. Messages it sent before leaving may still be read. */
  protected abstract detach(peer: Peer): void;
  /** A peer attached before its handshake now has its PeerInfo (ROUTER learns its identity here). */
  protected identified(_peer: Peer): void {}
  /** The peer's inbound pipe has messages again. */
  protected peerReadable(_peer: Peer): void {}
  /** The peer's outbound pipe has room again. */
  protected peerWritable(_peer: Peer): void {}
  /** Could a message be queued now (ZMQ_POLLOUT)? */
  protected get canSend(): boolean {
    return false;
  }
  /** Queues a message; false when it would block. Throws for a state error (EFSM, EHOSTUNREACH…). */
  protected xsend(_message: Message): boolean {
    throw zmqError("ENOTSUP");
  }
  /** Is a message waiting (ZMQ_POLLIN)? */
  protected get canReceive(): boolean {
    return false;
  }
  /** Takes a message, or undefined when none is waiting. Throws for a state error. */
  protected xreceive(): Message | undefined {
    throw zmqError("ENOTSUP");
  }
  /** The current value of an option, for the pattern's own use (no closed check). */
  protected option<T>(name: string, fallback: T): T {
    const value = this.#store.values[name];
    return value === undefined ? fallback : (value as T);
  }

  /** Lets a pattern wake a waiting send or receive after a change of its own state. */
  protected wake(): void {
    this.#serviceSend();
    this.#serviceReceive();
  }

  // --- properties ------------------------------------------------------------------------

  get type(): number {
    return this.#type;
  }

  get context(): Context | undefined {
    return this.#context;
  }

  get closed(): boolean {
    return this.#closed;
  }

  get readable(): boolean {
    return !this.#closed && this.canReceive;
  }

  get writable(): boolean {
    return !this.#closed && this.canSend;
  }

  get events(): Observer {
    if (this.#observer === undefined) {
      if (this.#closed) throw zmqError("ENOTSOCK");
      this.#observer = new Observer(this);
    }
    return this.#observer;
  }

  // --- endpoints ------------------------------------------------------------------------

  bind(address: string): Promise<void> {
    this.#checkUsable(arguments.length, 1);
    checkAddress(address);
    this.#store.active = true;
    const done = this.#endpoints.bind(address, this.#linkOptions());
    return this.#blockDuring(done);
  }

  unbind(address: string): Promise<void> {
    this.#checkUsable(arguments.length, 1);
    checkAddress(address);
    return this.#blockDuring(this.#endpoints.unbind(address, this.#lingerMs()));
  }

  /** Binds in the background; failures are reported as a `bind:error` event (Node cannot bind a port synchronously). */
  bindSync(address: string): void {
    this.bind(address).catch((error: Error) => this.#emit("bind:error", { address, error }));
  }

  unbindSync(address: string): void {
    this.unbind(address).catch(() => {});
  }

  connect(address: string, _options?: { routingId?: string | Buffer }): void {
    this.#checkUsable(arguments.length, 2);
    checkAddress(address);
    this.#store.active = true;
    const options = this.#linkOptions();
    if (_options?.routingId) options.connectRoutingId = Buffer.from(_options.routingId);
    this.#endpoints.connect(address, options);
  }

  disconnect(address: string): void {
    this.#checkUsable(arguments.length, 1);
    checkAddress(address);
    this.#endpoints.disconnect(address, this.#lingerMs());
  }

  /** Closes the socket; queued messages get `linger` ms to go out. Idempotent, never throws. */
  close(): void {
    if (this.#closed) return;
    if (this.#endpoints.blocked) {
      this.#closeAfterBind = true;
      return;
    }
    this.#closed = true;
    this.#store.closed = true;
    this.#settleOnClose();
    const context = this.#context!;
    this.#context = undefined;
    const done = this.#endpoints.close(this.#lingerMs()).then(() => this.#emit("end", {}));
    context.release(this, done);
  }

  #lingerMs(): number {
    return this.#store.values.linger === undefined ? -1 : (this.#store.values.linger as number);
  }

  // --- send and receive --------------------------------------------------------------------

  /** `send()`, installed on the prototype under that name for the classes that can send. */
  protected sendMessage(value: unknown): Promise<void> {
    this.#checkUsable(arguments.length, 1);
    return this.#send(toMessage(value));
  }

  #send(message: Message): Promise<void> {
    if (this.#sendOp !== undefined) {
      throw zmqError("EBUSY", "Socket is busy writing; only one send operation may be in progress at any time");
    }
    if (message.length === 0) return RESOLVED;
    try {
      if (this.canSend && this.xsend(message)) return this.#immediate(undefined);
    } catch (error) {
      return Promise.reject(error);
    }
    const timeout = this.#store.sendTimeout;
    if (timeout === 0) return this.#lastSendNow(message);
    const op = new Pending<void>(message, timeout, this.#sendTimedOut);
    this.#sendOp = op;
    return op.promise;
  }

  /** `receive()`, installed on the prototype under that name for the classes that can receive. */
  protected receiveMessage(): Promise<Message> {
    this.#checkUsable(arguments.length, 0);
    return this.#receive();
  }

  #receive(): Promise<Message> {
    this.#checkNotReceiving();
    let message: Message | undefined;
    try {
      message = this.#takeMessage();
    } catch (error) {
      return Promise.reject(error);
    }
    return message !== undefined ? this.#immediate(message) : this.#waitToReceive();
  }

  /** A message that is there to take now, or undefined. Throws the pattern's state errors. */
  #takeMessage(): Message | undefined {
    return this.canReceive ? this.xreceive() : undefined;
  }

  #checkNotReceiving(): void {
    if (this.#receiveOp !== undefined) {
      throw zmqError("EBUSY", "Socket is busy reading; only one receive operation may be in progress at any time");
    }
  }

  #waitToReceive(): Promise<Message> {
    const timeout = this.#store.receiveTimeout;
    if (timeout === 0) return this.#lastReceiveNow();
    const op = new Pending<Message>(undefined, timeout, this.#receiveTimedOut);
    this.#receiveOp = op;
    return op.promise;
  }

  /**
   * `for await (const message of socket)`: ends when the socket closes. A message already
   * queued costs its result object and one settled promise, as `receive()` does.
   */
  protected iterate(): AsyncIterator<Message, undefined> {
    return { next: this.#nextIteration };
  }

  readonly #nextIteration = (): Promise<IteratorResult<Message, undefined>> => {
    if (this.#closed) return Promise.resolve({ value: undefined, done: true });
    let message: Message | undefined;
    try {
      this.#checkUsable(0, 0);
      this.#checkNotReceiving();
      message = this.#takeMessage();
    } catch (error) {
      return Promise.reject(error);
    }
    if (message !== undefined) return this.#immediate({ value: message, done: false });
    return this.#waitToReceive().then(iterationResult, this.#endIterationOnClose);
  };

  readonly #endIterationOnClose = (error: unknown): IteratorResult<Message, undefined> => {
    if (this.#closed && (error as { code?: string }).code === "EAGAIN") return { value: undefined, done: true };
    throw error;
  };

  /** An already-settled result, except every YIELD_EVERY-th one, which waits for the check phase. */
  #immediate<T>(value: T): Promise<T> {
    if (++this.#immediateOps < YIELD_EVERY) return value === undefined ? (RESOLVED as Promise<T>) : Promise.resolve(value);
    this.#immediateOps = 0;
    return new Promise<T>((resolve) => setImmediate(resolve, value));
  }

  #serviceSend(): void {
    const op = this.#sendOp;
    if (op === undefined || !this.canSend) return;
    try {
      if (!this.xsend(op.message as Message)) return;
    } catch (error) {
      return this.#settleSend(op, error);
    }
    this.#settleSend(op, undefined);
  }

  #serviceReceive(): void {
    const op = this.#receiveOp;
    if (op === undefined || !this.canReceive) return;
    let message: Message | undefined;
    try {
      message = this.xreceive();
    } catch (error) {
      this.#receiveOp = undefined;
      op.finish();
      return op.reject(error);
    }
    if (message === undefined) return;
    this.#receiveOp = undefined;
    op.finish();
    op.resolve(message);
  }

  /** Timeout or close: one last non-blocking attempt, then EAGAIN or the state error. */
  #lastSend(): void {
    const op = this.#sendOp;
    if (op === undefined) return;
    try {
      this.#settleSend(op, this.xsend(op.message as Message) ? undefined : zmqError("EAGAIN"));
    } catch (error) {
      this.#settleSend(op, error);
    }
  }

  #lastSendNow(message: Message): Promise<void> {
    try {
      return this.xsend(message) ? RESOLVED : Promise.reject(zmqError("EAGAIN"));
    } catch (error) {
      return Promise.reject(error);
    }
  }

  #settleSend(op: Pending<void>, error: unknown): void {
    this.#sendOp = undefined;
    op.finish();
    if (error === undefined) op.resolve();
    else op.reject(error);
  }

  #lastReceive(): void {
    const op = this.#receiveOp;
    if (op === undefined) return;
    this.#receiveOp = undefined;
    op.finish();
    this.#lastReceiveNow().then(op.resolve, op.reject);
  }

  #lastReceiveNow(): Promise<Message> {
    try {
      const message = this.xreceive();
      return message !== undefined ? Promise.resolve(message) : Promise.reject(zmqError("EAGAIN"));
    } catch (error) {
      return Promise.reject(error);
    }
  }

  #settleOnClose(): void {
    this.#lastSend();
    this.#lastReceive();
  }

  #checkUsable(given: number, expected: number): void {
    if (given > expected) throw new TypeError(`Expected ${expected} argument${expected === 1 ? "" : "s"} but received ${given}`);
    if (this.#closed) throw zmqError("EBADF");
    if (this.#endpoints.blocked || this.#proxied) throw zmqError("EBUSY", BLOCKED);
  }

  #blockDuring(operation: Promise<void>): Promise<void> {
    return operation.finally(() => {
      if (this.#closeAfterBind && !this.#endpoints.blocked) this.close();
    });
  }

  #emit(type: EventName, fields: EventFields): void {
    this.#observer?.push(type, fields);
  }

  #linkOptions(): LinkOptions {
    const v = (name: string, fallback: unknown) => (name in this.#store.values ? this.#store.values[name] : fallback);
    const filter = v("tcpAcceptFilter", null) as string | null;
    return {
      socketType: this.#typeName,
      routingId: v("routingId", undefined) as Buffer | undefined,
      connectRoutingId: undefined,
      sendHighWaterMark: v("sendHighWaterMark", 1000) as number,
      receiveHighWaterMark: v("receiveHighWaterMark", 1000) as number,
      conflate: v("conflate", false) as boolean,
      immediate: v("immediate", false) as boolean,
      maxMessageSize: v("maxMessageSize", -1) as number,
      handshakeInterval: v("handshakeInterval", 30000) as number,
      heartbeatInterval: v("heartbeatInterval", 0) as number,
      heartbeatTimeout: v("heartbeatTimeout", -1) as number,
      heartbeatTimeToLive: v("heartbeatTimeToLive", 0) as number,
      reconnectInterval: v("reconnectInterval", 100) as number,
      reconnectMaxInterval: v("reconnectMaxInterval", 0) as number,
      connectTimeout: v("connectTimeout", 0) as number,
      ipv6: v("ipv6", this.#context?.ipv6 ?? false) as boolean,
      backlog: v("backlog", 100) as number,
      tcpKeepalive: v("tcpKeepalive", -1) as number,
      tcpKeepaliveIdle: v("tcpKeepaliveIdle", -1) as number,
      tcpAcceptFilter: filter === null ? undefined : filter.split(",").filter((s) => s !== ""),
      security: {
        plainServer: v("plainServer", false) as boolean,
        plainUsername: v("plainUsername", null) as string | null,
        plainPassword: v("plainPassword", null) as string | null,
        curveServer: v("curveServer", false) as boolean,
        curvePublicKey: v("curvePublicKey", null) as string | null,
        curveSecretKey: v("curveSecretKey", null) as string | null,
        curveServerKey: v("curveServerKey", null) as string | null,
        zapDomain: v("zapDomain", null) as string | null,
        zapEnforceDomain: v("zapEnforceDomain", false) as boolean,
        mechanism: v("securityMechanism", null) as "plain" | "curve" | null,
        asServer: v("securityAsServer", false) as boolean,
      },
    };
  }

  /** The face this socket shows its sessions, listeners and inproc links. */
  #owner(): PeerOwner {
    const socket = this;
    return {
      typeName: this.#typeName,
      context: this.#context!,
      get lingerMs() {
        return socket.#lingerMs();
      },
      linkOptions: () => this.#linkOptions(),
      attachPeer: (peer) => this.#attachPeer(peer),
      detachPeer: (peer) => this.#detachPeer(peer),
      peerIdentified: (peer) => {
        if (!this.#closed) this.identified(peer);
      },
      emitEvent: (type, fields) => this.#emit(type, fields),
    };
  }

  /**
   * A pipe that was empty got a message. The waiting receive is settled one microtask later,
   * not inside the writer's call: a writer in the same thread (inproc) that sends in a loop of
   * awaits then stays one message ahead, and the reader finds the next message already queued
   * instead of waiting again for each one (a Pending, and a wake-up, per message).
   */
  #wakeReceiveSoon(): void {
    if (this.#receiveOp === undefined || this.#receiveWakeQueued) return;
    this.#receiveWakeQueued = true;
    microtask(this.#wakeReceive);
  }

  /** A peer's connection is gone: forget it once what it sent before has been read (libzmq delivers it). */
  #detachPeer(peer: Peer): void {
    if (peer.inbound.length === 0) return this.detach(peer);
    peer.inbound.onDone = () => queueMicrotask(() => this.detach(peer));
  }

  #attachPeer(peer: Peer): boolean {
    if (this.#closed || !this.attach(peer)) return false;
    peer.inbound.onReadable = () => {
      this.peerReadable(peer);
      this.#wakeReceiveSoon();
    };
    peer.outbound.onWritable = () => {
      this.peerWritable(peer);
      this.#serviceSend();
    };
    this.#serviceSend();
    return true;
  }
}

/** @internal What a Proxy needs of the sockets it runs: send and receive past the EBUSY block it puts on them. */
export interface ProxyAccess {
  readonly linked: boolean;
  block(on: boolean): void;
  send(message: Message): Promise<void>;
  receive(): Promise<Message>;
}

/** @internal */
export function accessForProxy(socket: Socket): ProxyAccess {
  return proxyAccess(socket);
}

function checkAddress(address: unknown): asserts address is string {
  if (typeof address !== "string") throw new TypeError("Address must be a string");
}

/** What a socket's constructor takes: its writable options, and the context to live in. */
export type SocketOptions<Extra = object> = Partial<Omit<CommonOptions, "lastEndpoint" | "securityMechanism"> & Extra> & {
  context?: Context;
};

/** Options every socket has, as properties. */
export interface Socket extends CommonOptions {}
defineOptions(Socket.prototype, COMMON_OPTIONS);

/** What a socket that can send offers (zeromq.js `Writable`). */
export interface Writable {
  send(message: import("../message").MessageLike | import("../message").MessageLike[]): Promise<void>;
}
/** What a socket that can receive offers (zeromq.js `Readable`). */
export interface Readable {
  receive(): Promise<Buffer[]>;
  [Symbol.asyncIterator](): AsyncIterator<Buffer[], undefined>;
}

/** Gives a socket class the send side: the `send` method and the W-class options. */
export function makeWritable(cls: { prototype: object }): void {
  const proto = cls.prototype as Record<string, unknown>;
  proto.send = (Socket.prototype as unknown as Record<string, unknown>).sendMessage;
  defineOptions(proto, WRITABLE_OPTIONS);
}

/** Gives a socket class the receive side: `receive`, async iteration and the R-class options. */
export function makeReadable(cls: { prototype: object }): void {
  const proto = cls.prototype as Record<string | symbol, unknown>;
  const base = Socket.prototype as unknown as Record<string, unknown>;
  proto.receive = base.receiveMessage;
  proto[Symbol.asyncIterator] = base.iterate;
  defineOptions(proto, READABLE_OPTIONS);
}

export function makeConflatable(cls: { prototype: object }): void {
  defineOptions(cls.prototype, CONFLATE_OPTION);
}
