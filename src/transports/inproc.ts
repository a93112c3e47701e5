import { zmqError } from "../errors";
import { Peer, type PeerInfo } from "../pipe/peer";
import { Pipe } from "../pipe/pipe";
import type { LinkOptions } from "../session/link-options";
import type { PeerOwner } from "../session/peer-owner";

/**
 * inproc://: two sockets of one context joined by a pair of pipes, with no session, engine
 * or codec; messages pass by reference. Bind and connect work in either order: a connect
 * made before the bind gets its pipes at once (unless `immediate`) and is joined when the
 * name is bound. Each direction's high-water mark is the sender's plus the receiver's
 * (libzmq), unlimited if either is 0.
 */
interface Side {
  owner: PeerOwner;
  options: LinkOptions;
}

export class InprocLink {
  readonly connecter: Side;
  readonly name: string;
  #connecterPeer: Peer | undefined = undefined;
  #binderPeer: Peer | undefined = undefined;
  #binder: Side | undefined = undefined;
  #closed = false;
  /** The connecting socket closed with messages for a binder that has not come yet (linger). */
  #lingering = false;
  #lingerTimer: NodeJS.Timeout | undefined = undefined;
  #finishLinger: (() => void) | undefined = undefined;

  constructor(connecter: Side, name: string) {
    this.connecter = connecter;
    this.name = name;
  }

  get closed(): boolean {
    return this.#closed;
  }

  get binderOwner(): PeerOwner | undefined {
    return this.#binder?.owner;
  }

  /** Pipes made before the bind carry the connecter's limits alone. */
  prepare(): void {
    const o = this.connecter.options;
    this.#makePipes(sumHwm(o.sendHighWaterMark, o.receiveHighWaterMark), sumHwm(o.receiveHighWaterMark, o.sendHighWaterMark));
  }

  join(binder: Side): void {
    if (this.#closed) return;
    this.#binder = binder;
    const c = this.connecter.options;
    const b = binder.options;
    if (this.#connecterPeer === undefined) {
      this.#makePipes(sumHwm(c.sendHighWaterMark, b.receiveHighWaterMark), sumHwm(b.sendHighWaterMark, c.receiveHighWaterMark));
    }
    const toBinder = this.#connecterPeer!.outbound;
    const toConnecter = this.#connecterPeer!.inbound;
    this.#connecterPeer!.info = describe(b, this.name, c.connectRoutingId);
    this.connecter.owner.peerIdentified(this.#connecterPeer!);
    const peer = new Peer(toBinder, toConnecter, describe(c, this.name));
    peer.disconnect = () => this.close();
    if (!binder.owner.attachPeer(peer)) return this.close();
    this.#binderPeer = peer;
    binder.owner.emitEvent("accept", { address: `inproc://${this.name}` });
    if (this.#lingering) this.#handOver();
  }

  /**
   * The connecting socket is closing. A link that has not met its binder yet but holds
   * messages waits for it up to `lingerMs` (-1: for ever), as libzmq delivers them once the
   * name is bound; returns true when the link is finished with now.
   */
  closeConnecter(lingerMs: number, onFinished: () => void): boolean {
    const peer = this.#connecterPeer;
    if (this.#closed || this.#binder !== undefined || peer === undefined || peer.outbound.length === 0 || lingerMs === 0) {
      this.close();
      return true;
    }
    this.#lingering = true;
    peer.inbound.close();
    this.connecter.owner.detachPeer(peer);
    if (lingerMs > 0) {
      this.#lingerTimer = setTimeout(() => {
        this.close();
        onFinished();
      }, lingerMs);
      this.#lingerTimer.unref();
    }
    this.#finishLinger = onFinished;
    return false;
  }

  /** The binder came while the connecter lingered: it gets what waited, then the link ends. */
  #handOver(): void {
    clearTimeout(this.#lingerTimer);
    this.#connecterPeer!.outbound.end();
    this.#connecterPeer = undefined;
    this.#finishLinger?.();
  }

  /** Ends the link for both sides: what each already sent stays readable by the other. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    clearTimeout(this.#lingerTimer);
    for (const [peer, side] of [[this.#connecterPeer, this.connecter], [this.#binderPeer, this.#binder]] as const) {
      if (peer === undefined || side === undefined) continue;
      peer.outbound.end();
      peer.inbound.close();
      side.owner.detachPeer(peer);
    }
  }

  #makePipes(toBinderHwm: number, toConnecterHwm: number): void {
    const c = this.connecter.options;
    const toBinder = new Pipe(toBinderHwm, c.conflate);
    const toConnecter = new Pipe(toConnecterHwm, c.conflate);
    const peer = new Peer(toConnecter, toBinder, describe(undefined, this.name, c.connectRoutingId));
    peer.disconnect = () => this.close();
    if (!this.connecter.owner.attachPeer(peer)) {
      this.#closed = true;
      return;
    }
    this.#connecterPeer = peer;
  }
}

/** Where a registry looks for names it does not hold: other threads (inproc-threads.ts). */
export interface InprocElsewhere {
  /** A name was bound here. */
  bound(name: string): void;
  /** `link` found no binder here. */
  find(link: InprocLink): void;
  /** `link`'s socket closed with messages for a binder not found yet, which may come for `lingerMs`. */
  lingering(link: InprocLink, lingerMs: number): void;
}

/** The inproc names of one context. */
export class InprocRegistry {
  /** Set on the default context only: sockets of other threads' default contexts can join ours. */
  elsewhere: InprocElsewhere | undefined = undefined;
  readonly #bound = new Map<string, Side>();
  readonly #links = new Map<string, Set<InprocLink>>();

  bind(name: string, side: Side, address: string): void {
    if (this.#bound.has(name)) throw zmqError("EADDRINUSE", undefined, address);
    this.#bound.set(name, side);
    for (const link of this.#links.get(name) ?? []) if (link.connecter.owner !== side.owner) link.join(side);
    this.elsewhere?.bound(name);
  }

  binderOf(name: string): Side | undefined {
    return this.#bound.get(name);
  }

  /** Releases the name; links already made stay up (libzmq). */
  unbind(name: string, owner: PeerOwner): boolean {
    if (this.#bound.get(name)?.owner !== owner) return false;
    this.#bound.delete(name);
    return true;
  }

  connect(name: string, side: Side): InprocLink {
    const link = new InprocLink(side, name);
    let links = this.#links.get(name);
    if (links === undefined) this.#links.set(name, (links = new Set()));
    links.add(link);
    const binder = this.#bound.get(name);
    if (binder !== undefined) {
      link.join(binder);
    } else {
      if (!side.options.immediate) link.prepare();
      this.elsewhere?.find(link);
    }
    return link;
  }

  /** Forgets a link (disconnect, or the connecting socket closed), once it has delivered what `lingerMs` allows. */
  drop(link: InprocLink, lingerMs = 0): void {
    const forget = () => this.#links.get(link.name)?.delete(link);
    if (link.closeConnecter(lingerMs, forget)) forget();
    else this.elsewhere?.lingering(link, lingerMs);
  }

  /** Closes every link bound through `owner` (the binding socket is closing). */
  dropBinder(owner: PeerOwner): void {
    for (const [name, side] of this.#bound) if (side.owner === owner) this.#bound.delete(name);
    for (const links of this.#links.values()) {
      for (const link of links) {
        if (link.binderOwner !== owner) continue;
        link.close();
        links.delete(link);
      }
    }
  }
}

function sumHwm(a: number, b: number): number {
  return a === 0 || b === 0 ? 0 : a + b;
}

/** What one side knows of the other; `connectRoutingId` is the connecter's name for the binder (ROUTER/STREAM connect). */
function describe(options: LinkOptions | undefined, name: string, connectRoutingId?: Buffer): PeerInfo {
  const info: PeerInfo = {
    socketType: options?.socketType ?? "",
    identity: options?.routingId ?? Buffer.alloc(0),
    metadata: new Map(),
    endpoint: `inproc://${name}`,
  };
  if (connectRoutingId !== undefined) info.connectRoutingId = connectRoutingId;
  return info;
}
