import { randomBytes } from "node:crypto";
import { isWasmSodium, nativeFrameBoxes, wasmFrameBoxes, type FrameBoxes, type NativeSecretbox } from "./frame-boxes";

/**
 * The NaCl primitives CurveZMQ needs (RFC 26: "Curve25519 ... The cryptographic core is
 * NaCl"), from libsodium compiled to WebAssembly (the `libsodium-wrappers` package):
 * nothing native to build. Chosen by measurement over tweetnacl and @noble/ciphers
 * (bench/crypto/box.ts): about twice tweetnacl's box/open rate at 16 B and three times
 * its throughput at 64 KiB.
 *
 * libsodium starts asynchronously (it compiles its WebAssembly), so it is loaded at the
 * first CURVE connection and the handshake waits for it (gated.ts). Boxes are in NaCl's
 * "easy" layout, MAC first, which is exactly CurveZMQ's box layout on the wire.
 *
 * Where the optional `sodium-native` package loads (prebuilt binaries, nothing to compile),
 * message boxes go through it instead: crypto_box_afternm is crypto_secretbox keyed with the
 * precomputed key, so the shared key still comes from libsodium-wrappers and only the
 * per-message work moves. Measured end to end (PUSH/PULL over tcp, `npm run bench -- --only
 * curve-thr`, omq/native in one run): 64 KiB went from 0.31× to 0.62×; 16 B stays above 1×.
 * OMQ_NO_SODIUM_NATIVE=1 forces the portable path. Message boxes are written in place
 * (frame-boxes.ts) on either path: per message, one buffer and one copy of the frame on
 * the way out, no buffer on the way in (bench/crypto/box.ts, old and new shapes side by
 * side in one process: sodium-native encode +15% at 64 KiB and +9% at 16 B, decode +35%
 * at 16 B and even at 64 KiB, where the cipher is all the cost; WebAssembly +34%/+55% at
 * 16 B). The rest of the 64 KiB gap to libzmq is the cipher itself, which libzmq runs on
 * its I/O thread and we on the event loop.
 */
export interface CurveCrypto {
  /** A fresh transient key pair (crypto_box_keypair). */
  keyPair(): { publicKey: Buffer; secretKey: Buffer };
  /** crypto_box_beforenm, or undefined when the public key is weak (a low-order point). */
  sharedKey(publicKey: Uint8Array, secretKey: Uint8Array): Uint8Array | undefined;
  /** crypto_box_easy_afternm: 16 octets of MAC, then the ciphertext. */
  seal(plain: Uint8Array, nonce: Uint8Array, key: Uint8Array): Uint8Array;
  /** crypto_box_open_easy_afternm, or undefined when the box does not open. */
  open(box: Uint8Array, nonce: Uint8Array, key: Uint8Array): Uint8Array | undefined;
  /** MESSAGE boxes, written in place (frame-boxes.ts). */
  frames: FrameBoxes;
  /** crypto_secretbox_easy (the cookie), MAC first. */
  secretSeal(plain: Uint8Array, nonce: Uint8Array, key: Uint8Array): Uint8Array;
  /** crypto_secretbox_open_easy, or undefined when the box does not open. */
  secretOpen(box: Uint8Array, nonce: Uint8Array, key: Uint8Array): Uint8Array | undefined;
}

type Sodium = typeof import("libsodium-wrappers");

function loadNative(): NativeSecretbox | undefined {
  if (process.env.OMQ_NO_SODIUM_NATIVE) return undefined;
  try {
    return require("sodium-native") as NativeSecretbox;
  } catch {
    return undefined;
  }
}

let loaded: CurveCrypto | undefined;
let loading: Promise<CurveCrypto> | undefined;

/** The primitives if libsodium has started, else undefined (start it with loadCurveCrypto). */
export function curveCrypto(): CurveCrypto | undefined {
  return loaded;
}

/**
 * Starts libsodium once per process (one WebAssembly instance serves every context: it
 * holds no keys between calls) and resolves with the primitives.
 */
export function loadCurveCrypto(): Promise<CurveCrypto> {
  loading ??= import("libsodium-wrappers").then(async (module) => {
    const sodium = ((module as { default?: Sodium }).default ?? module) as Sodium;
    await sodium.ready;
    const native = loadNative();
    loaded = { ...wrap(sodium), frames: native !== undefined ? nativeFrameBoxes(native) : portableFrameBoxes(sodium) };
    return loaded;
  });
  // Handled by whoever waits on it (gated.ts); a failure must not surface as unhandled.
  loading.catch(() => {});
  return loading;
}

function wrap(sodium: Sodium): Omit<CurveCrypto, "frames"> {
  return {
    keyPair() {
      const pair = sodium.crypto_box_keypair();
      return { publicKey: view(pair.publicKey), secretKey: view(pair.privateKey) };
    },
    sharedKey(publicKey, secretKey) {
      try {
        return sodium.crypto_box_beforenm(publicKey, secretKey);
      } catch {
        return undefined; // libsodium refuses an all-zero shared secret
      }
    },
    seal: (plain, nonce, key) => sodium.crypto_box_easy_afternm(plain, nonce, key),
    open(box, nonce, key) {
      try {
        return sodium.crypto_box_open_easy_afternm(box, nonce, key);
      } catch {
        return undefined;
      }
    },
    secretSeal: (plain, nonce, key) => sodium.crypto_secretbox_easy(plain, nonce, key),
    secretOpen(box, nonce, key) {
      try {
        return sodium.crypto_secretbox_open_easy(box, nonce, key);
      } catch {
        return undefined;
      }
    },
  };
}

/**
 * The WebAssembly underneath libsodium-wrappers (frame-boxes.ts), or, should a version of
 * the package stop exporting it, the wrappers themselves with their copies.
 */
function portableFrameBoxes(sodium: Sodium): FrameBoxes {
  const module: unknown = (sodium as { libsodium?: unknown }).libsodium;
  if (isWasmSodium(module)) return wasmFrameBoxes(module);
  return {
    seal(out, at, flags, frame, nonce, key) {
      const plain = new Uint8Array(1 + frame.length);
      plain[0] = flags;
      plain.set(frame, 1);
      out.set(sodium.crypto_secretbox_easy(plain, nonce, key), at);
    },
    openInPlace(box, nonce, key) {
      try {
        box.set(sodium.crypto_secretbox_open_easy(box, nonce, key), 16);
        return true;
      } catch {
        return false;
      }
    },
  };
}

/** A Buffer over the same bytes (no copy). */
export function view(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** Random octets for nonces and cookie keys (RFC 26: "from a good random number generator"). */
export function randomOctets(size: number): Buffer {
  return randomBytes(size);
}
