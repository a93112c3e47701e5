import type { Peer } from "../pipe/peer";
import { PeerRing } from "./peer-ring";

/**
 * What the fair queue and the load balancer share: a rotation of peers where a peer that
 * could not be served leaves until `activate(peer)` brings it back (last), and the peer
 * that was served last.
 */
export abstract class PeerRotation {
  protected readonly ring = new PeerRing();
  protected last: Peer | undefined = undefined;

  /** Number of attached peers, active or not. */
  get size(): number {
    return this.ring.size;
  }

  /**
   * The peer served last: the one the last received message came from (ROUTER prefixes its
   * id), or the one that took the last sent message (REQ expects its reply from there).
   */
  get lastPeer(): Peer | undefined {
    return this.last;
  }

  /** Adds a peer as active: its next read or write will tell. */
  attach(peer: Peer): void {
    this.ring.add(peer);
  }

  /** Forgets a peer (and the last served one, if it was that one). */
  detach(peer: Peer): void {
    this.ring.delete(peer);
    if (this.last === peer) this.last = undefined;
  }

  /** The peer's pipe can be served again: put it back into the rotation. */
  activate(peer: Peer): void {
    this.ring.activate(peer);
  }
}
