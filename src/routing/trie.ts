import { PrefixTree } from "./prefix-tree";

/**
 * The subscriptions of a SUB or XSUB socket (libzmq trie_t): byte prefixes, each with a
 * reference count, since subscribing twice to a prefix takes two unsubscribes to undo.
 * A message passes when some subscribed prefix is a prefix of its first frame; the empty
 * prefix passes everything (RFC 29).
 *
 * Backed by a radix tree (prefix-tree.ts): no strings, and a removed prefix frees its nodes.
 */
export class Trie {
  readonly #tree = new PrefixTree<number>();

  /** Number of distinct subscribed prefixes. */
  get size(): number {
    return this.#tree.size;
  }

  /** Nodes in the underlying tree, root included (for tests and memory diagnostics). */
  get nodeCount(): number {
    return this.#tree.nodeCount;
  }

  /** Adds one reference to `prefix`; true when the prefix is new (send SUBSCRIBE upstream). */
  add(prefix: Uint8Array): boolean {
    const count = this.#tree.get(prefix);
    this.#tree.set(prefix, (count ?? 0) + 1);
    return count === undefined;
  }

  /**
   * Drops one reference to `prefix`; true when that was its last (send CANCEL upstream).
   * False when it was not subscribed at all.
   */
  remove(prefix: Uint8Array): boolean {
    const count = this.#tree.get(prefix);
    if (count === undefined) return false;
    if (count > 1) {
      this.#tree.set(prefix, count - 1);
      return false;
    }
    return this.#tree.delete(prefix);
  }

  /** True when some subscribed prefix is a prefix of `data`. */
  matches(data: Uint8Array): boolean {
    return this.#tree.hasPrefixOf(data);
  }

  /** Calls `each` once per distinct prefix (a fresh Buffer), e.g. to subscribe again after a reconnect. */
  forEach(each: (prefix: Buffer) => void): void {
    this.#tree.forEach((prefix) => each(prefix));
  }
}
