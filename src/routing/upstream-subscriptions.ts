import type { Message } from "../message";
import type { Peer } from "../pipe/peer";
import { subscriptionMessage } from "./subscription-message";
import { Trie } from "./trie";

/**
 * The subscriptions of a SUB or XSUB socket and their way upstream (libzmq xsub_t): a Trie
 * that filters what arrives, and every publisher told of each change. Every subscribe goes
 * up, repeats included (XPUB_VERBOSE upstream wants to see them); a cancel goes up only when
 * the prefix's last reference goes, so subscribing twice takes two unsubscribes.
 *
 * A new peer is sent every subscription (libzmq xattach_pipe), and so is a peer whose
 * connection came back: the publisher at the other end of the new connection knows none of
 * them (libzmq's session "hiccups" the pipe on reconnect and xsub_t::xhiccuped resends).
 *
 * On purpose unlike libzmq: a subscription is never lost to a full pipe. libzmq drops it at
 * SNDHWM (xsub.cpp send_subscription; libzmq #4064, "subscription messages are messages"),
 * and its I/O thread drains the pipe while the application subscribes, so losses are rare
 * there. Our engine drains once per event-loop turn, so subscribing to 1 001 topics in one
 * turn would lose one every time, and a SUB cannot even set its SNDHWM in zeromq.js. So what
 * a full pipe refuses waits here, one entry per prefix (the latest change wins, so this is
 * bounded by the prefixes the application used), and goes out when the pipe drains.
 */
export class UpstreamSubscriptions {
  readonly #trie = new Trie();
  readonly #peers = new Set<Peer>();
  /** Peers that finished a handshake: the next one is a reconnect. */
  readonly #connected = new WeakSet<Peer>();
  /** Per peer, by prefix (latin1 key), what its full pipe refused, oldest first. */
  readonly #backlog = new Map<Peer, Map<string, Message>>();

  /** Number of distinct prefixes subscribed. */
  get size(): number {
    return this.#trie.size;
  }

  /** Nodes in the subscription tree (for tests and memory diagnostics). */
  get nodeCount(): number {
    return this.#trie.nodeCount;
  }

  /** Subscription messages waiting for `peer`'s pipe to drain. */
  backlogOf(peer: Peer): number {
    return this.#backlog.get(peer)?.size ?? 0;
  }

  /** True when some subscribed prefix starts `data` (RFC 29 prefix match). */
  matches(data: Uint8Array): boolean {
    return this.#trie.matches(data);
  }

  /** A new publisher peer: it gets every subscription. */
  attach(peer: Peer): void {
    this.#peers.add(peer);
    if (peer.info.socketType !== "") this.#connected.add(peer);
    this.#sendAll(peer);
  }

  /** A peer attached before its handshake finished one: the first needs nothing, later ones are reconnects. */
  identified(peer: Peer): void {
    if (!this.#peers.has(peer)) return;
    if (this.#connected.has(peer)) this.#sendAll(peer);
    else this.#connected.add(peer);
  }

  detach(peer: Peer): void {
    this.#peers.delete(peer);
    this.#backlog.delete(peer);
  }

  /** The peer's pipe has room again: send what it refused, in order. */
  drained(peer: Peer): void {
    const waiting = this.#backlog.get(peer);
    if (waiting === undefined) return;
    for (const [key, message] of waiting) {
      if (!peer.outbound.write(message)) return; // the refusal armed the pipe to signal again
      waiting.delete(key);
    }
    this.#backlog.delete(peer);
  }

  /** Adds a reference to `prefix` and sends `message` (by default 0x01 + prefix) to every peer. */
  subscribe(prefix: Uint8Array, message: Message = subscriptionMessage(true, prefix)): void {
    this.#trie.add(prefix);
    this.#sendToAll(prefix, message);
  }

  /** Drops a reference to `prefix`; when it was the last, sends the cancel upstream. False when nothing went up. */
  unsubscribe(prefix: Uint8Array, message: Message = subscriptionMessage(false, prefix)): boolean {
    if (!this.#trie.remove(prefix)) return false;
    this.#sendToAll(prefix, message);
    return true;
  }

  #sendToAll(prefix: Uint8Array, message: Message): void {
    if (this.#peers.size === 0) return;
    const key = Buffer.from(prefix.buffer, prefix.byteOffset, prefix.byteLength).toString("latin1");
    for (const peer of this.#peers) this.#send(peer, key, message);
  }

  /** Every subscription, in byte order as libzmq's trie_t::apply sends them (a prefix before its extensions). */
  #sendAll(peer: Peer): void {
    const prefixes: Buffer[] = [];
    this.#trie.forEach((prefix) => prefixes.push(prefix));
    prefixes.sort(Buffer.compare);
    for (const prefix of prefixes) this.#send(peer, prefix.toString("latin1"), subscriptionMessage(true, prefix));
  }

  #send(peer: Peer, key: string, message: Message): void {
    let waiting = this.#backlog.get(peer);
    if (waiting === undefined) {
      if (peer.outbound.write(message)) return;
      if (peer.outbound.closed || peer.outbound.ended) return; // on its way out
      this.#backlog.set(peer, (waiting = new Map()));
    } else {
      waiting.delete(key); // re-inserted last: the latest change goes out last
    }
    waiting.set(key, message);
  }
}
