import { createPrivateKey, createPublicKey, generateKeyPairSync } from "node:crypto";
import { z85Decode, z85Encode } from "../util/z85";

/**
 * CURVE keys as users handle them: 32-octet Curve25519 keys, written as 40-character Z85
 * strings (RFC 32). These run synchronously on Node's own X25519 (zeromq.js's
 * `curveKeyPair()` is synchronous), so they need no WebAssembly to have started.
 */
export const KEY_SIZE = 32;
export const Z85_KEY_SIZE = 40;

/** A fresh long-term key pair, each key a 40-character Z85 string (zeromq.js `curveKeyPair`). */
export function curveKeyPair(): { publicKey: string; secretKey: string } {
  const { publicKey, privateKey } = generateKeyPairSync("x25519");
  const secret = Buffer.from(privateKey.export({ format: "jwk" }).d!, "base64url");
  const pub = Buffer.from(publicKey.export({ format: "jwk" }).x!, "base64url");
  return { publicKey: z85Encode(pub), secretKey: z85Encode(secret) };
}

/** PKCS#8 wrapping of a raw X25519 private key (RFC 8410), to hand the key to node:crypto. */
const PKCS8_X25519_PREFIX = Buffer.from("302e020100300506032b656e04220420", "hex");

/** The last key pair publicKeyOf() derived. */
let lastDerived: { secretKey: Buffer; publicKey: Buffer } | undefined;

/** The public key of a secret key (crypto_scalarmult_base), as raw octets. */
export function publicKeyOf(secretKey: Uint8Array): Buffer {
  // A CURVE server derives its public key for every connection (~0.4 ms): remember the last one.
  if (lastDerived === undefined || !lastDerived.secretKey.equals(secretKey)) {
    const der = Buffer.concat([PKCS8_X25519_PREFIX, secretKey]);
    const privateKey = createPrivateKey({ key: der, format: "der", type: "pkcs8" });
    const publicKey = Buffer.from(createPublicKey(privateKey).export({ format: "jwk" }).x!, "base64url");
    lastDerived = { secretKey: Buffer.from(secretKey), publicKey };
  }
  return Buffer.from(lastDerived.publicKey);
}

/**
 * The public key that goes with `secretKey` (a 40-character Z85 string or 32 octets), as
 * Z85: pyzmq's `curve_public`, libzmq's `zmq_curve_public`. Throws RangeError on a key that
 * is neither.
 */
export function curvePublicKey(secretKey: string | Uint8Array): string {
  const secret = parseCurveKey(secretKey);
  if (secret === undefined) throw new RangeError("a CURVE key is 40 Z85 characters or 32 bytes");
  return z85Encode(publicKeyOf(secret));
}

/**
 * A key as libzmq's ZMQ_CURVE_*KEY options take it: 32 octets as they are, or 40 Z85
 * characters (41 with a trailing NUL, as C callers pass it). Undefined when it is neither.
 */
export function parseCurveKey(value: string | Uint8Array): Buffer | undefined {
  if (typeof value !== "string") return value.length === KEY_SIZE ? Buffer.from(value) : undefined;
  const text = value.length === Z85_KEY_SIZE + 1 && value.endsWith("\0") ? value.slice(0, -1) : value;
  if (text.length !== Z85_KEY_SIZE) return undefined;
  return z85Decode(text);
}
