import { encodeMetadata, parseMetadata, type Metadata } from "../zmtp/metadata";
import { ProtocolError } from "../zmtp/protocol-error";
import { randomOctets, view, type CurveCrypto } from "./curve-crypto";
import { CurveMessages } from "./curve-messages";
import { HandshakeClient } from "./handshake-client";
import { protocolFailure, type DecodedFrame, type MechanismFailure, type MechanismOptions } from "./mechanism";
import { basicProperties } from "./properties";

/** The client's long-term keys and the server's public key, 32 octets each. */
export interface CurveClientKeys {
  publicKey: Buffer;
  secretKey: Buffer;
  serverKey: Buffer;
}

/**
 * The client side of CurveZMQ (RFC 26), from HELLO to the MESSAGE boxes:
 *
 *   curvezmq = C:hello ( S:welcome | S:error )
 *              C:initiate ( S:ready | S:error )
 *              *message
 *
 * "The client SHALL generate a unique key pair for each connection" (C', c'), kept only
 * by this object. The handshake's shape is HandshakeClient's; after READY, encrypted
 * traffic (`encodeFrame`).
 */
export class CurveClient extends HandshakeClient {
  readonly name = "CURVE";
  readonly #crypto: CurveCrypto;
  readonly #keys: CurveClientKeys;
  readonly #transient: { publicKey: Buffer; secretKey: Buffer };
  /** Box key between S and c' (HELLO's signature box and WELCOME's box). */
  readonly #permanentKey: Uint8Array | undefined;
  /** From WELCOME: the server's transient key S' and the cookie to echo. */
  #serverTransient: Buffer | undefined = undefined;
  #cookie: Buffer | undefined = undefined;
  /** Box keys between S' and c' (everything after WELCOME), and between S' and c (the vouch). */
  #sessionKey: Uint8Array | undefined = undefined;
  #vouchKey: Uint8Array | undefined = undefined;
  #messages: CurveMessages | undefined = undefined;

  constructor(options: MechanismOptions, crypto: CurveCrypto, keys: CurveClientKeys) {
    super(options);
    this.#crypto = crypto;
    this.#keys = keys;
    this.#transient = crypto.keyPair();
    this.#permanentKey = crypto.sharedKey(keys.serverKey, this.#transient.secretKey);
    if (this.#permanentKey === undefined) this.fail(protocolFailure("ERR_ZMTP_KEY_EXCHANGE", "the server key is not a usable Curve25519 key"));
  }

  encodeFrame(frame: Buffer, more: boolean, command = false): Buffer {
    return this.#messages!.encode(frame, more, command);
  }

  decodeFrame(body: Buffer): DecodedFrame | MechanismFailure {
    return this.#messages!.decode(body);
  }

  /** hello = %d5 "HELLO" version(1, 0) 72%x00 C' short-nonce Box[64 * %x0](C'->S); 200 octets. */
  protected hello(): Buffer {
    const body = Buffer.alloc(200);
    body.write("\x05HELLO\x01\x00", 0, "latin1");
    this.#transient.publicKey.copy(body, 80);
    body.writeUInt32BE(1, 116); // short nonce 1
    const box = this.#crypto.seal(Buffer.alloc(64), nonce("CurveZMQHELLO---", body.subarray(112, 120)), this.#permanentKey!);
    body.set(box, 120);
    return body;
  }

  /** welcome = %d7 "WELCOME" long-nonce(16) Box[S' + cookie](S->C') (144); 168 octets. */
  protected welcome(data: Buffer): void {
    if (data.length !== 160) return this.fail(protocolFailure("ERR_ZMTP_MALFORMED_COMMAND_WELCOME", "WELCOME is not 168 octets"));
    const plain = this.#crypto.open(data.subarray(16), nonce("WELCOME-", data.subarray(0, 16)), this.#permanentKey!);
    if (plain === undefined) return this.fail(protocolFailure("ERR_ZMTP_CRYPTOGRAPHIC", "WELCOME box does not open (wrong server key?)"));
    this.#serverTransient = Buffer.from(plain.subarray(0, 32));
    this.#cookie = Buffer.from(plain.subarray(32, 128));
    this.#sessionKey = this.#crypto.sharedKey(this.#serverTransient, this.#transient.secretKey);
    this.#vouchKey = this.#crypto.sharedKey(this.#serverTransient, this.#keys.secretKey);
    if (this.#sessionKey === undefined || this.#vouchKey === undefined) {
      this.fail(protocolFailure("ERR_ZMTP_KEY_EXCHANGE", "unusable server transient key"));
    }
  }

  /**
   * initiate = %d8 "INITIATE" cookie short-nonce Box[C + vouch + metadata](C'->S'),
   * vouch = long-nonce Box[C' + S](C->S'): the proof that the holder of C made C'.
   */
  protected initiate(): Buffer {
    const crypto = this.#crypto;
    const vouchNonce = randomOctets(16);
    const vouch = crypto.seal(Buffer.concat([this.#transient.publicKey, this.#keys.serverKey]), nonce("VOUCH---", vouchNonce), this.#vouchKey!);
    const metadata = encodeMetadata(basicProperties(this.options));
    const plain = Buffer.concat([this.#keys.publicKey, vouchNonce, vouch, metadata]);
    const shortNonce = Buffer.alloc(8);
    shortNonce.writeUInt32BE(2, 4); // short nonce 2
    const box = crypto.seal(plain, nonce("CurveZMQINITIATE", shortNonce), this.#sessionKey!);
    return Buffer.concat([Buffer.from("\x08INITIATE", "latin1"), this.#cookie!, shortNonce, box]);
  }

  /** ready = %d5 "READY" short-nonce Box[metadata](S'->C'); 30 octets or more. */
  protected ready(data: Buffer): Metadata | undefined {
    if (data.length < 8 + 16) return this.#refuse(protocolFailure("ERR_ZMTP_MALFORMED_COMMAND_READY", "READY too short"));
    const shortNonce = data.subarray(0, 8);
    const plain = this.#crypto.open(data.subarray(8), nonce("CurveZMQREADY---", shortNonce), this.#sessionKey!);
    if (plain === undefined) return this.#refuse(protocolFailure("ERR_ZMTP_CRYPTOGRAPHIC", "READY box does not open"));
    const metadata = parseMetadata(view(plain));
    if (metadata instanceof ProtocolError) return this.#refuse(protocolFailure(metadata.code, metadata.message));
    this.#messages = new CurveMessages(this.#crypto, this.#sessionKey!, false, 3, Buffer.from(shortNonce));
    return metadata;
  }

  #refuse(failure: MechanismFailure): undefined {
    this.fail(failure);
    return undefined;
  }
}

/** A 24-octet nonce: the RFC's prefix, then the nonce carried in the command. */
export function nonce(prefix: string, carried: Buffer): Buffer {
  const full = Buffer.allocUnsafe(24);
  full.write(prefix, 0, "latin1");
  carried.copy(full, prefix.length);
  return full;
}
