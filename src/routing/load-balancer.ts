import type { Message } from "../message";
import { PeerRotation } from "./peer-rotation";

/**
 * Sends each message to the next peer, round-robin, skipping peers whose outbound pipe is
 * full (libzmq lb_t; PUSH, DEALER, REQ). A peer that refuses a write leaves the rotation
 * until the socket calls `activate(peer)` (its outbound pipe drained to the low-water
 * mark), and then rejoins it last. Peers with room are served in strict turn: see
 * peer-ring.ts for where this is fairer than lb_t.
 *
 * Messages are whole here (a Message is every frame), so libzmq's mid-message states
 * (`more`, `dropping`) do not exist: a message is either queued whole or refused.
 */
export class LoadBalancer extends PeerRotation {
  /**
   * Writes `message` to the next peer that takes it. Returns false when none can: the
   * message was not queued anywhere, and the caller waits for an `activate`.
   */
  send(message: Message): boolean {
    const ring = this.ring;
    for (let peer = ring.current; peer !== undefined; peer = ring.current) {
      if (peer.outbound.write(message)) {
        this.last = peer;
        ring.advance();
        return true;
      }
      ring.deactivateCurrent(); // the refused write armed the pipe's onWritable
    }
    return false;
  }

  /**
   * True when `send` would succeed now (libzmq lb_t::has_out). Full peers it meets leave
   * the rotation, armed to signal once they drain, so after false an `activate` follows
   * (or, for a pipe that closed, a `detach`). It does not move the rotation on.
   */
  get canSend(): boolean {
    const ring = this.ring;
    for (let peer = ring.current; peer !== undefined; peer = ring.current) {
      if (peer.outbound.checkWrite()) return true;
      ring.deactivateCurrent();
    }
    return false;
  }
}
