import type { Message } from "../message";
import type { Peer } from "../pipe/peer";
import { PeerArray } from "./peer-array";

/**
 * Receives from the peers in turn, one message each, skipping peers with nothing queued
 * (libzmq fq_t; PULL, DEALER, ROUTER, SUB). A peer whose inbound pipe turns out empty
 * leaves the rotation until the socket calls `activate(peer)`: its pipe signals
 * `onReadable` on the next write, because the empty read armed it.
 *
 * The peers are one list: the first `#active` may have messages, the rest are known to be
 * empty. Receive only ever looks at active peers, so its cost per message does not depend
 * on how many idle peers are attached. `#current` is the next one to read.
 */
export class FairQueue {
  readonly #peers = new PeerArray();
  #active = 0;
  #current = 0;
  #lastPeer: Peer | undefined = undefined;

  /** Number of attached peers, active or not. */
  get size(): number {
    return this.#peers.length;
  }

  /** The peer the message last returned by `receive` came from (ROUTER prefixes its id). */
  get lastPeer(): Peer | undefined {
    return this.#lastPeer;
  }

  /** Adds a peer as active: it may already hold messages. */
  attach(peer: Peer): void {
    if (this.#peers.has(peer)) return;
    this.#peers.push(peer);
    this.activate(peer);
  }

  /** Forgets a peer (and `lastPeer`, if it was that one). What is still queued in its inbound pipe is the socket's business. */
  detach(peer: Peer): void {
    const peers = this.#peers;
    const i = peers.indexOf(peer);
    if (i < 0) return;
    if (i < this.#active) {
      this.#active--;
      peers.swap(i, this.#active);
      if (this.#current === this.#active) this.#current = 0;
    }
    peers.swap(peers.indexOf(peer), peers.length - 1);
    peers.pop();
    if (this.#lastPeer === peer) this.#lastPeer = undefined;
  }

  /** The peer's inbound pipe has messages again: put it back into the rotation. */
  activate(peer: Peer): void {
    const i = this.#peers.indexOf(peer);
    if (i < this.#active) return; // unknown (-1) or already active
    this.#peers.swap(i, this.#active);
    this.#active++;
  }

  /** The next message in fair order, or undefined when no peer has one (wait for an activate). */
  receive(): Message | undefined {
    const peers = this.#peers;
    while (this.#active > 0) {
      const peer = peers.at(this.#current);
      const message = peer.inbound.read();
      if (message !== undefined) {
        this.#lastPeer = peer;
        if (++this.#current >= this.#active) this.#current = 0;
        return message;
      }
      this.#deactivateCurrent();
    }
    return undefined;
  }

  /**
   * True when `receive` would return a message now (libzmq fq_t::has_in). Empty peers it
   * meets leave the rotation, each armed to signal its next write, so false is always
   * followed by an `activate` once a message arrives. It does not move the rotation on.
   */
  get canReceive(): boolean {
    while (this.#active > 0) {
      const inbound = this.#peers.at(this.#current).inbound;
      if (inbound.length > 0) return true;
      inbound.read(); // empty: returns nothing, but makes the pipe signal its next write
      this.#deactivateCurrent();
    }
    return false;
  }

  /** The peer at `#current` is empty: move the last active peer into its place. */
  #deactivateCurrent(): void {
    this.#active--;
    if (this.#current < this.#active) this.#peers.swap(this.#current, this.#active);
    else this.#current = 0;
  }
}
