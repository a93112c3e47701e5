import { zmqError } from "../errors";
import type { Message } from "../message";
import type { Peer } from "../pipe/peer";
import { MultiTrie } from "../routing/multi-trie";
import { parseSubscription, subscriptionMessage, toPrefixes, type Subscription } from "../routing/subscription-message";
import { TopicDistributor } from "../routing/topic-distributor";
import { SocketType } from "../socket-type";
import { RingQueue } from "../util/ring-queue";
import {
  INVERT_MATCHING_OPTION,
  NO_DROP_OPTION,
  XPUBLISHER_OPTIONS,
  defineOptions,
  type InvertMatchingOption,
  type NoDropOption,
  type ReadableOptions,
  type WritableOptions,
  type XPublisherOptions,
} from "./options";
import { makeReadable, makeWritable, Socket, type Readable, type SocketOptions, type Writable } from "./socket";

export type XPublisherSocketOptions = ReadableOptions & WritableOptions & NoDropOption & InvertMatchingOption & XPublisherOptions;

/** A message waiting for `receive`, and for XPUB_MANUAL the peer it speaks for. */
interface Notice {
  message: Message;
  /** The subscriber that sent it; null for an unsubscription made up at its disconnect; undefined for data. */
  from: Peer | null | undefined;
}

/**
 * XPUB (RFC 29): a PUB whose application receives the subscriptions ("SHALL deliver these
 * commands to its calling application"), and the data messages XSUBs send upstream. As in
 * libzmq xpub_t, by default a subscription is delivered only when its prefix gets its first
 * subscriber, an unsubscription when it loses its last ("MAY [...] normalize commands"), and
 * a subscriber that leaves is unsubscribed from everything it had (one whose connection we
 * accepted: a connecting XPUB keeps the peer and its subscriptions across reconnects, and
 * libzmq reports nothing then either). `verbosity` "allSubs"
 * delivers every subscription; "allSubsUnsubs" every unsubscription too, and on a disconnect
 * one per prefix the peer had. With `manual`, every (un)subscription is delivered and none is
 * applied: the application calls `subscribe`/`unsubscribe` for the peer of the last one it
 * received (libzmq: ZMQ_SUBSCRIBE on an XPUB with ZMQ_XPUB_MANUAL; zeromq.js reaches it only
 * through its raw option setters).
 *
 * Subscriptions are applied as they arrive, however long the application takes to receive
 * (libzmq queues what it delivers without a bound). Data messages from XSUBs are held to a
 * bound: once `receiveHighWaterMark` messages wait, a peer's data, and whatever it sent after,
 * stays in its pipe, which pushes back on the peer; the rest of it is read as the queue empties.
 */
export class XPublisher extends Socket {
  readonly #topics = new TopicDistributor();
  /** XPUB_MANUAL: what each peer asked for, to unsubscribe it from when it leaves. */
  readonly #requested = new MultiTrie<Peer>();
  readonly #notices = new RingQueue<Notice>();
  /** Peers whose pipe holds data we did not take because `#notices` was full. */
  readonly #stalled = new Set<Peer>();
  /** XPUB_MANUAL: the peer whose subscription the application received last. */
  #lastPeer: Peer | undefined = undefined;

  constructor(options?: SocketOptions<XPublisherSocketOptions>) {
    super(SocketType.XPUB, options);
    this.applyOptions(options);
  }

  /** With `manual`: subscribes the peer of the last subscription received to `prefixes` (none: everything). */
  subscribe(...prefixes: Array<string | Buffer>): void {
    for (const prefix of this.#manualPrefixes(prefixes)) this.#topics.subscribe(prefix, this.#lastPeer!);
  }

  /** With `manual`: unsubscribes the peer of the last subscription received from `prefixes`. */
  unsubscribe(...prefixes: Array<string | Buffer>): void {
    for (const prefix of this.#manualPrefixes(prefixes)) this.#topics.unsubscribe(prefix, this.#lastPeer!);
  }

  protected override attach(peer: Peer): boolean {
    this.#topics.attach(peer);
    // ZMQ_XPUB_WELCOME_MSG: the first message every new subscriber gets (libzmq xattach_pipe).
    const welcome = this.option<string | null>("welcomeMessage", null);
    if (welcome !== null && welcome.length > 0) peer.outbound.write([Buffer.from(welcome, "utf8")]);
    this.#read(peer);
    return true;
  }

  protected override detach(peer: Peer): void {
    this.#stalled.delete(peer);
    const before = this.#notices.length;
    const unsubscribed = (prefix: Buffer) => this.#notices.push({ message: subscriptionMessage(false, prefix), from: null });
    if (this.option("manual", false)) {
      this.#requested.forEachPrefixOf(peer, unsubscribed);
      this.#requested.removeSubscriber(peer);
      this.#topics.detach(peer);
      if (this.#lastPeer === peer) this.#lastPeer = undefined;
    } else {
      this.#topics.detach(peer, unsubscribed, this.#verbosity === "allSubsUnsubs");
    }
    if (this.#notices.length > before) this.wake(); // a receive may be waiting for these
  }

  protected override peerReadable(peer: Peer): void {
    this.#read(peer);
  }

  protected override peerWritable(peer: Peer): void {
    this.#topics.activate(peer);
  }

  /** Always, as libzmq's dist_t::has_out, even with noDrop (see xsend). */
  protected override get canSend(): boolean {
    return true;
  }

  protected override xsend(message: Message): boolean {
    if (this.#topics.send(message, this.option("invertMatching", false), this.option("noDrop", false))) return true;
    throw zmqError("EAGAIN"); // noDrop and a full queue: refused at once (TopicDistributor.send)
  }

  protected override get canReceive(): boolean {
    return this.#notices.length > 0;
  }

  protected override xreceive(): Message | undefined {
    const notice = this.#notices.shift();
    if (notice === undefined) return undefined;
    if (notice.from !== undefined && this.option("manual", false)) {
      this.#lastPeer = notice.from !== null && this.#topics.has(notice.from) ? notice.from : undefined;
    }
    if (this.#stalled.size > 0 && !this.#full) for (const peer of [...this.#stalled]) this.#read(peer);
    return notice.message;
  }

  /** Takes what the peer sent: (un)subscriptions always, data while `#notices` has room. */
  #read(peer: Peer): void {
    this.#stalled.delete(peer);
    const pipe = peer.inbound;
    while (pipe.checkRead()) {
      const message = pipe.peek() as Message;
      const subscription = parseSubscription(message);
      if (subscription === undefined && this.#full) {
        this.#stalled.add(peer);
        return;
      }
      pipe.read();
      if (subscription === undefined) this.#notices.push({ message, from: undefined });
      else this.#apply(subscription, message, peer);
    }
  }

  /** libzmq xpub_t::xread_activated: which (un)subscriptions the application hears of. */
  #apply(subscription: Subscription, message: Message, peer: Peer): void {
    const { subscribe, prefix } = subscription;
    const notice: Message = message.length === 1 ? message : [message[0] as Buffer];
    if (this.option("manual", false)) {
      if (subscribe) this.#requested.add(prefix, peer);
      else this.#requested.remove(prefix, peer);
      this.#notices.push({ message: notice, from: peer });
      return;
    }
    const verbosity = this.#verbosity;
    const deliver = subscribe
      ? this.#topics.subscribe(prefix, peer) || verbosity !== null
      : // libzmq 4.3.5 also delivers a cancel for a prefix the peer never had ("absent").
        this.#topics.unsubscribe(prefix, peer) !== "remain" || verbosity === "allSubsUnsubs";
    if (deliver) this.#notices.push({ message: notice, from: undefined });
  }

  get #verbosity(): "allSubs" | "allSubsUnsubs" | null {
    const value = this.option<unknown>("verbosity", null);
    return value === "allSubs" || value === "allSubsUnsubs" ? value : null;
  }

  get #full(): boolean {
    const hwm = this.option("receiveHighWaterMark", 1000);
    return hwm > 0 && this.#notices.length >= hwm;
  }

  /** libzmq: ZMQ_SUBSCRIBE on an XPUB is EINVAL unless manual, and does nothing before a subscription was received. */
  #manualPrefixes(values: unknown[]): Buffer[] {
    if (this.closed) throw zmqError("ENOTSOCK");
    if (!this.option("manual", false)) throw zmqError("EINVAL");
    const prefixes = toPrefixes(values);
    return this.#lastPeer === undefined ? [] : prefixes;
  }
}

export interface XPublisher extends Readable, Writable, ReadableOptions, WritableOptions, NoDropOption, InvertMatchingOption, XPublisherOptions {}
makeReadable(XPublisher);
makeWritable(XPublisher);
defineOptions(XPublisher.prototype, { ...NO_DROP_OPTION, ...INVERT_MATCHING_OPTION, ...XPUBLISHER_OPTIONS });
