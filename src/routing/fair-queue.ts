import type { Message } from "../message";
import { PeerRotation } from "./peer-rotation";

/**
 * Receives from the peers in turn, one message each, skipping peers with nothing queued
 * (libzmq fq_t; PULL, DEALER, ROUTER, SUB). A peer whose inbound pipe turns out empty
 * leaves the rotation until the socket calls `activate(peer)`: the empty read armed its
 * pipe to signal `onReadable` on the next write. It then rejoins the rotation last.
 *
 * Only active peers are in the rotation, so the cost of a message does not depend on how
 * many idle peers are attached: each idle peer costs one empty read, once, when it runs dry.
 */
export class FairQueue extends PeerRotation {
  /** The next message in fair order, or undefined when no peer has one (wait for an activate). */
  receive(): Message | undefined {
    const ring = this.ring;
    for (let peer = ring.current; peer !== undefined; peer = ring.current) {
      const message = peer.inbound.read();
      if (message !== undefined) {
        this.last = peer;
        ring.advance();
        return message;
      }
      ring.deactivateCurrent(); // the empty read armed the pipe's onReadable
    }
    return undefined;
  }

  /**
   * True when `receive` would return a message now (libzmq fq_t::has_in). Empty peers it
   * meets leave the rotation, armed to signal their next write, so after false an
   * `activate` follows once a message arrives. It does not move the rotation on.
   */
  get canReceive(): boolean {
    const ring = this.ring;
    for (let peer = ring.current; peer !== undefined; peer = ring.current) {
      if (peer.inbound.checkRead()) return true;
      ring.deactivateCurrent(); // checkRead armed the pipe's onReadable
    }
    return false;
  }
}
