import type { Message } from "../message";
import type { Peer } from "../pipe/peer";
import { checkWrite } from "./check-write";
import { PeerArray } from "./peer-array";

/**
 * Sends each message to the next peer, round-robin, skipping peers whose outbound pipe is
 * full (libzmq lb_t; PUSH, DEALER, REQ). A peer that refuses a write leaves the rotation
 * until the socket calls `activate(peer)` (its outbound pipe drained to the low-water mark).
 *
 * The peers are one list: the first `#active` may take messages, the rest wait for an
 * activate. `#current` is the next one to try. Messages are whole here (a Message is every
 * frame), so libzmq's mid-message states (`more`, `dropping`) do not exist.
 */
export class LoadBalancer {
  readonly #peers = new PeerArray();
  #active = 0;
  #current = 0;
  #lastPeer: Peer | undefined = undefined;

  /** Number of attached peers, active or not. */
  get size(): number {
    return this.#peers.length;
  }

  /** The peer that took the last message `send` accepted (REQ waits for its reply there). */
  get lastPeer(): Peer | undefined {
    return this.#lastPeer;
  }

  /** Adds a peer to the rotation, as active: its first write will tell. */
  attach(peer: Peer): void {
    if (this.#peers.has(peer)) return;
    this.#peers.push(peer);
    this.activate(peer);
  }

  /** Forgets a peer (and `lastPeer`, if it was that one). */
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

  /** The peer's outbound pipe has room again: put it back into the rotation. */
  activate(peer: Peer): void {
    const i = this.#peers.indexOf(peer);
    if (i < this.#active) return; // unknown (-1) or already active
    this.#peers.swap(i, this.#active);
    this.#active++;
  }

  /**
   * Writes `message` to the next peer that takes it. Returns false when none can: the
   * message was not queued anywhere, and the caller waits for an `activate`.
   */
  send(message: Message): boolean {
    const peers = this.#peers;
    while (this.#active > 0) {
      const peer = peers.at(this.#current);
      if (peer.outbound.write(message)) {
        this.#lastPeer = peer;
        if (++this.#current >= this.#active) this.#current = 0;
        return true;
      }
      this.#deactivateCurrent();
    }
    return false;
  }

  /**
   * True when `send` would succeed now (libzmq lb_t::has_out). Full peers it meets leave
   * the rotation and will be activated once they drain, so false is always followed by an
   * `activate` for some peer (or by an `attach`).
   */
  get canSend(): boolean {
    while (this.#active > 0) {
      if (checkWrite(this.#peers.at(this.#current).outbound)) return true;
      this.#deactivateCurrent();
    }
    return false;
  }

  /** The peer at `#current` refused a write: move the last active peer into its place. */
  #deactivateCurrent(): void {
    this.#active--;
    if (this.#current < this.#active) this.#peers.swap(this.#current, this.#active);
    else this.#current = 0;
  }
}
