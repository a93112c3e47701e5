// A CURVE client built by hand from the RFC 26 grammar, so tests can send commands that a
// well-behaved client never would: any short nonce, raw metadata bytes, a vouch for the
// wrong key. Every box is still valid unless a test breaks it on purpose.
import { randomBytes } from "node:crypto";
import type { CurveCrypto } from "../../../src/mechanisms/curve-crypto";
import { nonce } from "../../../src/mechanisms/curve-client";

export interface HandPeer {
  hello(shortNonce?: number): Buffer;
  /** Reads WELCOME; throws if it does not open. */
  welcome(body: Buffer): void;
  initiate(options?: { shortNonce?: number; metadata?: Buffer; vouchServerKey?: Buffer; cookie?: Buffer }): Buffer;
  /** The cookie WELCOME carried. */
  readonly cookie: Buffer;
  /** The box key between the transient keys (MESSAGEs, READY), once WELCOME is read. */
  sessionKey(): Uint8Array;
}

export function handPeer(crypto: CurveCrypto, client: { publicKey: Buffer; secretKey: Buffer }, serverKey: Buffer): HandPeer {
  const transient = crypto.keyPair();
  let serverTransient = Buffer.alloc(32);
  let cookie = Buffer.alloc(96);
  const short = (n: number) => {
    const out = Buffer.alloc(8);
    out.writeUInt32BE(n, 4);
    return out;
  };
  return {
    get cookie() {
      return cookie;
    },
    sessionKey: () => crypto.sharedKey(serverTransient, transient.secretKey)!,
    hello(shortNonce = 1) {
      const body = Buffer.alloc(200);
      body.write("\x05HELLO\x01\x00", 0, "latin1");
      transient.publicKey.copy(body, 80);
      short(shortNonce).copy(body, 112);
      const key = crypto.sharedKey(serverKey, transient.secretKey)!;
      body.set(crypto.seal(Buffer.alloc(64), nonce("CurveZMQHELLO---", short(shortNonce)), key), 120);
      return body;
    },
    welcome(body) {
      const key = crypto.sharedKey(serverKey, transient.secretKey)!;
      const plain = crypto.open(body.subarray(24), nonce("WELCOME-", body.subarray(8, 24)), key);
      if (plain === undefined) throw new Error("WELCOME does not open");
      serverTransient = Buffer.from(plain.subarray(0, 32));
      cookie = Buffer.from(plain.subarray(32, 128));
    },
    initiate(options = {}) {
      const vouchNonce = randomBytes(16);
      const vouchKey = crypto.sharedKey(serverTransient, client.secretKey)!;
      const vouch = crypto.seal(Buffer.concat([transient.publicKey, options.vouchServerKey ?? serverKey]), nonce("VOUCH---", vouchNonce), vouchKey);
      const plain = Buffer.concat([client.publicKey, vouchNonce, vouch, options.metadata ?? Buffer.from("\x0bSocket-Type\x00\x00\x00\x04PUSH", "latin1")]);
      const shortNonce = short(options.shortNonce ?? 2);
      const box = crypto.seal(plain, nonce("CurveZMQINITIATE", shortNonce), crypto.sharedKey(serverTransient, transient.secretKey)!);
      return Buffer.concat([Buffer.from("\x08INITIATE", "latin1"), options.cookie ?? cookie, shortNonce, box]);
    },
  };
}
