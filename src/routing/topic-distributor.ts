import type { Message } from "../message";
import type { Peer } from "../pipe/peer";
import { Distributor } from "./distributor";
import { MultiTrie } from "./multi-trie";

/** What unsubscribing one peer from one prefix did (libzmq mtrie_t::rm_result). */
export type Removal = "last" | "remain" | "absent";

/**
 * The sending side of PUB and XPUB (libzmq xpub_t::xsend): which peer subscribed to which
 * prefix (a MultiTrie), and a Distributor that writes each message to the peers with a
 * prefix of its first frame (RFC 29: "SHALL perform a binary comparison of the subscription
 * against the start of the first frame of the message"). A peer whose queue is full misses
 * the message ("SHALL silently drop"), unless `noDrop` asks the sender to wait instead.
 */
export class TopicDistributor {
  readonly #subscriptions = new MultiTrie<Peer>();
  readonly #distributor = new Distributor();
  readonly #peers = new Set<Peer>();
  readonly #markMatching = (peer: Peer): void => this.#distributor.match(peer);

  /** Number of distinct prefixes someone is subscribed to. */
  get prefixCount(): number {
    return this.#subscriptions.size;
  }

  /** Nodes in the subscription tree (for tests and memory diagnostics). */
  get nodeCount(): number {
    return this.#subscriptions.nodeCount;
  }

  has(peer: Peer): boolean {
    return this.#peers.has(peer);
  }

  /** A new peer: subscribed to nothing until it asks. */
  attach(peer: Peer): void {
    this.#peers.add(peer);
    this.#distributor.attach(peer);
  }

  /**
   * Forgets a peer and its subscriptions. `onUnsubscribed` hears of each prefix no one is
   * subscribed to any more, or with `everyPrefix` of each prefix the peer had (XPUB passes
   * them to its application: RFC 29 "SHALL, if the subscriber peer disconnects prematurely,
   * generate a suitable unsubscribe request").
   */
  detach(peer: Peer, onUnsubscribed?: (prefix: Buffer) => void, everyPrefix = false): void {
    if (!this.#peers.delete(peer)) return;
    if (everyPrefix && onUnsubscribed !== undefined) {
      this.#subscriptions.forEachPrefixOf(peer, onUnsubscribed);
      this.#subscriptions.removeSubscriber(peer);
    } else {
      this.#subscriptions.removeSubscriber(peer, onUnsubscribed);
    }
    this.#distributor.detach(peer);
  }

  /** The peer's queue has room again: it receives messages from the next one on. */
  activate(peer: Peer): void {
    this.#distributor.activate(peer);
  }

  /** True when `prefix` had no subscriber before (libzmq: the subscription is "unique"). */
  subscribe(prefix: Uint8Array, peer: Peer): boolean {
    return this.#peers.has(peer) && this.#subscriptions.add(prefix, peer);
  }

  unsubscribe(prefix: Uint8Array, peer: Peer): Removal {
    if (!this.#subscriptions.has(prefix, peer)) return "absent";
    return this.#subscriptions.remove(prefix, peer) ? "last" : "remain";
  }

  /**
   * Sends `message` to the peers subscribed to a prefix of its first frame, or with `invert`
   * (ZMQ_INVERT_MATCHING) to the peers that are not. False, and nothing sent, when `noDrop`
   * (ZMQ_XPUB_NODROP) and a receiver's queue is full. The socket then refuses the send with
   * EAGAIN at once, whatever `sendTimeout` says: libzmq's non-blocking zmq_send says EAGAIN,
   * and zeromq.js always sends non-blocking once ZMQ_POLLOUT is set, which on PUB and XPUB it
   * always is (dist_t::has_out), so its `send` rejects at once; code written for it expects that.
   */
  send(message: Message, invert: boolean, noDrop: boolean): boolean {
    const distributor = this.#distributor;
    distributor.unmatch();
    this.#subscriptions.match(message[0] as Buffer, this.#markMatching);
    if (invert) distributor.reverseMatch();
    distributor.noDrop = noDrop;
    const ok = distributor.canSendToMatching;
    if (ok) distributor.sendToMatching(message);
    distributor.unmatch();
    return ok;
  }
}
