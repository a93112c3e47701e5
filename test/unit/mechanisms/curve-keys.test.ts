import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { loadCurveCrypto } from "../../../src/mechanisms/curve-crypto";
import { curveKeyPair, curvePublicKey, parseCurveKey, publicKeyOf } from "../../../src/mechanisms/curve-keys";
import { z85Decode, z85Encode } from "../../../src/util/z85";
import { nativeMissing } from "../../helpers/interop";

describe("CURVE keys", () => {
  it("curveKeyPair() makes a pair whose public key is the secret key's (crypto_scalarmult_base)", async () => {
    const { publicKey, secretKey } = curveKeyPair();
    assert.equal(curvePublicKey(secretKey), publicKey);
    // libsodium agrees: a box sealed to the public key opens with the secret key.
    const crypto = await loadCurveCrypto();
    const other = crypto.keyPair();
    const nonce = Buffer.alloc(24, 1);
    const box = crypto.seal(Buffer.from("hi"), nonce, crypto.sharedKey(z85Decode(publicKey)!, other.secretKey)!);
    assert.deepEqual(Buffer.from(crypto.open(box, nonce, crypto.sharedKey(other.publicKey, z85Decode(secretKey)!)!)!), Buffer.from("hi"));
  });

  it("derives the public key of a secret key libzmq generated", { skip: nativeMissing() }, () => {
    const native = require("zeromq") as typeof import("zeromq");
    for (let i = 0; i < 5; i++) {
      const { publicKey, secretKey } = native.curveKeyPair();
      assert.equal(curvePublicKey(secretKey), publicKey);
    }
  });

  it("takes keys as libzmq's options do: 32 octets, 40 Z85 characters, or 41 with a trailing NUL", () => {
    const raw = Buffer.alloc(32, 9);
    const text = z85Encode(raw);
    assert.deepEqual(parseCurveKey(raw), raw);
    assert.deepEqual(parseCurveKey(text), raw);
    assert.deepEqual(parseCurveKey(`${text}\0`), raw);
    assert.equal(parseCurveKey(text.slice(1)), undefined);
    assert.equal(parseCurveKey(Buffer.alloc(33)), undefined);
    assert.equal(parseCurveKey(`${text.slice(1)}~`), undefined);
    assert.deepEqual(publicKeyOf(raw), z85Decode(curvePublicKey(raw)));
    assert.throws(() => curvePublicKey("short"), RangeError);
  });

  it("publicKeyOf remembers only the last key: alternating secrets each get their own public key, and a caller can't spoil it", () => {
    const [a, b] = [curveKeyPair(), curveKeyPair()];
    for (const pair of [a, b, a, a, b]) assert.equal(z85Encode(publicKeyOf(z85Decode(pair.secretKey)!)), pair.publicKey);
    publicKeyOf(z85Decode(b.secretKey)!).fill(0);
    assert.equal(z85Encode(publicKeyOf(z85Decode(b.secretKey)!)), b.publicKey);
  });
});
