import type { Socket as NetSocket } from "node:net";
import { Engine, type Connection, type EngineError, type EngineHost, type EngineOptions } from "../engine/engine";
import { RawEngine } from "../engine/raw-engine";
import { mechanismFactory } from "../mechanisms/select";
import { Peer, type PeerInfo } from "../pipe/peer";
import { Pipe } from "../pipe/pipe";
import { deferred } from "../util/deferred";
import { keepAlive } from "../util/keep-alive";
import { handshakeFailure } from "./handshake-event";
import type { LinkOptions } from "./link-options";
import type { PeerOwner } from "./peer-owner";

/**
 * One peer of a socket across the connections that carry it: owns the peer's two pipes and
 * joins them to whichever Engine is live. A connecting session (`persistent`) outlives its
 * connections, so messages queued while the link is down go out after the reconnect
 * (libzmq, unless `immediate`); an accepted one ends with its only connection.
 *
 * Close, one line per state:
 * - open: an engine may come and go.
 * - lingering: close(linger) was called while messages wait; the engine flushes them, or the
 *   connecter keeps dialing, until they are out or the linger timer fires.
 * - closed: pipes dropped, engine destroyed, `closed` resolved.
 */
export class Session implements EngineHost {
  readonly endpoint: string;
  /** Called when an engine goes away while the session stays open: the connecter dials again. */
  onEngineLost: ((error: EngineError | undefined) => void) | undefined = undefined;

  readonly #owner: PeerOwner;
  readonly #options: LinkOptions;
  readonly #persistent: boolean;
  /** Pipes made at connect time and kept across reconnects (libzmq, unless immediate; never for raw STREAM links). */
  readonly #keepsPipes: boolean;
  #peer: Peer | undefined = undefined;
  #engine: Connection | undefined = undefined;
  #closing = false;
  #lingerTimer: NodeJS.Timeout | undefined = undefined;
  /** Closing with messages still to deliver keeps the process alive, as libzmq's blocky context does. */
  #holdingLoop = false;
  readonly #done = deferred<void>();
  #finished = false;

  constructor(owner: PeerOwner, options: LinkOptions, endpoint: string, persistent: boolean) {
    this.#owner = owner;
    this.#options = options;
    this.endpoint = endpoint;
    this.#persistent = persistent;
    this.#keepsPipes = persistent && !options.immediate && options.socketType !== "STREAM";
    if (this.#keepsPipes) this.#createPeer(unknownPeer(endpoint, options.connectRoutingId));
  }

  get connected(): boolean {
    return this.#engine !== undefined;
  }

  get closing(): boolean {
    return this.#closing;
  }

  /** Resolves once the session has closed and let go of everything. */
  get closed(): Promise<void> {
    return this.#done.promise;
  }

  /** Runs the ZMTP engine over a fresh connection. */
  attach(stream: NetSocket): void {
    if (this.#finished) {
      stream.destroy();
      return;
    }
    const connection = this.#options.socketType === "STREAM" ? new RawEngine(stream, this.endpoint, this) : new Engine(stream, this.#engineOptions(), this);
    this.#engine = connection;
    connection.start();
  }

  #engineOptions(): EngineOptions {
    const o = this.#options;
    return {
      socketType: o.socketType,
      routingId: o.routingId,
      maxMessageSize: o.maxMessageSize,
      handshakeInterval: o.handshakeInterval,
      heartbeatInterval: o.heartbeatInterval,
      heartbeatTimeout: o.heartbeatTimeout,
      heartbeatTimeToLive: o.heartbeatTimeToLive,
      endpoint: this.endpoint,
      asServer: !this.#persistent,
      mechanism: mechanismFactory(o.security, this.#owner.context),
    };
  }

  engineReady(engine: Connection, info: PeerInfo): { inbound: Pipe; outbound: Pipe } | undefined {
    if (engine !== this.#engine) return undefined;
    if (this.#options.connectRoutingId !== undefined) info.connectRoutingId = this.#options.connectRoutingId;
    this.#owner.emitEvent("handshake", { address: this.endpoint });
    if (this.#peer === undefined) {
      if (!this.#createPeer(info)) return undefined;
    } else {
      this.#peer.info = info;
      this.#owner.peerIdentified(this.#peer);
    }
    const peer = this.#peer!;
    // A session closing while it dialed: this engine flushes what waited, then ends (the linger timer bounds it).
    if (this.#closing) queueMicrotask(() => engine.close(-1));
    return { inbound: peer.inbound, outbound: peer.outbound };
  }

  engineClosed(engine: Connection, error: EngineError | undefined): void {
    if (engine !== this.#engine) return;
    this.#engine = undefined;
    if (this.#peer !== undefined) {
      // The pipes outlive this engine (connecting side): unhook it so the next engine takes over.
      this.#peer.outbound.onReadable = undefined;
      this.#peer.inbound.onWritable = undefined;
    }
    if (this.#closing) return this.#finish();
    if (error?.handshake) this.#owner.emitEvent(...handshakeFailure(error, this.endpoint));
    if (!this.#keepsPipes) this.#dropPeer();
    this.onEngineLost?.(error);
  }

  /** Starts closing: queued messages get `lingerMs` to go out (-1: as long as it takes). */
  close(lingerMs: number): Promise<void> {
    if (this.#closing) return this.#done.promise;
    this.#closing = true;
    const pending = this.#peer !== undefined && this.#peer.outbound.length > 0;
    if (pending && lingerMs !== 0) {
      this.#holdingLoop = true;
      keepAlive.hold();
    }
    if (this.#engine !== undefined) {
      this.#engine.close(lingerMs);
    } else if (pending && lingerMs !== 0 && this.#persistent) {
      // Not connected: the connecter keeps dialing and the engine flushes once it is up.
      if (lingerMs > 0) this.#lingerTimer = setTimeout(() => this.#finish(), lingerMs);
    } else {
      this.#finish();
    }
    return this.#done.promise;
  }

  /** Stops at once, dropping whatever is queued. */
  destroy(): void {
    this.#closing = true;
    if (this.#engine !== undefined) this.#engine.destroy();
    else this.#finish();
  }

  #createPeer(info: PeerInfo): boolean {
    const o = this.#options;
    const peer = new Peer(new Pipe(o.receiveHighWaterMark, o.conflate), new Pipe(o.sendHighWaterMark, o.conflate), info);
    peer.disconnect = () => this.destroy();
    if (!this.#owner.attachPeer(peer)) return false;
    this.#peer = peer;
    return true;
  }

  #dropPeer(): void {
    const peer = this.#peer;
    if (peer === undefined) return;
    this.#peer = undefined;
    peer.outbound.close();
    peer.inbound.end();
    this.#owner.detachPeer(peer);
  }

  #finish(): void {
    if (this.#finished) return;
    this.#finished = true;
    clearTimeout(this.#lingerTimer);
    if (this.#holdingLoop) keepAlive.release();
    const engine = this.#engine;
    this.#engine = undefined;
    engine?.destroy();
    this.#dropPeer();
    this.#done.resolve();
  }
}

/** A peer dialed but not yet met; connect(addr, {routingId}) already names it (ROUTER routes to it at once). */
function unknownPeer(endpoint: string, connectRoutingId: Buffer | undefined): PeerInfo {
  const info: PeerInfo = { socketType: "", identity: Buffer.alloc(0), metadata: new Map(), endpoint };
  if (connectRoutingId !== undefined) info.connectRoutingId = connectRoutingId;
  return info;
}
