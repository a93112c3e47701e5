import type { Peer } from "../pipe/peer";

/**
 * A list of peers that knows each peer's position, so a strategy can move a peer in
 * O(1) by swapping. The strategies keep their peers partitioned into prefixes of this
 * list ("the first `active` peers are active"), as libzmq's array_t lets lb_t, fq_t
 * and dist_t do: changing a peer's state is one swap across a boundary, and a scan
 * never visits a peer outside the prefix it cares about.
 */
export class PeerArray {
  readonly #items: Peer[] = [];
  readonly #index = new Map<Peer, number>();

  get length(): number {
    return this.#items.length;
  }

  /** The peer at `i`; `i` must be below `length`. */
  at(i: number): Peer {
    return this.#items[i] as Peer;
  }

  /** The position of `peer`, or -1 when it is not in the list. */
  indexOf(peer: Peer): number {
    return this.#index.get(peer) ?? -1;
  }

  has(peer: Peer): boolean {
    return this.#index.has(peer);
  }

  /** Appends `peer` (which must not be in the list yet) and returns its position. */
  push(peer: Peer): number {
    const i = this.#items.length;
    this.#items.push(peer);
    this.#index.set(peer, i);
    return i;
  }

  swap(i: number, j: number): void {
    if (i === j) return;
    const items = this.#items;
    const a = items[i] as Peer;
    const b = items[j] as Peer;
    items[i] = b;
    items[j] = a;
    this.#index.set(a, j);
    this.#index.set(b, i);
  }

  /** Removes the peer at the end of the list. */
  pop(): void {
    const peer = this.#items.pop();
    if (peer !== undefined) this.#index.delete(peer);
  }

  /** Every peer, in list order (a copy: safe to detach while iterating). */
  toArray(): Peer[] {
    return this.#items.slice();
  }
}
