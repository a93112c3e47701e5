/**
 * A map from byte strings to values that answers "which keys are prefixes of these bytes?"
 * in one walk down the tree: the shared core of Trie (SUB) and MultiTrie (XPUB).
 *
 * It is a radix tree, where libzmq's trie_t spends one node per byte: each edge holds a
 * run of bytes, so the tree has at most two nodes per key however long the keys are:
 * 100 000 topics cost at most 200 000 small nodes, not one per byte. Keys are compared byte
 * by byte and never turned into strings. Every non-root node holds a value or has at
 * least two children; `delete` restores that at once, so removed keys free their memory.
 * Labels are copies: a key's buffer (often a view into a received chunk) is never kept.
 *
 * Values must not be `undefined` (it means "no key ends here"). Walks are iterative, so a
 * peer sending very long or deeply nested subscriptions cannot overflow the stack.
 */
interface Node<V> {
  /** The bytes on the edge from the parent; empty only for the root. */
  label: Uint8Array;
  value: V | undefined;
  /** Sorted by first label byte, no two alike; undefined when there are none. */
  children: Node<V>[] | undefined;
}

export class PrefixTree<V> {
  readonly #root: Node<V> = { label: new Uint8Array(0), value: undefined, children: undefined };
  #size = 0;
  #nodes = 1;
  #keyBuffer = new Uint8Array(256);

  /** Number of keys. */
  get size(): number {
    return this.#size;
  }

  /** Number of nodes, the root included (for tests and memory diagnostics). */
  get nodeCount(): number {
    return this.#nodes;
  }

  get(key: Uint8Array): V | undefined {
    let node: Node<V> | undefined = this.#root;
    for (let at = 0; node !== undefined && at < key.length; ) {
      node = childFor(node, key, at);
      if (node !== undefined) at += node.label.length;
    }
    return node?.value;
  }

  set(key: Uint8Array, value: V): void {
    let node = this.#root;
    let at = 0;
    while (at < key.length) {
      const children = node.children;
      const i = children === undefined ? -1 : search(children, key[at] as number);
      if (i < 0) {
        const leaf: Node<V> = { label: new Uint8Array(key.subarray(at)), value, children: undefined };
        if (children === undefined) node.children = [leaf];
        else children.splice(-i - 1, 0, leaf);
        this.#nodes++;
        this.#size++;
        return;
      }
      const child = (children as Node<V>[])[i] as Node<V>;
      const label = child.label;
      let common = 1;
      while (common < label.length && at + common < key.length && label[common] === key[at + common]) common++;
      if (common < label.length) {
        // The key leaves this edge part-way: split it, keeping the child below the fork.
        const fork: Node<V> = { label: label.slice(0, common), value: undefined, children: [child] };
        child.label = label.slice(common);
        (children as Node<V>[])[i] = fork;
        this.#nodes++;
        node = fork;
      } else {
        node = child;
      }
      at += common;
    }
    if (node.value === undefined) this.#size++;
    node.value = value;
  }

  /** Removes `key`; returns false when it was not there. */
  delete(key: Uint8Array): boolean {
    let grandparent: Node<V> | undefined = undefined;
    let parent: Node<V> | undefined = undefined;
    let node = this.#root;
    for (let at = 0; at < key.length; at += node.label.length) {
      const child = childFor(node, key, at);
      if (child === undefined) return false;
      grandparent = parent;
      parent = node;
      node = child;
    }
    if (node.value === undefined) return false;
    node.value = undefined;
    this.#size--;
    if (parent !== undefined) {
      this.#tidy(node, parent);
      if (grandparent !== undefined) this.#tidy(parent, grandparent);
    }
    return true;
  }

  /** True when some key is a prefix of `data` (the empty key is a prefix of everything). */
  hasPrefixOf(data: Uint8Array): boolean {
    let node: Node<V> | undefined = this.#root;
    let at = 0;
    while (node !== undefined) {
      if (node.value !== undefined) return true;
      at += node.label.length;
      node = childFor(node, data, at);
    }
    return false;
  }

  /** Puts the value of every key that is a prefix of `data` into `out`, shortest first; returns how many. */
  prefixesOf(data: Uint8Array, out: V[]): number {
    let count = 0;
    let node: Node<V> | undefined = this.#root;
    let at = 0;
    while (node !== undefined) {
      if (node.value !== undefined) out[count++] = node.value;
      at += node.label.length;
      node = childFor(node, data, at);
    }
    return count;
  }

  /** Calls `each` with every key (a fresh Buffer) and its value, in no particular order. */
  forEach(each: (key: Buffer, value: V) => void): void {
    this.#postOrder((node, _parent, keyLength) => {
      if (node.value !== undefined) each(Buffer.from(this.#keyBuffer.subarray(0, keyLength)), node.value);
    });
  }

  /**
   * Offers every value to `test`, which may change it, and deletes the keys whose value it
   * returns true for. Then calls `onDeleted` with each deleted key (a fresh Buffer).
   */
  deleteWhere(test: (value: V) => boolean, onDeleted?: (key: Buffer) => void): void {
    const deleted: Buffer[] = [];
    this.#postOrder((node, parent, keyLength) => {
      if (node.value !== undefined && test(node.value)) {
        node.value = undefined;
        this.#size--;
        if (onDeleted !== undefined) deleted.push(Buffer.from(this.#keyBuffer.subarray(0, keyLength)));
      }
      if (parent !== undefined) this.#tidy(node, parent);
    });
    if (onDeleted !== undefined) for (const key of deleted) onDeleted(key);
  }

  /**
   * Restores the invariant at `node` after it lost its value or a child: a node with
   * neither leaves its parent; a node with no value and one child absorbs that child.
   */
  #tidy(node: Node<V>, parent: Node<V>): void {
    if (node.value !== undefined) return;
    const children = node.children;
    if (children === undefined || children.length === 0) {
      const siblings = parent.children as Node<V>[];
      siblings.splice(search(siblings, node.label[0] as number), 1);
      if (siblings.length === 0) parent.children = undefined;
      this.#nodes--;
    } else if (children.length === 1) {
      const only = children[0] as Node<V>;
      const label = new Uint8Array(node.label.length + only.label.length);
      label.set(node.label);
      label.set(only.label, node.label.length);
      node.label = label;
      node.value = only.value;
      node.children = only.children;
      this.#nodes--;
    }
  }

  /**
   * Visits every node after its children, children last-first, so a visit may remove the
   * node it is given from its parent. The node's key is `#keyBuffer[0, keyLength)`.
   */
  #postOrder(visit: (node: Node<V>, parent: Node<V> | undefined, keyLength: number) => void): void {
    const nodes: Node<V>[] = [this.#root];
    const next: number[] = [(this.#root.children?.length ?? 0) - 1];
    const lengths: number[] = [0];
    while (nodes.length > 0) {
      const top = nodes.length - 1;
      const node = nodes[top] as Node<V>;
      const i = next[top] as number;
      if (i >= 0) {
        next[top] = i - 1;
        const child = (node.children as Node<V>[])[i] as Node<V>;
        const start = lengths[top] as number;
        this.#reserveKey(start + child.label.length);
        this.#keyBuffer.set(child.label, start);
        nodes.push(child);
        next.push((child.children?.length ?? 0) - 1);
        lengths.push(start + child.label.length);
      } else {
        nodes.pop();
        next.pop();
        visit(node, nodes[top - 1], lengths.pop() as number);
      }
    }
  }

  #reserveKey(length: number): void {
    if (length <= this.#keyBuffer.length) return;
    const bigger = new Uint8Array(Math.max(length, this.#keyBuffer.length * 2));
    bigger.set(this.#keyBuffer);
    this.#keyBuffer = bigger;
  }
}

/** The child of `node` whose whole label matches `data` at `at`, or undefined. */
function childFor<V>(node: Node<V>, data: Uint8Array, at: number): Node<V> | undefined {
  const children = node.children;
  if (children === undefined || at >= data.length) return undefined;
  const i = search(children, data[at] as number);
  if (i < 0) return undefined;
  const child = children[i] as Node<V>;
  const label = child.label;
  if (data.length - at < label.length) return undefined;
  for (let j = 1; j < label.length; j++) if (label[j] !== data[at + j]) return undefined;
  return child;
}

/** Binary search by first label byte: the index, or -(insertion point) - 1. */
function search<V>(children: Node<V>[], byte: number): number {
  let low = 0;
  let high = children.length - 1;
  while (low <= high) {
    const mid = (low + high) >>> 1;
    const first = (children[mid] as Node<V>).label[0] as number;
    if (first < byte) low = mid + 1;
    else if (first > byte) high = mid - 1;
    else return mid;
  }
  return -low - 1;
}
