/** A small deterministic PRNG (mulberry32) so fuzz runs repeat exactly from their seed. */
export class Prng {
  #state: number;

  constructor(seed: number) {
    this.#state = seed >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    let t = (this.#state = (this.#state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  bytes(n: number): Buffer {
    const out = Buffer.allocUnsafe(n);
    for (let i = 0; i < n; i++) out[i] = this.int(256);
    return out;
  }

  /** Cuts `data` into pieces of random sizes (1 to maxPiece bytes), covering every byte in order. */
  split(data: Buffer, maxPiece: number): Buffer[] {
    const pieces: Buffer[] = [];
    let pos = 0;
    while (pos < data.length) {
      const size = 1 + this.int(maxPiece);
      pieces.push(data.subarray(pos, pos + size));
      pos += size;
    }
    return pieces;
  }
}
