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
 * message sent starts with the id of the peer it goes to. A peer's id is its Identity,
 * the id given to connect(addr, {routingId}), or a generated one (0x00 + 32-bit counter).
 * Unroutable messages are dropped, or rejected with EHOSTUNREACH when `mandatory`.
 */
export class Router extends Socket {
  readonly #fq = new FairQueue();
  readonly #table = new RoutingTable();

  constructor(options?: SocketOptions<RouterSocketOptions>) {
    super(SocketType.ROUTER, options);
    this.applyOptions(options);
  }

  override connect(address: string, options?: { routingId?: string | Buffer }): void {
    super.connect(address, options);
  }

  protected override attach(peer: Peer): boolean {
    // A connecting session attaches before the handshake: the id comes with identified().
    if (peer.info.socketType === "") return true;
    return this.#identify(peer);
  }

  protected override identified(peer: Peer): void {
    if (peer.routingId === undefined && !this.#identify(peer)) peer.disconnect();
  }

  protected override detach(peer: Peer): void {
    this.#table.remove(peer);
    this.#fq.detach(peer);
  }

  protected override peerReadable(peer: Peer): void {
    this.#fq.activate(peer);
  }

  protected override get canSend(): boolean {
    if (!this.option("mandatory", false)) return true;
    let writable = false;
    this.#table.forEach((peer) => (writable ||= peer.outbound.checkWrite()));
    return writable;
  }

  protected override xsend(message: Message): boolean {
    const peer = this.#table.get(message[0]!);
    const mandatory = this.option("mandatory", false);
    if (peer === undefined) {
      if (mandatory) throw zmqError("EHOSTUNREACH");
      return true;
    }
    if (message.length === 1) return true;
    if (peer.outbound.write(message.slice(1))) return true;
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

  /** Gives the peer its routing id; false refuses it (an id already in use, without handover). */
  #identify(peer: Peer): boolean {
    const wanted = peer.info.connectRoutingId ?? (peer.info.identity.length > 0 ? peer.info.identity : undefined);
    if (wanted === undefined) {
      this.#table.add(this.#table.generateId(), peer);
    } else if (!this.#table.add(wanted, peer)) {
      const holder = this.#table.get(wanted);
      if (holder === undefined || !this.option("handover", false)) return false;
      // ROUTER_HANDOVER: the newcomer takes the id; the old connection is closed.
      this.detach(holder);
      holder.disconnect();
      this.#table.add(wanted, peer);
    }
    this.#fq.attach(peer);
    if (this.option("probeRouter", false)) peer.outbound.write([EMPTY]);
    return true;
  }
}

export interface Router extends Readable, Writable, ReadableOptions, WritableOptions, RoutingIdOption, ProbeRouterOption, RouterOptions {}
makeReadable(Router);
makeWritable(Router);
defineOptions(Router.prototype, { ...ROUTING_ID_OPTION, ...PROBE_ROUTER_OPTION, ...ROUTER_OPTIONS });
