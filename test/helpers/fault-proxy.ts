// A TCP proxy that misbehaves on request, for the fault tests: it sits between two peers
// (each accepted connection gets its own connection to the target) and can delay every
// chunk, stall (stop reading, so TCP back-pressure builds as on a hung link), reset both
// connections of a link with an RST, and flip a chosen byte of a stream. Node `net` only:
// this kernel has no `tc netem`.
import { createServer, connect, type Server, type Socket } from "node:net";

/** upstream: from the peer that connected to the proxy to the target; downstream: back. */
export type Direction = "upstream" | "downstream";

/** Called for every chunk before it is forwarded; may reset the link or stall the proxy. */
export type ChunkHook = (link: ProxyLink, direction: Direction, chunk: Buffer) => void;

export class FaultProxy {
  readonly endpoint: string;
  /** Links open now, oldest first. */
  readonly links = new Set<ProxyLink>();
  /** Every chunk is held this long before it is forwarded (order is kept). */
  delayMs = 0;
  onChunk: ChunkHook | undefined = undefined;
  /** Links accepted so far. */
  accepted = 0;
  readonly #server: Server;
  #stalled = false;
  /** Identifies the latest stallFor(), so that an earlier one's timer does not end it. */
  #stallToken: object | undefined = undefined;

  private constructor(server: Server, endpoint: string) {
    this.#server = server;
    this.endpoint = endpoint;
  }

  /** Listens on a free port of 127.0.0.1 and forwards to `target` (a tcp:// endpoint). */
  static async start(target: string): Promise<FaultProxy> {
    const { hostname, port } = new URL(target);
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(0, "127.0.0.1", resolve);
    });
    const proxy = new FaultProxy(server, `tcp://127.0.0.1:${(server.address() as { port: number }).port}`);
    server.on("connection", (client) => proxy.#accept(client, hostname, Number(port)));
    return proxy;
  }

  /** The newest open link. */
  get current(): ProxyLink | undefined {
    return [...this.links].at(-1);
  }

  /** Stops forwarding on every link, present and future, until resume(). */
  stall(): void {
    this.#stalled = true;
    for (const link of this.links) link.pause();
  }

  resume(): void {
    this.#stalled = false;
    for (const link of this.links) link.resume();
  }

  /** Stalls for `ms`, then resumes (unless a later stall is still running). */
  stallFor(ms: number): void {
    this.stall();
    const token = (this.#stallToken = {});
    setTimeout(() => this.#stallToken === token && this.resume(), ms).unref();
  }

  /** Resets (RST) both connections of every open link. */
  resetAll(): void {
    for (const link of this.links) link.reset();
  }

  async close(): Promise<void> {
    this.resetAll();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  #accept(client: Socket, host: string, port: number): void {
    this.accepted++;
    const link = new ProxyLink(this, client, connect({ host, port }));
    this.links.add(link);
    link.closed.then(() => this.links.delete(link));
    if (this.#stalled) link.pause();
  }
}

/** One accepted connection and its connection to the target. */
export class ProxyLink {
  readonly upstream: Flow;
  readonly downstream: Flow;
  readonly closed: Promise<void>;

  constructor(proxy: FaultProxy, client: Socket, server: Socket) {
    this.upstream = new Flow(proxy, this, "upstream", client, server);
    this.downstream = new Flow(proxy, this, "downstream", server, client);
    const gone = (socket: Socket) => new Promise<void>((resolve) => socket.once("close", () => resolve()));
    this.closed = Promise.all([gone(client), gone(server)]).then(() => undefined);
  }

  pause(): void {
    this.upstream.pause();
    this.downstream.pause();
  }

  resume(): void {
    this.upstream.resume();
    this.downstream.resume();
  }

  /** Drops both connections with an RST, as a crashed middlebox or peer would. */
  reset(): void {
    this.upstream.reset();
    this.downstream.reset();
  }

  /** Flips (XOR `mask`) the byte `ahead` bytes after the last one that reached the proxy in `direction`. */
  corrupt(direction: Direction, ahead: number, mask: number): void {
    this[direction].corruptAt = { offset: this[direction].received + ahead, mask };
  }
}

/** One direction of a link: reads `from`, writes `to`, in order, after the proxy's delay. */
class Flow {
  /** Bytes read from the source so far. */
  received = 0;
  corruptAt: { offset: number; mask: number } | undefined = undefined;
  readonly #proxy: FaultProxy;
  readonly #link: ProxyLink;
  readonly #direction: Direction;
  readonly #from: Socket;
  readonly #to: Socket;
  readonly #queue: Array<{ chunk: Buffer; due: number }> = [];
  #timer: NodeJS.Timeout | undefined = undefined;
  #paused = false;
  /** The target's write buffer is full: read no more until it drains. */
  #draining = false;
  #ended = false;

  constructor(proxy: FaultProxy, link: ProxyLink, direction: Direction, from: Socket, to: Socket) {
    this.#proxy = proxy;
    this.#link = link;
    this.#direction = direction;
    this.#from = from;
    this.#to = to;
    from.on("error", () => undefined); // a reset is reported by 'close' (hadError), below
    from.on("data", (chunk: Buffer) => this.#take(chunk));
    from.on("end", () => {
      this.#ended = true;
      this.#pump();
    });
    // The source went away: an abortive close travels on as an RST, an orderly one as a FIN (after the queue).
    from.on("close", (hadError) => {
      if (hadError) this.reset();
    });
  }

  pause(): void {
    this.#paused = true;
    this.#from.pause();
  }

  resume(): void {
    this.#paused = false;
    if (!this.#draining) this.#from.resume();
    this.#pump();
  }

  reset(): void {
    this.#queue.length = 0;
    clearTimeout(this.#timer);
    for (const socket of [this.#from, this.#to]) if (!socket.destroyed) socket.resetAndDestroy();
  }

  #take(chunk: Buffer): void {
    const start = this.received;
    this.received += chunk.length;
    const corrupt = this.corruptAt;
    if (corrupt !== undefined && corrupt.offset >= start && corrupt.offset < this.received) {
      chunk = Buffer.from(chunk); // the source's buffer may be shared
      chunk[corrupt.offset - start]! ^= corrupt.mask;
      this.corruptAt = undefined;
    }
    this.#proxy.onChunk?.(this.#link, this.#direction, chunk);
    if (this.#from.destroyed) return; // the hook reset the link
    this.#queue.push({ chunk, due: Date.now() + this.#proxy.delayMs });
    this.#pump();
  }

  #pump(): void {
    if (this.#paused || this.#draining || this.#timer !== undefined || this.#to.destroyed) return;
    while (this.#queue.length > 0) {
      const wait = this.#queue[0]!.due - Date.now();
      if (wait > 0) {
        this.#timer = setTimeout(() => {
          this.#timer = undefined;
          this.#pump();
        }, wait);
        return;
      }
      if (!this.#to.write(this.#queue.shift()!.chunk)) {
        this.#draining = true;
        this.#from.pause();
        this.#to.once("drain", () => {
          this.#draining = false;
          if (!this.#paused) this.#from.resume();
          this.#pump();
        });
        return;
      }
    }
    if (this.#ended && !this.#to.writableEnded) this.#to.end();
  }
}
