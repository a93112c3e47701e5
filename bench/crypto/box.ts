// crypto_box after precomputation (XSalsa20-Poly1305), the per-message cost of CURVE, for the
// candidate libraries that are installed, and omq's whole MESSAGE encode/decode on top:
//
//   npx tsc -p . && node dist/bench/crypto/box.js
//
// libsodium-wrappers is omq's dependency; tweetnacl and @noble/ciphers are measured when
// present (npm install --no-save tweetnacl @noble/ciphers @noble/curves). Figures from this
// script chose libsodium-wrappers; see src/mechanisms/curve-crypto.ts.
import { randomBytes } from "node:crypto";
import { performance } from "node:perf_hooks";
import { CurveMessages } from "../../src/mechanisms/curve-messages";
import { loadCurveCrypto } from "../../src/mechanisms/curve-crypto";

type Seal = (plain: Uint8Array, nonce: Uint8Array) => Uint8Array;
type Open = (box: Uint8Array, nonce: Uint8Array) => Uint8Array | null;

function rate(run: () => void, size: number): string {
  let n = 0;
  const start = performance.now();
  let now = start;
  while (now - start < 1000) {
    for (let i = 0; i < 32; i++) run();
    n += 32;
    now = performance.now();
  }
  const seconds = (now - start) / 1000;
  return `${Math.round(n / seconds)} ops/s ${((n * size) / seconds / 1e6).toFixed(0)} MB/s`.padEnd(26);
}

function row(name: string, size: number, seal: Seal, open: Open): void {
  const plain = randomBytes(size);
  const nonce = randomBytes(24);
  const box = seal(plain, nonce);
  if (!Buffer.from(open(box, nonce) ?? []).equals(plain)) throw new Error(`${name}: round trip failed`);
  console.log(`${name.padEnd(28)} ${String(size).padStart(6)} B  box ${rate(() => seal(plain, nonce), size)} open ${rate(() => open(box, nonce), size)}`);
}

function optional<T>(name: string): T | undefined {
  try {
    return require(name) as T;
  } catch {
    return undefined;
  }
}

async function main(): Promise<void> {
  const sodium = (await import("libsodium-wrappers")) as unknown as typeof import("libsodium-wrappers") & { default?: typeof import("libsodium-wrappers") };
  const na = sodium.default ?? sodium;
  await na.ready;
  const a = na.crypto_box_keypair();
  const b = na.crypto_box_keypair();
  const key = na.crypto_box_beforenm(b.publicKey, a.privateKey);
  type NaclBox = { after(m: Uint8Array, n: Uint8Array, k: Uint8Array): Uint8Array; open: { after(c: Uint8Array, n: Uint8Array, k: Uint8Array): Uint8Array | null } };
  const nacl = optional<{ box: NaclBox }>("tweetnacl");
  const noble = optional<{ xsalsa20poly1305(key: Uint8Array, nonce: Uint8Array): { encrypt(p: Uint8Array): Uint8Array; decrypt(c: Uint8Array): Uint8Array } }>("@noble/ciphers/salsa.js");
  const crypto = await loadCurveCrypto();
  const sender = new CurveMessages(crypto, key, false, 3, Buffer.alloc(8));
  for (const size of [16, 65536]) {
    row("libsodium-wrappers (wasm)", size, (m, n) => na.crypto_box_easy_afternm(m, n, key), (c, n) => na.crypto_box_open_easy_afternm(c, n, key));
    if (nacl) row("tweetnacl", size, (m, n) => nacl.box.after(m, n, key), (c, n) => nacl.box.open.after(c, n, key));
    if (noble) row("@noble/ciphers", size, (m, n) => noble.xsalsa20poly1305(key, n).encrypt(m), (c, n) => noble.xsalsa20poly1305(key, n).decrypt(c));
    const frame = randomBytes(size);
    console.log(`${"omq MESSAGE encode".padEnd(28)} ${String(size).padStart(6)} B  ${rate(() => sender.encode(frame, false), size)}`);
    // Decoding opens in place, so each run opens a fresh copy of a box from a stream of nonces.
    const receiver = new CurveMessages(crypto, key, true, 2, Buffer.alloc(8));
    const bodies = Array.from({ length: 64 }, () => sender.encode(frame, false));
    let next = 0;
    const decode = () => {
      if (next === bodies.length) {
        for (let i = 0; i < bodies.length; i++) bodies[i] = sender.encode(frame, false);
        next = 0;
      }
      receiver.decode(bodies[next++]!);
    };
    console.log(`${"omq MESSAGE decode (+encode)".padEnd(28)} ${String(size).padStart(6)} B  ${rate(decode, size)}`);
  }
}

void main();
