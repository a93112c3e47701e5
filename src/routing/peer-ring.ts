import type { Peer } from "../pipe/peer";

interface Link {
  readonly peer: Peer;
  /** Neighbours in the ring while active; undefined while inactive. */
  prev: Link | undefined;
  next: Link | undefined;
}

/**
 * The peers of a round-robin strategy (LoadBalancer, FairQueue): all attached peers, and
 * the active ones linked in a ring in the order they are served, with a cursor on the next.
 * Every operation is O(1), and a turn only ever visits active peers.
 *
 * libzmq's lb_t and fq_t keep an array whose first `active` entries are active, and
 * deactivate a pipe by swapping the last active one into its place. That is O(1) too, but
 * the moved pipe jumps the queue: it may be served twice while another waits. A ring keeps
 * the order: a deactivated peer is unlinked where it stands, and an activated one joins
 * just behind the cursor, i.e. after every peer already waiting for its turn.
 */
export class PeerRing {
  readonly #links = new Map<Peer, Link>();
  #current: Link | undefined = undefined;
  #active = 0;

  /** Number of peers, active or not. */
  get size(): number {
    return this.#links.size;
  }

  /** Number of active peers. */
  get activeCount(): number {
    return this.#active;
  }

  /** The active peer whose turn it is, or undefined when none is active. */
  get current(): Peer | undefined {
    return this.#current?.peer;
  }

  has(peer: Peer): boolean {
    return this.#links.has(peer);
  }

  isActive(peer: Peer): boolean {
    return this.#links.get(peer)?.next !== undefined;
  }

  /** Adds `peer` as active, last in the rotation. False when it is already here. */
  add(peer: Peer): boolean {
    if (this.#links.has(peer)) return false;
    const link: Link = { peer, prev: undefined, next: undefined };
    this.#links.set(peer, link);
    this.#link(link);
    return true;
  }

  /** Removes `peer`, active or not. False when it was not here. */
  delete(peer: Peer): boolean {
    const link = this.#links.get(peer);
    if (link === undefined) return false;
    if (link.next !== undefined) this.#unlink(link);
    this.#links.delete(peer);
    return true;
  }

  /** Makes an inactive peer active again, last in the rotation. Others are left alone. */
  activate(peer: Peer): void {
    const link = this.#links.get(peer);
    if (link !== undefined && link.next === undefined) this.#link(link);
  }

  /** The current peer had its turn: move the cursor on. */
  advance(): void {
    if (this.#current !== undefined) this.#current = this.#current.next;
  }

  /** The current peer cannot be served: make it inactive; the cursor moves to the next. */
  deactivateCurrent(): void {
    if (this.#current !== undefined) this.#unlink(this.#current);
  }

  /** Links `link` in just behind the cursor: it is served after everyone already waiting. */
  #link(link: Link): void {
    const current = this.#current;
    if (current === undefined) {
      link.prev = link;
      link.next = link;
      this.#current = link;
    } else {
      const last = current.prev as Link;
      link.prev = last;
      link.next = current;
      last.next = link;
      current.prev = link;
    }
    this.#active++;
  }

  #unlink(link: Link): void {
    const next = link.next as Link;
    const prev = link.prev as Link;
    if (next === link) {
      this.#current = undefined;
    } else {
      prev.next = next;
      next.prev = prev;
      if (this.#current === link) this.#current = next;
    }
    link.prev = undefined;
    link.next = undefined;
    this.#active--;
  }
}
