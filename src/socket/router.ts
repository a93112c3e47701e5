import { zmqError } from "../errors";
import { EMPTY, type Message } from "../message";
import type { Peer } from "../pipe/peer";
import { FairQueue } from "../routing/fair-queue";
import { RoutingTable } from "../routing/routing-table";
import { SocketType } from "../socket-type";
import {
  PROBE_ROUTER_OPTION,
  ROUTER_OPTIONS,
  ROUTING_ID_OPTION,
  defineOptions,
  type ProbeRouterOption,
  type ReadableOptions,
  type RouterOptions,
  type RoutingIdOption,
  type WritableOptions,
} from "./options";
import { makeReadable, makeWritable, Socket, type SocketOptions, type Readable, type Writable } from "./socket";

export type RouterSocketOptions = ReadableOptions & WritableOptions & RoutingIdOption & ProbeRouterOption & RouterOptions;

/**
 * ROUTER (RFC 28): every message received starts with the sender's routing id; every
 * message sent starts with the id of the peer it goes to. A peer's id is the id given to
 * connect(addr, {routingId}), else its Identity, else a generated one (0x00 + 32-bit counter).
 * Unroutable messages are dropped, or refused when `mandatory` (EHOSTUNREACH; EAGAIN, i.e.
 * wait, while the peer's queue is full).
 *
 * A peer whose id is already taken is ignored, as libzmq does: its connection stays up, but
 * what it sends is discarded and nothing is routed to it. With `handover` the newcomer takes
 * the id and the old peer is ignored from then on (libzmq terminates its pipe and leaves the
 * connection idle). Closing either connection instead would make two peers that share an id
 * and reconnect take the id from each other forever.
 */
export class Router extends Socket {
  readonly #fq = new FairQueue();
  readonly #table = new RoutingTable();
  /** Peers refused an id: their messages are read and dropped (so they can detach). */
  readonly #ignored = new Set<Peer>();

  constructor(options?: SocketOptions<RouterSocketOptions>) {
    super(SocketType.ROUTER, options);
    this.applyOptions(options);
  }

  /** With `routingId`, this socket knows the peer by that id, at once: messages to it queue until it is up. */
  override connect(address: string, options?: { routingId?: string | Buffer }): void {
    super.connect(address, options);
  }

  protected override attach(peer: Peer): boolean {
    // ZMQ_PROBE_ROUTER: an empty message first, so the peer learns our id (libzmq: on every attach).
    if (this.option("probeRouter", false)) peer.outbound.write([EMPTY]);
    // A connecting session attaches before its handshake: unless connect() named the peer,
    // its id comes with identified().
    if (peer.info.connectRoutingId === undefined && peer.info.socketType === "") return true;
    this.#identify(peer);
    return true;
  }

  protected override identified(peer: Peer): void {
    // An id, once given, stays: libzmq assumes a reconnecting peer keeps its Identity.
    if (peer.routingId === undefined) this.#identify(peer);
  }

  protected override detach(peer: Peer): void {
    this.#ignored.delete(peer);
    this.#table.remove(peer);
    this.#fq.detach(peer);
  }

  protected override peerReadable(peer: Peer): void {
    if (this.#ignored.has(peer)) discard(peer);
    else this.#fq.activate(peer);
  }

  protected override get canSend(): boolean {
    if (!this.option("mandatory", false)) return true;
    let writable = false;
    this.#table.forEach((peer) => (writable ||= !peer.outbound.full));
    return writable;
  }

  protected override xsend(message: Message): boolean {
    // An id with nothing after it is malformed: libzmq ignores it silently, even when mandatory.
    if (message.length === 1) return true;
    const peer = this.#table.get(message[0]!);
    const mandatory = this.option("mandatory", false);
    if (peer === undefined || peer.outbound.closed || peer.outbound.ended) {
      if (mandatory) throw zmqError("EHOSTUNREACH");
      return true;
    }
    if (peer.outbound.write(message.slice(1))) return true;
    // Full: dropped, or (mandatory) the send waits for room, then fails EAGAIN.
    return !mandatory;
  }

  protected override get canReceive(): boolean {
    return this.#fq.canReceive;
  }

  protected override xreceive(): Message | undefined {
    const message = this.#fq.receive();
    if (message === undefined) return undefined;
    message.unshift(this.#fq.lastPeer!.routingId!);
    return message;
  }

  /** Gives the peer its routing id, or (an id already in use, without handover) ignores it. */
  #identify(peer: Peer): void {
    const info = peer.info;
    const wanted = info.connectRoutingId ?? (info.identity.length > 0 ? info.identity : undefined);
    if (wanted === undefined) {
      this.#table.add(this.#table.generateId(), peer);
    } else if (!this.#table.add(wanted, peer)) {
      const holder = this.#table.get(wanted);
      if (holder === undefined || holder === peer || !this.option("handover", false)) return this.#ignore(peer);
      // ROUTER_HANDOVER: the newcomer takes the id over from the peer that held it. An inproc
      // link has no reconnect to fear, so it ends, as libzmq's terminated pipe does there.
      this.#table.remove(holder);
      this.#fq.detach(holder);
      this.#ignore(holder);
      this.#table.add(wanted, peer);
      if (holder.info.endpoint.startsWith("inproc://")) holder.disconnect();
    }
    this.#ignored.delete(peer);
    this.#fq.attach(peer);
  }

  #ignore(peer: Peer): void {
    this.#ignored.add(peer);
    discard(peer);
  }
}

/** Reads and drops everything queued from `peer`; the empty read arms the next onReadable. */
function discard(peer: Peer): void {
  while (peer.inbound.read() !== undefined);
}

export interface Router extends Readable, Writable, ReadableOptions, WritableOptions, RoutingIdOption, ProbeRouterOption, RouterOptions {}
makeReadable(Router);
makeWritable(Router);
defineOptions(Router.prototype, { ...ROUTING_ID_OPTION, ...PROBE_ROUTER_OPTION, ...ROUTER_OPTIONS });
