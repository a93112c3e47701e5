import { zmqError } from "../errors";
import type { Message } from "../message";
import type { Peer } from "../pipe/peer";
import { parseSubscription } from "../routing/subscription-message";
import { TopicDistributor } from "../routing/topic-distributor";
import { SocketType } from "../socket-type";
import {
  INVERT_MATCHING_OPTION,
  NO_DROP_OPTION,
  defineOptions,
  type ConflateOption,
  type InvertMatchingOption,
  type NoDropOption,
  type WritableOptions,
} from "./options";
import { makeConflatable, makeWritable, Socket, type SocketOptions, type Writable } from "./socket";

export type PublisherOptions = WritableOptions & NoDropOption & ConflateOption & InvertMatchingOption;

/**
 * PUB (RFC 29): each message goes to the subscribers with a matching prefix; a subscriber
 * whose queue is full misses it, and send never waits ("SHALL NOT block on sending"); with
 * `noDrop` the send is refused (EAGAIN) instead. Subscriptions are read from each peer as they arrive; anything else a peer sends
 * is dropped ("SHALL silently discard any messages that subscribers send it"). libzmq's PUB is
 * an XPUB that keeps subscriptions to itself; this one shares XPUB's TopicDistributor.
 */
export class Publisher extends Socket {
  readonly #topics = new TopicDistributor();

  constructor(options?: SocketOptions<PublisherOptions>) {
    super(SocketType.PUB, options);
    this.applyOptions(options);
  }

  protected override attach(peer: Peer): boolean {
    this.#topics.attach(peer);
    this.#readSubscriptions(peer);
    return true;
  }

  protected override detach(peer: Peer): void {
    this.#topics.detach(peer);
  }

  protected override peerReadable(peer: Peer): void {
    this.#readSubscriptions(peer);
  }

  protected override peerWritable(peer: Peer): void {
    this.#topics.activate(peer);
  }

  /** Always: a PUB never blocks (ZMQ_POLLOUT is always set, even with noDrop, as in libzmq). */
  protected override get canSend(): boolean {
    return true;
  }

  /** With noDrop and a full queue: EAGAIN at once, as through zeromq.js (TopicDistributor.send). */
  protected override xsend(message: Message): boolean {
    if (this.#topics.send(message, this.option("invertMatching", false), this.option("noDrop", false))) return true;
    throw zmqError("EAGAIN");
  }

  /** Applies every (un)subscription the peer has sent; other messages are dropped. */
  #readSubscriptions(peer: Peer): void {
    for (let message = peer.inbound.read(); message !== undefined; message = peer.inbound.read()) {
      const subscription = parseSubscription(message);
      if (subscription === undefined) continue;
      if (subscription.subscribe) this.#topics.subscribe(subscription.prefix, peer);
      else this.#topics.unsubscribe(subscription.prefix, peer);
    }
  }
}

export interface Publisher extends Writable, WritableOptions, NoDropOption, ConflateOption, InvertMatchingOption {}
makeWritable(Publisher);
makeConflatable(Publisher);
defineOptions(Publisher.prototype, { ...NO_DROP_OPTION, ...INVERT_MATCHING_OPTION });
