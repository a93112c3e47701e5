import type { Context } from "../context";
import { zmqError } from "../errors";
import { RemoteEndpoint } from "../io-thread/remote-endpoint";
import { Connecter } from "../session/connecter";
import type { LinkOptions } from "../session/link-options";
import { Listener } from "../session/listener";
import type { PeerOwner } from "../session/peer-owner";
import { parseEndpoint, type Endpoint } from "../transports/endpoint";
import type { InprocLink } from "../transports/inproc";
import { listen } from "../transports/transport";

/** A Listener or Connecter runs in this thread; a RemoteEndpoint in an I/O thread (ioThreads > 0). */
type Bound = Listener | RemoteEndpoint | { inproc: string };
type Connected = Connecter | RemoteEndpoint | InprocLink;

/**
 * The endpoints of one socket: what it has bound (listeners, inproc names) and what it has
 * connected (connecters, inproc links). Bind and unbind run in the background; while one
 * runs the socket is `blocked` (zeromq.js: any other call throws EBUSY).
 */
export class Endpoints {
  readonly #owner: PeerOwner;
  readonly #context: Context;
  readonly #setLastEndpoint: (endpoint: string) => void;
  /** Keyed by the resolved endpoint and by the address the user gave. */
  readonly #bound = new Map<string, Bound>();
  readonly #connected = new Map<string, Connected>();
  #busy = 0;

  constructor(owner: PeerOwner, context: Context, setLastEndpoint: (endpoint: string) => void) {
    this.#owner = owner;
    this.#context = context;
    this.#setLastEndpoint = setLastEndpoint;
  }

  /** Bound or connected to something. */
  get linked(): boolean {
    return this.#bound.size > 0 || this.#connected.size > 0;
  }

  get blocked(): boolean {
    return this.#busy > 0;
  }

  async bind(address: string, options: LinkOptions): Promise<void> {
    this.#busy++;
    try {
      const endpoint = parseEndpoint(address, "bind");
      if (endpoint.protocol === "inproc") {
        this.#context.inproc.bind(endpoint.name, { owner: this.#owner, options }, address);
        this.#remember(address, address, { inproc: endpoint.name });
        return;
      }
      if (endpoint.protocol !== "tcp" && endpoint.protocol !== "ipc") throw zmqError("EPROTONOSUPPORT", undefined, address);
      const listener = this.#context.ioThreads > 0 ? await RemoteEndpoint.bind(this.#owner, options, address) : await this.#listen(endpoint, options);
      this.#remember(address, listener.endpoint, listener);
      this.#owner.emitEvent("bind", { address: listener.endpoint });
    } catch (error) {
      this.#owner.emitEvent("bind:error", { address, error: error as Error });
      throw error;
    } finally {
      this.#busy--;
    }
  }

  async #listen(endpoint: Endpoint, options: LinkOptions): Promise<Listener> {
    const transport = await listen(endpoint, {
      ipv6: options.ipv6,
      backlog: options.backlog,
      tcpKeepalive: options.tcpKeepalive,
      tcpKeepaliveIdle: options.tcpKeepaliveIdle,
      tcpAcceptFilter: options.tcpAcceptFilter,
    });
    return new Listener(this.#owner, options, transport);
  }

  async unbind(address: string, lingerMs: number): Promise<void> {
    const bound = this.#bound.get(address);
    if (bound === undefined) throw zmqError("ENOENT", undefined, address);
    this.#busy++;
    try {
      for (const [key, value] of this.#bound) if (value === bound) this.#bound.delete(key);
      if (bound instanceof Listener || bound instanceof RemoteEndpoint) await bound.close(lingerMs);
      else this.#context.inproc.unbind(bound.inproc, this.#owner);
    } finally {
      this.#busy--;
    }
  }

  connect(address: string, options: LinkOptions): void {
    const endpoint = parseEndpoint(address, "connect");
    if (endpoint.protocol === "inproc") {
      this.#connected.set(address, this.#context.inproc.connect(endpoint.name, { owner: this.#owner, options }));
      return;
    }
    if (endpoint.protocol !== "tcp" && endpoint.protocol !== "ipc") throw zmqError("EPROTONOSUPPORT", undefined, address);
    if (this.#context.ioThreads > 0) {
      this.#connected.set(address, RemoteEndpoint.connect(this.#owner, options, address));
      return;
    }
    const connecter = new Connecter(this.#owner, options, endpoint, address);
    this.#connected.set(address, connecter);
    connecter.start();
  }

  disconnect(address: string, lingerMs: number): void {
    const connected = this.#connected.get(address);
    if (connected === undefined) throw zmqError("ENOENT", undefined, address);
    this.#connected.delete(address);
    void this.#closeConnected(connected, lingerMs);
  }

  /** Closes everything: listeners stop, sessions flush for at most `lingerMs`. */
  async close(lingerMs: number): Promise<void> {
    const closing: Promise<void>[] = [];
    for (const bound of new Set(this.#bound.values())) if (bound instanceof Listener || bound instanceof RemoteEndpoint) closing.push(bound.close(lingerMs));
    this.#bound.clear();
    this.#context.inproc.dropBinder(this.#owner);
    for (const connected of this.#connected.values()) closing.push(this.#closeConnected(connected, lingerMs));
    this.#connected.clear();
    await Promise.all(closing);
  }

  #remember(address: string, resolved: string, bound: Bound): void {
    this.#bound.set(resolved, bound);
    this.#bound.set(address, bound);
    this.#setLastEndpoint(resolved);
  }

  #closeConnected(connected: Connected, lingerMs: number): Promise<void> {
    if (connected instanceof Connecter || connected instanceof RemoteEndpoint) return connected.close(lingerMs);
    this.#context.inproc.drop(connected, lingerMs);
    return Promise.resolve();
  }
}
