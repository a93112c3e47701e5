import { encodeCommand, splitCommand } from "../zmtp/commands";
import { encodeMetadata, parseMetadata } from "../zmtp/metadata";
import { ProtocolError } from "../zmtp/protocol-error";
import type { CookieJar } from "./cookie-jar";
import { nonce } from "./curve-client";
import { randomOctets, view, type CurveCrypto } from "./curve-crypto";
import { CurveMessages } from "./curve-messages";
import { protocolFailure, type DecodedFrame, type Mechanism, type MechanismFailure, type MechanismOptions } from "./mechanism";
import type { ZapSettings } from "./zap";
import { basicProperties } from "./properties";
import { ZapServer } from "./zap-server";

/** The server's long-term keys, 32 octets each. */
export interface CurveServerKeys {
  publicKey: Buffer;
  secretKey: Buffer;
}

/**
 * The server side of CurveZMQ (RFC 26). Between WELCOME and INITIATE it keeps no secret:
 * "The server SHALL not keep this transient key pair": s' leaves inside the cookie, sealed
 * with the context's cookie key (cookie-jar.ts), and comes back in INITIATE. What it keeps
 * is the client's public C' and HELLO's nonce, so a cookie only works on its connection.
 *
 * The client's permanent key C then goes to the ZAP handler ("credentials SHALL consist of
 * a 32-byte long-term public key"). With no handler bound, libzmq admits every client that
 * knows our public key (the "Stonehouse" model), unless ZMQ_ZAP_ENFORCE_DOMAIN is set.
 *
 * States, one line each: hello → welcome (WELCOME next) → initiate → zap (verdict pending)
 * → ready (READY next) or refused (ERROR next) → done (encrypted traffic).
 */
type State = "hello" | "welcome" | "initiate" | "zap" | "ready" | "refused" | "done";

export class CurveServer extends ZapServer implements Mechanism {
  readonly name = "CURVE";
  readonly #crypto: CurveCrypto;
  readonly #keys: CurveServerKeys;
  readonly #jar: CookieJar;
  #state: State = "hello";
  /** From HELLO: the client's transient public key C', its short nonce, and (until WELCOME) the box key between C' and s. */
  #clientTransient: Buffer | undefined = undefined;
  #peerNonce: Buffer | undefined = undefined;
  #helloKey: Uint8Array | undefined = undefined;
  /** From INITIATE: the box key between C' and s'. */
  #sessionKey: Uint8Array | undefined = undefined;
  #messages: CurveMessages | undefined = undefined;

  constructor(options: MechanismOptions, crypto: CurveCrypto, keys: CurveServerKeys, jar: CookieJar, zap: ZapSettings) {
    super(options, zap);
    this.#crypto = crypto;
    this.#keys = keys;
    this.#jar = jar;
  }

  nextCommand(): Buffer | undefined {
    if (this.failed) return undefined;
    switch (this.#state) {
      case "welcome":
        this.#state = "initiate";
        return this.#welcome();
      case "ready":
        this.#state = "done";
        this.succeed();
        return this.#ready();
      case "refused":
        return this.sendRefusal();
      default:
        return undefined;
    }
  }

  processCommand(body: Buffer): void {
    if (this.failed) return;
    const command = splitCommand(body);
    if (command instanceof ProtocolError) return this.fail(protocolFailure(command.code, command.message));
    if (command.name === "HELLO" && this.#state === "hello") return this.#hello(body);
    if (command.name === "INITIATE" && this.#state === "initiate") return this.#initiate(body);
    this.fail(protocolFailure("ERR_ZMTP_UNEXPECTED_COMMAND", `unexpected ${command.name} in the CURVE handshake`));
  }

  protected admitsWithoutHandler(): boolean {
    return !this.zap.enforceDomain;
  }

  protected verdict(outcome: "admitted" | "refused"): void {
    this.#state = outcome === "admitted" ? "ready" : "refused";
  }

  encodeFrame(frame: Buffer, more: boolean, command = false): Buffer {
    return this.#messages!.encode(frame, more, command);
  }

  decodeFrame(body: Buffer): DecodedFrame | MechanismFailure {
    return this.#messages!.decode(body);
  }

  /** "The server SHALL validate all fields and SHALL reject and disconnect clients who send malformed HELLO commands." */
  #hello(body: Buffer): void {
    if (body.length !== 200) return this.fail(protocolFailure("ERR_ZMTP_MALFORMED_COMMAND_HELLO", "HELLO is not 200 octets"));
    if (body[6] !== 1 || body[7] !== 0) return this.fail(protocolFailure("ERR_ZMTP_MALFORMED_COMMAND_HELLO", "unknown CurveZMQ version"));
    const clientTransient = Buffer.from(body.subarray(80, 112));
    const key = this.#crypto.sharedKey(clientTransient, this.#keys.secretKey);
    if (key === undefined) return this.fail(protocolFailure("ERR_ZMTP_KEY_EXCHANGE", "unusable client transient key"));
    const signature = this.#crypto.open(body.subarray(120, 200), nonce("CurveZMQHELLO---", body.subarray(112, 120)), key);
    if (signature === undefined) return this.fail(protocolFailure("ERR_ZMTP_CRYPTOGRAPHIC", "HELLO box does not open (wrong server key?)"));
    this.#clientTransient = clientTransient;
    this.#peerNonce = Buffer.from(body.subarray(112, 120));
    this.#helloKey = key;
    this.#state = "welcome";
  }

  /** welcome = long-nonce Box[S' + cookie](S->C'); cookie = long-nonce Box[C' + s'](K). */
  #welcome(): Buffer {
    const crypto = this.#crypto;
    const transient = crypto.keyPair();
    const cookieNonce = randomOctets(16);
    const cookieBox = crypto.secretSeal(Buffer.concat([this.#clientTransient!, transient.secretKey]), nonce("COOKIE--", cookieNonce), this.#jar.sealingKey());
    const welcomeNonce = randomOctets(16);
    const plain = Buffer.concat([transient.publicKey, cookieNonce, cookieBox]);
    const box = crypto.seal(plain, nonce("WELCOME-", welcomeNonce), this.#helloKey!);
    this.#helloKey = undefined;
    transient.secretKey.fill(0);
    return Buffer.concat([Buffer.from("\x07WELCOME", "latin1"), welcomeNonce, box]);
  }

  /** initiate = %d8 "INITIATE" cookie(96) short-nonce(8) Box[C + vouch + metadata](C'->S'); 257 octets or more. */
  #initiate(body: Buffer): void {
    const fail = (code: "ERR_ZMTP_CRYPTOGRAPHIC" | "ERR_ZMTP_KEY_EXCHANGE" | "ERR_ZMTP_INVALID_SEQUENCE", why: string) =>
      this.fail(protocolFailure(code, `INITIATE: ${why}`));
    if (body.length < 257) return this.fail(protocolFailure("ERR_ZMTP_MALFORMED_COMMAND_INITIATE", "INITIATE shorter than 257 octets"));
    const cookieNonce = nonce("COOKIE--", body.subarray(9, 25));
    let cookie: Uint8Array | undefined;
    for (const key of this.#jar.openingKeys()) {
      cookie = this.#crypto.secretOpen(body.subarray(25, 105), cookieNonce, key);
      if (cookie !== undefined) break;
    }
    if (cookie === undefined) return fail("ERR_ZMTP_CRYPTOGRAPHIC", "the cookie does not open (expired?)");
    if (!this.#clientTransient!.equals(cookie.subarray(0, 32))) return fail("ERR_ZMTP_KEY_EXCHANGE", "the cookie is not this connection's");
    const shortNonce = body.subarray(105, 113);
    if (Buffer.compare(shortNonce, this.#peerNonce!) <= 0) return fail("ERR_ZMTP_INVALID_SEQUENCE", "nonce not above HELLO's");
    const sessionKey = this.#crypto.sharedKey(this.#clientTransient!, cookie.subarray(32, 64));
    if (sessionKey === undefined) return fail("ERR_ZMTP_KEY_EXCHANGE", "unusable client transient key");
    const plain = this.#crypto.open(body.subarray(113), nonce("CurveZMQINITIATE", shortNonce), sessionKey);
    if (plain === undefined || plain.length < 128) return fail("ERR_ZMTP_CRYPTOGRAPHIC", "the box does not open");
    const clientKey = Buffer.from(plain.subarray(0, 32));
    const vouchKey = this.#crypto.sharedKey(clientKey, cookie.subarray(32, 64));
    const vouch = vouchKey && this.#crypto.open(plain.subarray(48, 128), nonce("VOUCH---", view(plain.subarray(32, 48))), vouchKey);
    if (vouch === undefined) return fail("ERR_ZMTP_CRYPTOGRAPHIC", "the vouch does not open");
    // vouch = Box[C',S](C->S'): C vouches for C', towards this server.
    if (!this.#clientTransient!.equals(vouch.subarray(0, 32)) || !this.#keys.publicKey.equals(vouch.subarray(32, 64))) {
      return fail("ERR_ZMTP_KEY_EXCHANGE", "the vouch is for another key");
    }
    const metadata = parseMetadata(view(plain.subarray(128)));
    if (metadata instanceof ProtocolError) return this.fail(protocolFailure(metadata.code, metadata.message));
    this.clientMetadata = metadata;
    this.#sessionKey = sessionKey;
    this.#peerNonce = Buffer.from(shortNonce);
    this.#state = "zap";
    this.askZap("CURVE", [clientKey]);
  }

  /** ready = %d5 "READY" short-nonce Box[metadata](S'->C'); our short nonces start at 1. */
  #ready(): Buffer {
    const shortNonce = Buffer.alloc(8);
    shortNonce.writeUInt32BE(1, 4);
    const box = this.#crypto.seal(encodeMetadata(basicProperties(this.options)), nonce("CurveZMQREADY---", shortNonce), this.#sessionKey!);
    this.#messages = new CurveMessages(this.#crypto, this.#sessionKey!, true, 2, this.#peerNonce!);
    return encodeCommand("READY", Buffer.concat([shortNonce, box]));
  }

}
