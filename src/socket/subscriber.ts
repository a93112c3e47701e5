import { zmqError } from "../errors";
import type { Message } from "../message";
import type { Peer } from "../pipe/peer";
import { FairQueue } from "../routing/fair-queue";
import { toPrefixes } from "../routing/subscription-message";
import { UpstreamSubscriptions } from "../routing/upstream-subscriptions";
import { SocketType } from "../socket-type";
import {
  INVERT_MATCHING_OPTION,
  defineOptions,
  type ConflateOption,
  type InvertMatchingOption,
  type ReadableOptions,
} from "./options";
import { makeConflatable, makeReadable, Socket, type Readable, type SocketOptions } from "./socket";

export type SubscriberOptions = ReadableOptions & ConflateOption & InvertMatchingOption;

/**
 * SUB (RFC 29): receives from its publishers fairly, and passes on only the messages whose
 * first frame starts with a subscribed prefix (later frames of a matching message come too;
 * with `invertMatching`, only the messages that match none). A new SUB is subscribed to
 * nothing. Subscriptions go to every publisher, now and after each (re)connect.
 */
export class Subscriber extends Socket {
  readonly #fq = new FairQueue();
  readonly #subscriptions = new UpstreamSubscriptions();
  /** A message that passed the filter, taken by `canReceive` (libzmq sub_t keeps one too). */
  #ready: Message | undefined = undefined;

  constructor(options?: SocketOptions<SubscriberOptions>) {
    super(SocketType.SUB, options);
    // zeromq-js-api.md §3: linger defaults to 0 on SUB (libzmq: pending subscriptions are not worth waiting for).
    this.linger = 0;
    this.applyOptions(options);
  }

  /** Receives messages starting with any of `prefixes`; with none, everything (ZMQ_SUBSCRIBE). */
  subscribe(...prefixes: Array<string | Buffer>): void {
    if (this.closed) throw zmqError("ENOTSOCK");
    for (const prefix of toPrefixes(prefixes)) this.#subscriptions.subscribe(prefix);
  }

  /** Undoes one `subscribe` of each prefix; with none, of the empty prefix (ZMQ_UNSUBSCRIBE). */
  unsubscribe(...prefixes: Array<string | Buffer>): void {
    if (this.closed) throw zmqError("ENOTSOCK");
    for (const prefix of toPrefixes(prefixes)) this.#subscriptions.unsubscribe(prefix);
  }

  protected override attach(peer: Peer): boolean {
    this.#fq.attach(peer);
    this.#subscriptions.attach(peer);
    return true;
  }

  protected override identified(peer: Peer): void {
    this.#subscriptions.identified(peer);
  }

  protected override detach(peer: Peer): void {
    this.#fq.detach(peer);
    this.#subscriptions.detach(peer);
  }

  protected override peerReadable(peer: Peer): void {
    this.#fq.activate(peer);
  }

  protected override peerWritable(peer: Peer): void {
    this.#subscriptions.drained(peer);
  }

  protected override get canReceive(): boolean {
    if (this.#ready === undefined) this.#ready = this.#nextMatching();
    return this.#ready !== undefined;
  }

  protected override xreceive(): Message | undefined {
    const message = this.#ready ?? this.#nextMatching();
    this.#ready = undefined;
    return message;
  }

  /** The next message that passes the filter; the others are dropped on the way (libzmq xsub_t::xrecv). */
  #nextMatching(): Message | undefined {
    const invert = this.option("invertMatching", false);
    for (let message = this.#fq.receive(); message !== undefined; message = this.#fq.receive()) {
      if (this.#subscriptions.matches(message[0] as Buffer) !== invert) return message;
    }
    return undefined;
  }
}

export interface Subscriber extends Readable, ReadableOptions, ConflateOption, InvertMatchingOption {}
makeReadable(Subscriber);
makeConflatable(Subscriber);
defineOptions(Subscriber.prototype, INVERT_MATCHING_OPTION);
