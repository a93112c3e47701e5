import type { Message } from "../message";
import type { Peer } from "../pipe/peer";
import { PeerArray } from "./peer-array";

/**
 * Sends one message to many peers (libzmq dist_t; PUB, XPUB, RADIO). The same Message
 * object goes into every peer's pipe: frames are never copied, and nobody may change a
 * message after sending it.
 *
 * A peer whose outbound pipe is full is skipped: the message is dropped for that peer
 * alone, the peer leaves the active set, and it comes back with `activate(peer)` once its
 * pipe drained. PUB never blocks. With `noDrop` (XPUB_NODROP) the socket asks
 * `canSendToMatching` first and refuses the whole message instead.
 *
 * The peers are one list in three ranges (libzmq has a fourth, `eligible`, for peers
 * attached halfway through a multipart message; our messages are whole):
 *
 *     [0, matching)        receivers of the message being sent (match / sendToAll)
 *     [matching, active)   active peers that do not want this message
 *     [active, length)     peers whose pipe was full, waiting for an activate
 */
export class Distributor {
  /** XPUB_NODROP: the socket checks `canSendToMatching` and refuses rather than drop. */
  noDrop = false;

  readonly #peers = new PeerArray();
  #matching = 0;
  #active = 0;

  /** Number of attached peers. */
  get size(): number {
    return this.#peers.length;
  }

  /** Number of peers marked as receivers of the current message. */
  get matchingCount(): number {
    return this.#matching;
  }

  /** Adds a peer as active (not matching). */
  attach(peer: Peer): void {
    if (this.#peers.has(peer)) return;
    this.#peers.swap(this.#peers.push(peer), this.#active);
    this.#active++;
  }

  /** Forgets a peer, taking it out of whichever ranges hold it. */
  detach(peer: Peer): void {
    const peers = this.#peers;
    let i = peers.indexOf(peer);
    if (i < 0) return;
    if (i < this.#matching) {
      this.#matching--;
      peers.swap(i, this.#matching);
      i = this.#matching;
    }
    if (i < this.#active) {
      this.#active--;
      peers.swap(i, this.#active);
      i = this.#active;
    }
    peers.swap(i, peers.length - 1);
    peers.pop();
  }

  /** The peer's outbound pipe drained: it receives messages again, starting with the next one. */
  activate(peer: Peer): void {
    const i = this.#peers.indexOf(peer);
    if (i < this.#active) return; // unknown (-1) or already active
    this.#peers.swap(i, this.#active);
    this.#active++;
  }

  /** Marks `peer` as a receiver of the current message. Inactive or unknown peers are ignored. */
  match(peer: Peer): void {
    const i = this.#peers.indexOf(peer);
    if (i < this.#matching || i >= this.#active) return;
    this.#peers.swap(i, this.#matching);
    this.#matching++;
  }

  /** Swaps receivers and non-receivers among the active peers (XPUB with ZMQ_INVERT_MATCHING). */
  reverseMatch(): void {
    const previous = this.#matching;
    this.#matching = 0;
    for (let i = previous; i < this.#active; i++) this.#peers.swap(i, this.#matching++);
  }

  /** Clears the receivers. Call it before marking the receivers of the next message. */
  unmatch(): void {
    this.#matching = 0;
  }

  /**
   * With `noDrop`: true when every receiver's pipe has room, so `sendToMatching` would drop
   * nothing. When false, the full pipes signal once they drain, so the socket hears an
   * `activate` and can try again. Without `noDrop` it is always true (PUB never blocks).
   * A closed or ended pipe never has room again: it does not hold the others up (libzmq's
   * check_hwm looks at the high-water mark only), its peer is on its way to `detach`.
   */
  get canSendToMatching(): boolean {
    if (!this.noDrop) return true;
    let ok = true;
    for (let i = 0; i < this.#matching; i++) {
      const pipe = this.#peers.at(i).outbound;
      if (!pipe.closed && !pipe.ended && !pipe.checkWrite()) ok = false;
    }
    return ok;
  }

  /**
   * Writes `message` to every receiver marked by `match`; receivers whose pipe is full
   * miss it and go inactive. The receivers stay marked (libzmq's xpub unmatches itself).
   */
  sendToMatching(message: Message): void {
    const peers = this.#peers;
    for (let i = 0; i < this.#matching; ) {
      if (peers.at(i).outbound.write(message)) i++;
      else this.#deactivate(i); // another receiver now sits at i
    }
  }

  /** Writes `message` to every active peer (PUB, and XPUB's messages that need no filter). */
  sendToAll(message: Message): void {
    this.#matching = this.#active;
    this.sendToMatching(message);
  }

  /** The receiver at `i` refused a write: move it out of the matching and active ranges. */
  #deactivate(i: number): void {
    this.#matching--;
    this.#peers.swap(i, this.#matching);
    this.#active--;
    this.#peers.swap(this.#matching, this.#active);
  }
}
