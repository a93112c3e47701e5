import { PrefixTree } from "./prefix-tree";

/**
 * The subscriptions an XPUB socket has received (libzmq mtrie_t): byte prefixes, each with
 * the set of subscribers (peers) that asked for it. A subscriber is in a prefix's set once
 * however often it subscribed, as in libzmq: one unsubscribe removes it.
 *
 * `match` finds the subscribers of a message in one walk down the tree, and calls each at
 * most once even when several of its prefixes match (libzmq leaves that to dist_t).
 * Backed by a radix tree (prefix-tree.ts): no strings, and a removed prefix frees its nodes.
 */
export class MultiTrie<T> {
  readonly #tree = new PrefixTree<Set<T>>();
  /** Reused by `match`, so matching allocates nothing. */
  readonly #found: Set<T>[] = [];
  /** Subscriber → number of the last match that called it (cheaper than clearing a Set). */
  readonly #calledIn = new Map<T, number>();
  #matchNumber = 0;
  #matching = false;

  /** Number of prefixes with at least one subscriber. */
  get size(): number {
    return this.#tree.size;
  }

  /** Nodes in the underlying tree, root included (for tests and memory diagnostics). */
  get nodeCount(): number {
    return this.#tree.nodeCount;
  }

  /** Subscribes `subscriber` to `prefix`; true when the prefix had no subscriber before. */
  add(prefix: Uint8Array, subscriber: T): boolean {
    const subscribers = this.#tree.get(prefix);
    if (subscribers === undefined) {
      this.#tree.set(prefix, new Set([subscriber]));
      return true;
    }
    subscribers.add(subscriber);
    return false;
  }

  /** Unsubscribes `subscriber` from `prefix`; true when the prefix has no subscriber left. */
  remove(prefix: Uint8Array, subscriber: T): boolean {
    const subscribers = this.#tree.get(prefix);
    if (subscribers === undefined || !subscribers.delete(subscriber)) return false;
    if (subscribers.size > 0) return false;
    this.#tree.delete(prefix);
    return true;
  }

  /** True when `subscriber` is subscribed to exactly `prefix`. */
  has(prefix: Uint8Array, subscriber: T): boolean {
    return this.#tree.get(prefix)?.has(subscriber) ?? false;
  }

  /**
   * Unsubscribes `subscriber` from everything (its peer went away), calling `onPrefixGone`
   * for each prefix that no one is subscribed to any more (XPUB passes those upstream).
   * Walks the whole tree, as libzmq's mtrie_t::rm does.
   */
  removeSubscriber(subscriber: T, onPrefixGone?: (prefix: Buffer) => void): void {
    this.#calledIn.delete(subscriber);
    this.#tree.deleteWhere((subscribers) => subscribers.delete(subscriber) && subscribers.size === 0, onPrefixGone);
  }

  /**
   * Calls `each` with every prefix `subscriber` is subscribed to (a fresh Buffer). Walks the
   * whole tree; XPUB uses it when a peer leaves, where libzmq's mtrie_t::rm reports every
   * prefix rather than the ones left empty (XPUB_VERBOSER, XPUB_MANUAL).
   */
  forEachPrefixOf(subscriber: T, each: (prefix: Buffer) => void): void {
    this.#tree.forEach((prefix, subscribers) => {
      if (subscribers.has(subscriber)) each(prefix);
    });
  }

  /**
   * Calls `each` once for every subscriber of some prefix of `data`. `each` must not change
   * this trie.
   */
  match(data: Uint8Array, each: (subscriber: T) => void): void {
    const nested = this.#matching;
    const found = nested ? [] : this.#found;
    this.#matching = true;
    let count = 0;
    try {
      count = this.#tree.prefixesOf(data, found);
      if (count === 1) {
        for (const subscriber of found[0] as Set<T>) each(subscriber);
      } else if (count > 1) {
        if (nested) this.#callOnceNested(found, count, each);
        else this.#callOnce(found, count, each);
      }
    } finally {
      for (let i = 0; i < count; i++) found[i] = EMPTY as Set<T>;
      this.#matching = nested;
    }
  }

  /**
   * Several prefixes match, and a subscriber may be in more than one of their sets. Each is
   * stamped with this match's number when called (a Set cleared per match costs twice as
   * much: V8 reallocates its table). `removeSubscriber` drops the stamp, so the map holds
   * no peer that has gone.
   */
  #callOnce(found: Set<T>[], count: number, each: (subscriber: T) => void): void {
    const calledIn = this.#calledIn;
    let number = this.#matchNumber + 1;
    if (number > 0x3fffffff) {
      calledIn.clear(); // before a number could come round again
      number = 1;
    }
    this.#matchNumber = number;
    for (let i = 0; i < count; i++) {
      for (const subscriber of found[i] as Set<T>) {
        if (calledIn.get(subscriber) === number) continue;
        calledIn.set(subscriber, number);
        each(subscriber);
      }
    }
  }

  /** The same, for a match started from inside another's callback: the stamps are in use. */
  #callOnceNested(found: Set<T>[], count: number, each: (subscriber: T) => void): void {
    const called = new Set<T>();
    for (let i = 0; i < count; i++) {
      for (const subscriber of found[i] as Set<T>) {
        if (called.has(subscriber)) continue;
        called.add(subscriber);
        each(subscriber);
      }
    }
  }
}

/** Fills the reused `found` slots after a match, so it keeps no subscriber set alive. */
const EMPTY: Set<unknown> = new Set();
