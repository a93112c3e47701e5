import { EMPTY, type Message } from "../message";
import type { Peer } from "../pipe/peer";
import { FairQueue } from "../routing/fair-queue";
import { LoadBalancer } from "../routing/load-balancer";
import { SocketType } from "../socket-type";
import {
  CONFLATE_OPTION,
  PROBE_ROUTER_OPTION,
  ROUTING_ID_OPTION,
  defineOptions,
  type ConflateOption,
  type ProbeRouterOption,
  type ReadableOptions,
  type RoutingIdOption,
  type WritableOptions,
} from "./options";
import { makeReadable, makeWritable, Socket, type SocketOptions, type Readable, type Writable } from "./socket";

export type DealerOptions = ReadableOptions & WritableOptions & RoutingIdOption & ProbeRouterOption & ConflateOption;

/** DEALER (RFC 28): round-robin out, fair-queued in, no envelopes of its own. */
export class Dealer extends Socket {
  readonly #lb = new LoadBalancer();
  readonly #fq = new FairQueue();

  constructor(options?: SocketOptions<DealerOptions>) {
    super(SocketType.DEALER, options);
    this.applyOptions(options);
  }

  protected override attach(peer: Peer): boolean {
    this.#lb.attach(peer);
    this.#fq.attach(peer);
    // ZMQ_PROBE_ROUTER: announce ourselves with an empty message so a ROUTER learns our id.
    if (this.option("probeRouter", false)) peer.outbound.write([EMPTY]);
    return true;
  }

  protected override detach(peer: Peer): void {
    this.#lb.detach(peer);
    this.#fq.detach(peer);
  }

  protected override peerReadable(peer: Peer): void {
    this.#fq.activate(peer);
  }

  protected override peerWritable(peer: Peer): void {
    this.#lb.activate(peer);
  }

  protected override get canSend(): boolean {
    return this.#lb.canSend;
  }

  protected override xsend(message: Message): boolean {
    return this.#lb.send(message);
  }

  protected override get canReceive(): boolean {
    return this.#fq.canReceive;
  }

  protected override xreceive(): Message | undefined {
    return this.#fq.receive();
  }
}

export interface Dealer extends Readable, Writable, ReadableOptions, WritableOptions, RoutingIdOption, ProbeRouterOption, ConflateOption {}
makeReadable(Dealer);
makeWritable(Dealer);
defineOptions(Dealer.prototype, { ...ROUTING_ID_OPTION, ...PROBE_ROUTER_OPTION, ...CONFLATE_OPTION });
