/**
 * The per-message boxes of CURVE traffic (RFC 26 MESSAGE), written where they go rather
 * than returned: each MESSAGE costs one buffer and no intermediate copies. A box is
 * crypto_box_easy_afternm, which is crypto_secretbox_easy keyed with the precomputed key:
 * 16 octets of MAC, then the ciphertext.
 *
 * Two backends, the same bytes: sodium-native (prebuilt, optional) seals and opens in
 * place; libsodium-wrappers' WebAssembly is called underneath its JavaScript wrappers,
 * whose every call allocates input, output, nonce and key in the WebAssembly heap and
 * copies the result out into a new array. Here one scratch region of that heap is reused,
 * so a box costs one copy in and one copy out.
 */
export interface FrameBoxes {
  /** Writes the box of `flags ‖ frame` into `out` from `at` on: 17 + frame.length octets. */
  seal(out: Uint8Array, at: number, flags: number, frame: Uint8Array, nonce: Uint8Array, key: Uint8Array): void;
  /** Opens `box` in place: true with the plaintext in box[16..], or false with `box` untouched. */
  openInPlace(box: Uint8Array, nonce: Uint8Array, key: Uint8Array): boolean;
}

/** The sodium-native calls used, which take their outputs as arguments. */
export interface NativeSecretbox {
  crypto_secretbox_easy(cipher: Uint8Array, plain: Uint8Array, nonce: Uint8Array, key: Uint8Array): void;
  crypto_secretbox_open_easy(plain: Uint8Array, cipher: Uint8Array, nonce: Uint8Array, key: Uint8Array): boolean;
}

/**
 * libsodium's "easy" calls accept a ciphertext that starts 16 octets before the plaintext
 * (the MAC goes in front), which is boxing in place; opening likewise verifies the MAC
 * before it writes a single plaintext octet.
 */
export function nativeFrameBoxes(native: NativeSecretbox): FrameBoxes {
  return {
    seal(out, at, flags, frame, nonce, key) {
      const end = at + 17 + frame.length;
      out[at + 16] = flags;
      out.set(frame, at + 17);
      native.crypto_secretbox_easy(out.subarray(at, end), out.subarray(at + 16, end), nonce, key);
    },
    openInPlace(box, nonce, key) {
      return box.length >= 16 && native.crypto_secretbox_open_easy(box.subarray(16), box, nonce, key);
    },
  };
}

/** The WebAssembly module inside libsodium-wrappers (its `libsodium` export), as far as used. */
export interface WasmSodium {
  HEAPU8: Uint8Array;
  _malloc(size: number): number;
  _free(address: number): void;
  /** (c, m, mlen low 32 bits, mlen high 32 bits, n, k); 0 on success. */
  _crypto_secretbox_easy(c: number, m: number, mlenLow: number, mlenHigh: number, n: number, k: number): number;
  /** (m, c, clen low 32 bits, clen high 32 bits, n, k); 0 when the box opens. */
  _crypto_secretbox_open_easy(m: number, c: number, clenLow: number, clenHigh: number, n: number, k: number): number;
}

export function isWasmSodium(module: unknown): module is WasmSodium {
  const m = module as Partial<WasmSodium> | undefined;
  return typeof m?._malloc === "function" && typeof m._free === "function" && typeof m._crypto_secretbox_easy === "function"
    && typeof m._crypto_secretbox_open_easy === "function" && m.HEAPU8 instanceof Uint8Array;
}

const KEY = 0;
const NONCE = 32;
const BOX = 56;

/**
 * One scratch region per process (one WebAssembly instance serves every connection, and a
 * call runs to completion): [key 32][nonce 24][box]. It grows to the largest box seen; the
 * WebAssembly memory never shrinks anyway. The key is wiped after each call.
 */
export function wasmFrameBoxes(lib: WasmSodium): FrameBoxes {
  let base = 0;
  let capacity = 0;
  /** The heap with key and nonce in place, room for `boxSize` after them. */
  function prepare(boxSize: number, nonce: Uint8Array, key: Uint8Array): Uint8Array {
    if (boxSize > capacity) {
      if (base !== 0) lib._free(base);
      capacity = Math.max(boxSize, 64 * 1024);
      base = lib._malloc(BOX + capacity);
      if (base === 0) {
        capacity = 0;
        throw new RangeError(`cannot allocate ${boxSize} octets for a CURVE box`);
      }
    }
    const heap = lib.HEAPU8; // read after _malloc: growing the memory replaces the view
    heap.set(key, base + KEY);
    heap.set(nonce, base + NONCE);
    return heap;
  }
  return {
    seal(out, at, flags, frame, nonce, key) {
      const boxSize = 17 + frame.length;
      const heap = prepare(boxSize, nonce, key);
      const box = base + BOX;
      heap[box + 16] = flags;
      heap.set(frame, box + 17);
      const length = frame.length + 1;
      const failed = lib._crypto_secretbox_easy(box, box + 16, length >>> 0, high(length), base + NONCE, base + KEY);
      heap.fill(0, base + KEY, base + NONCE);
      if (failed !== 0) throw new Error("crypto_secretbox_easy failed");
      out.set(heap.subarray(box, box + boxSize), at);
    },
    openInPlace(sealed, nonce, key) {
      if (sealed.length < 16) return false;
      const heap = prepare(sealed.length, nonce, key);
      const box = base + BOX;
      heap.set(sealed, box);
      const length = sealed.length;
      const failed = lib._crypto_secretbox_open_easy(box + 16, box, length >>> 0, high(length), base + NONCE, base + KEY);
      heap.fill(0, base + KEY, base + NONCE);
      if (failed !== 0) return false;
      sealed.set(heap.subarray(box + 16, box + sealed.length), 16);
      return true;
    },
  };
}

/** The high 32 bits of a 64-bit length passed as two 32-bit halves. */
function high(length: number): number {
  return Math.floor(length / 0x1_0000_0000);
}
