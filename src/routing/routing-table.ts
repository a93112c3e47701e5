import { randomInt } from "node:crypto";
import type { Peer } from "../pipe/peer";

/**
 * ROUTER's map from routing id to peer (libzmq router_t's `_out_pipes`), and the source of
 * ids for peers that did not bring one.
 *
 * Ids: a peer's Identity is any 1–255 bytes (libzmq ≥ 4.2 accepts a leading 0x00 too; until
 * 4.1 it refused one, because that byte marks generated ids). A peer without one gets 5
 * bytes: 0x00, then a 32-bit big-endian counter that starts at a random value. As a user
 * id may now start with 0x00, `generateId` skips ids in use (libzmq would assert).
 * An id already in use is refused by `add`: the socket ignores the newcomer, or with
 * ROUTER_HANDOVER removes the old peer and adds again.
 *
 * Keys: `get` runs once per message sent, with an id frame fresh from the user, so the
 * lookup allocates nothing. A 30-bit FNV-1a hash of the bytes (a small integer, so the Map
 * stays on its fast path) selects a chain of entries, compared byte by byte. Measured with
 * 1000 peers on Node 20: 5-byte ids 50 ns per lookup, against 120–160 ns for a Map keyed by
 * `id.toString("latin1")` and 190 ns for hex; 20-byte ids 100 ns against 150–200 ns. The
 * hash is seeded per table, so peers cannot choose ids that collide everywhere.
 */
interface Entry {
  readonly id: Buffer;
  readonly peer: Peer;
  readonly hash: number;
  next: Entry | undefined;
}

export class RoutingTable {
  readonly #chains = new Map<number, Entry>();
  readonly #byPeer = new Map<Peer, Entry>();
  readonly #seed: number;
  #nextId: number;

  /** `random` returns a uniform 32-bit unsigned integer; tests pass their own. */
  constructor(random: () => number = randomUint32) {
    this.#seed = random() >>> 0;
    this.#nextId = random() >>> 0;
  }

  get size(): number {
    return this.#byPeer.size;
  }

  /**
   * Routes `id` to `peer` (keeping its own copy of the id, never a view into the caller's
   * bytes) and sets `peer.routingId` to it. False, changing nothing, when the id is taken
   * or the peer already has one.
   */
  add(id: Uint8Array, peer: Peer): boolean {
    if (this.#byPeer.has(peer) || this.get(id) !== undefined) return false;
    const copy = Buffer.allocUnsafeSlow(id.length);
    copy.set(id);
    const hash = this.#hash(id);
    const entry: Entry = { id: copy, peer, hash, next: this.#chains.get(hash) };
    this.#chains.set(hash, entry);
    this.#byPeer.set(peer, entry);
    peer.routingId = copy;
    return true;
  }

  /** The peer routed by `id`, or undefined. Allocates nothing. */
  get(id: Uint8Array): Peer | undefined {
    for (let entry = this.#chains.get(this.#hash(id)); entry !== undefined; entry = entry.next) {
      if (equal(entry.id, id)) return entry.peer;
    }
    return undefined;
  }

  has(id: Uint8Array): boolean {
    return this.get(id) !== undefined;
  }

  /** The id under which `peer` was added, or undefined. */
  idOf(peer: Peer): Buffer | undefined {
    return this.#byPeer.get(peer)?.id;
  }

  /** Forgets `peer`; false when it was not in the table. */
  remove(peer: Peer): boolean {
    const entry = this.#byPeer.get(peer);
    if (entry === undefined) return false;
    this.#byPeer.delete(peer);
    const head = this.#chains.get(entry.hash) as Entry;
    if (head === entry) {
      if (entry.next === undefined) this.#chains.delete(entry.hash);
      else this.#chains.set(entry.hash, entry.next);
    } else {
      let before = head;
      while (before.next !== entry) before = before.next as Entry;
      before.next = entry.next;
    }
    return true;
  }

  /** Calls `each` for every peer and its id. */
  forEach(each: (peer: Peer, id: Buffer) => void): void {
    for (const [peer, entry] of this.#byPeer) each(peer, entry.id);
  }

  /** A fresh id for a peer that sent none: 0x00 and the next counter value, never one in use. */
  generateId(): Buffer {
    const id = Buffer.allocUnsafeSlow(5);
    id[0] = 0;
    do {
      id.writeUInt32BE(this.#nextId, 1);
      this.#nextId = (this.#nextId + 1) >>> 0;
    } while (this.get(id) !== undefined);
    return id;
  }

  #hash(id: Uint8Array): number {
    let hash = this.#seed;
    for (let i = 0; i < id.length; i++) hash = Math.imul(hash ^ (id[i] as number), 0x01000193);
    return hash & 0x3fffffff;
  }
}

function equal(a: Uint8Array, b: Uint8Array): boolean {
  const length = a.length;
  if (length !== b.length) return false;
  for (let i = 0; i < length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function randomUint32(): number {
  return randomInt(0x1_0000_0000);
}
