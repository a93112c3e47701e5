import type { Message } from "../message";
import type { Peer } from "../pipe/peer";
import { Distributor } from "../routing/distributor";
import { FairQueue } from "../routing/fair-queue";
import { parseSubscription } from "../routing/subscription-message";
import { UpstreamSubscriptions } from "../routing/upstream-subscriptions";
import { SocketType } from "../socket-type";
import type { ReadableOptions, WritableOptions } from "./options";
import { makeReadable, makeWritable, Socket, type Readable, type SocketOptions, type Writable } from "./socket";

export type XSubscriberOptions = ReadableOptions & WritableOptions;

/**
 * XSUB (RFC 29): a SUB that subscribes by sending 0x01 + prefix (0x00 + prefix to cancel)
 * and may send other messages upstream too ("SHALL send all messages to all connected
 * publishers", dropped for a full queue: "SHALL NOT block on sending"). What it receives is
 * not filtered: the publishers filter (libzmq turns its filter on for SUB only). It remembers
 * its subscriptions, to send them to publishers that connect later and after a reconnect.
 */
export class XSubscriber extends Socket {
  readonly #fq = new FairQueue();
  readonly #subscriptions = new UpstreamSubscriptions();
  /** Data messages upstream (not subscriptions), to every publisher with room. */
  readonly #distributor = new Distributor();

  constructor(options?: SocketOptions<XSubscriberOptions>) {
    super(SocketType.XSUB, options);
    // zeromq-js-api.md §3: linger defaults to 0 on XSUB, as on SUB.
    this.linger = 0;
    this.applyOptions(options);
  }

  protected override attach(peer: Peer): boolean {
    this.#fq.attach(peer);
    this.#distributor.attach(peer);
    this.#subscriptions.attach(peer);
    return true;
  }

  protected override identified(peer: Peer): void {
    this.#subscriptions.identified(peer);
  }

  protected override detach(peer: Peer): void {
    this.#fq.detach(peer);
    this.#distributor.detach(peer);
    this.#subscriptions.detach(peer);
  }

  protected override peerReadable(peer: Peer): void {
    this.#fq.activate(peer);
  }

  protected override peerWritable(peer: Peer): void {
    this.#subscriptions.drained(peer);
    this.#distributor.activate(peer);
  }

  /** Always (libzmq xsub_t::xhas_out: "Subscription can be added/removed anytime"). */
  protected override get canSend(): boolean {
    return true;
  }

  /**
   * A subscription is remembered and sent up as it is, repeats included; a cancel only when
   * the prefix's last reference goes (libzmq xsub_t::xsend). Anything else goes to every
   * publisher whose queue has room.
   */
  protected override xsend(message: Message): boolean {
    const subscription = parseSubscription(message);
    if (subscription === undefined) this.#distributor.sendToAll(message);
    else if (subscription.subscribe) this.#subscriptions.subscribe(subscription.prefix, message);
    else this.#subscriptions.unsubscribe(subscription.prefix, message);
    return true;
  }

  protected override get canReceive(): boolean {
    return this.#fq.canReceive;
  }

  protected override xreceive(): Message | undefined {
    return this.#fq.receive();
  }
}

export interface XSubscriber extends Readable, Writable, ReadableOptions, WritableOptions {}
makeReadable(XSubscriber);
makeWritable(XSubscriber);
