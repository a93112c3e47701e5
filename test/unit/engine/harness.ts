import { once } from "node:events";
import * as net from "node:net";
import { Engine, type Connection, type EngineError, type EngineHost, type EngineLink, type EngineOptions } from "../../../src/engine/engine";
import type { Message } from "../../../src/message";
import type { PeerInfo } from "../../../src/pipe/peer";
import { Pipe } from "../../../src/pipe/pipe";
import { encodeReady } from "../../../src/zmtp/commands";
import { encodeGreeting, GREETING_SIZE } from "../../../src/zmtp/greeting";
import { NullMechanism } from "../../../src/mechanisms/null";

/** Engine options for tests: PUSH, NULL, no limits, no heartbeats. */
export function engineOptions(overrides: Partial<EngineOptions> = {}): EngineOptions {
  return {
    socketType: "PUSH",
    routingId: undefined,
    maxMessageSize: -1,
    handshakeInterval: 0,
    heartbeatInterval: 0,
    heartbeatTimeout: -1,
    heartbeatTimeToLive: 0,
    endpoint: "tcp://127.0.0.1:5555",
    asServer: false,
    ...overrides,
  };
}

/** A Pipe that reports refused writes, so tests can wait for backpressure without sleeping. */
export class ObservedPipe extends Pipe {
  refusals = 0;
  maxLength = 0;
  onRefused: (() => void) | undefined = undefined;

  override write(message: Message): boolean {
    const ok = super.write(message);
    this.maxLength = Math.max(this.maxLength, this.length);
    if (!ok) {
      this.refusals++;
      this.onRefused?.();
    }
    return ok;
  }
}

/** An EngineHost that hands out two pipes and records what the engine tells it. */
export class StubHost implements EngineHost {
  readonly inbound: ObservedPipe;
  readonly outbound: Pipe;
  refuse = false;
  readyCalls = 0;
  closedCalls = 0;
  closedWith: EngineError | undefined = undefined;
  readonly ready: Promise<PeerInfo>;
  readonly closed: Promise<EngineError | undefined>;
  #resolveReady!: (peer: PeerInfo) => void;
  #resolveClosed!: (error: EngineError | undefined) => void;

  constructor(hwm = 1000) {
    this.inbound = new ObservedPipe(hwm);
    this.outbound = new Pipe(hwm);
    this.ready = new Promise((resolve) => (this.#resolveReady = resolve));
    this.closed = new Promise((resolve) => (this.#resolveClosed = resolve));
  }

  engineReady(_engine: Connection, peer: PeerInfo): EngineLink | undefined {
    this.readyCalls++;
    this.#resolveReady(peer);
    return this.refuse ? undefined : { inbound: this.inbound, outbound: this.outbound };
  }

  engineClosed(_engine: Connection, error: EngineError | undefined): void {
    this.closedCalls++;
    this.closedWith = error;
    this.#resolveClosed(error);
  }
}

/** The next message from a pipe, waiting on onReadable. */
export function nextMessage(pipe: Pipe): Promise<Message> {
  const message = pipe.read();
  if (message !== undefined) return Promise.resolve(message);
  return new Promise((resolve) => {
    pipe.onReadable = () => {
      const next = pipe.read();
      if (next === undefined) return;
      pipe.onReadable = undefined;
      resolve(next);
    };
  });
}

export function portOf(endpoint: string): number {
  return Number(endpoint.slice(endpoint.lastIndexOf(":") + 1));
}

export async function connectTo(port: number): Promise<net.Socket> {
  const socket = net.connect(port, "127.0.0.1");
  await once(socket, "connect");
  return socket;
}

/** A connected loopback pair: `ours` for the engine, `theirs` for a hand-driven peer. */
export async function socketPair(): Promise<{ ours: net.Socket; theirs: net.Socket; close(): void }> {
  const server = net.createServer();
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const accepted = once(server, "connection");
  const ours = await connectTo((server.address() as net.AddressInfo).port);
  const [theirs] = (await accepted) as [net.Socket];
  server.close();
  theirs.on("error", () => {});
  theirs.setNoDelay(true);
  theirs.resume(); // flowing, so it sees our FIN and closes; a Collector also listens for data
  return { ours, theirs, close: () => { ours.destroy(); theirs.destroy(); } };
}

/** Everything a hand-driven peer receives, with a way to wait for a number of bytes. */
export class Collector {
  data = Buffer.alloc(0);
  ended = false;
  #waiters: { bytes: number; resolve(): void }[] = [];
  #endWaiters: (() => void)[] = [];

  constructor(socket: net.Socket) {
    socket.on("data", (chunk: Buffer) => {
      this.data = Buffer.concat([this.data, chunk]);
      this.#waiters = this.#waiters.filter((w) => (this.data.length >= w.bytes ? (w.resolve(), false) : true));
    });
    socket.on("close", () => {
      this.ended = true;
      for (const resolve of this.#endWaiters) resolve();
      for (const w of this.#waiters) w.resolve();
    });
  }

  /** Resolves once `bytes` bytes have arrived (or the socket closed). */
  bytes(bytes: number): Promise<void> {
    if (this.data.length >= bytes || this.ended) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.push({ bytes, resolve }));
  }

  closed(): Promise<void> {
    return this.ended ? Promise.resolve() : new Promise((resolve) => this.#endWaiters.push(resolve));
  }
}

/** A frame by hand (RFC 37 "Framing"). */
export function frame(flags: number, body: Buffer | string): Buffer {
  const data = typeof body === "string" ? Buffer.from(body, "latin1") : body;
  if (data.length <= 255) return Buffer.concat([Buffer.from([flags, data.length]), data]);
  const header = Buffer.alloc(9);
  header[0] = flags | 0x02;
  header.writeBigUInt64BE(BigInt(data.length), 1);
  return Buffer.concat([header, data]);
}

/** A peer's greeting and READY, as a ZMTP 3.x NULL peer of `socketType` sends them. */
export function peerHello(socketType: string, minor = 1): Buffer {
  const greeting = encodeGreeting("NULL", false);
  greeting[11] = minor;
  return Buffer.concat([greeting, frame(0x04, encodeReady([["Socket-Type", socketType]]))]);
}

/** Starts an engine on `ours` and completes the handshake from a hand-driven peer. */
export async function handshaken(
  options: Partial<EngineOptions>,
  peerType: string,
  hwm = 1000,
  minor = 1,
): Promise<{ engine: Engine; host: StubHost; ours: net.Socket; theirs: net.Socket; received: Collector; close(): void }> {
  const pair = await socketPair();
  const host = new StubHost(hwm);
  const received = new Collector(pair.theirs);
  const engine = new Engine(pair.ours, engineOptions(options), host);
  engine.start();
  pair.theirs.write(peerHello(peerType, minor));
  await host.ready;
  // Wait for our greeting and READY to reach the peer, so tests see only what follows.
  const opts = engineOptions(options);
  const ready = new NullMechanism({ socketType: opts.socketType, routingId: opts.routingId, asServer: false }).nextCommand();
  await received.bytes(GREETING_SIZE + 2 + (ready?.length ?? 0));
  return { engine, host, ...pair, received };
}


/** Waits a few event-loop turns (not a timer) for a condition the engine reaches asynchronously. */
export async function turnsUntil(condition: () => boolean, turns = 100): Promise<boolean> {
  for (let i = 0; i < turns && !condition(); i++) await new Promise((resolve) => setImmediate(resolve));
  return condition();
}

/**
 * Engines unref() their streams (a bare connection keeps no process alive, as in
 * zeromq.js), so a test awaiting one holds the loop open itself, as a pending
 * send()/receive() does in the library. Call in before(); call the result in after().
 */
export function holdLoop(): () => void {
  const timer = setInterval(() => {}, 1 << 30);
  return () => clearInterval(timer);
}

/**
 * Records what every net.Socket but `except` writes, until restore(). The engine takes
 * its stream over (stream-reads.ts), so a test cannot watch the object it passed in.
 */
export function spyWrites(except: net.Socket[] = [], onWrite?: (bytes: Buffer) => void): { writes: Buffer[]; restore(): void } {
  const writes: Buffer[] = [];
  const original = net.Socket.prototype.write;
  net.Socket.prototype.write = function (this: net.Socket, ...args: unknown[]) {
    if (!except.includes(this) && Buffer.isBuffer(args[0])) {
      writes.push(Buffer.from(args[0]));
      onWrite?.(args[0]);
    }
    return (original as (...a: unknown[]) => boolean).apply(this, args);
  } as typeof original;
  return { writes, restore: () => void (net.Socket.prototype.write = original) };
}
