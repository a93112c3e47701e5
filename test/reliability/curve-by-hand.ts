// CurveZMQ (RFC 26) built by hand with libsodium-wrappers, nothing from omq's mechanism code,
// so that tests can send what a correct peer never would: any nonce, any metadata, a box with a
// broken MAC, a command of the wrong size. Boxes are libsodium's "easy" form, which is RFC 26's
// wire form: 16 octets of MAC, then the ciphertext.
//
// Client short nonces (libzmq's): HELLO 1, INITIATE 2, MESSAGEs from 3. Server: READY 1, then 2...
// HELLO    = "\x05HELLO" %x01 %x00 72*%x00 C'(32) nonce(8) Box[64*%x00](C'->S)                 200 octets
// WELCOME  = "\x07WELCOME" nonce(16) Box[S'(32) cookie(96)](S->C')                               168 octets
// INITIATE = "\x08INITIATE" cookie(96) nonce(8) Box[C(32) vnonce(16) Box[C' S](C->S')(80) metadata](C'->S')
// READY    = "\x05READY" nonce(8) Box[metadata](S'->C')
// MESSAGE  = "\x07MESSAGE" nonce(8) Box[flags(1) payload](C'->S' or S'->C')
import { once } from "node:events";
import { connect, type Socket as NetSocket } from "node:net";
import { frameHeader, greeting } from "../helpers/zmtp";
import { zmq } from "./support";

export type Sodium = typeof import("libsodium-wrappers");
export interface KeyPair {
  publicKey: Uint8Array;
  privateKey: Uint8Array;
}

let loaded: Promise<Sodium> | undefined;
export function sodium(): Promise<Sodium> {
  loaded ??= import("libsodium-wrappers").then(async (module) => {
    const s = ((module as { default?: Sodium }).default ?? module) as Sodium;
    await s.ready;
    return s;
  });
  return loaded;
}

/** A long-term key pair, with the Z85 strings omq's options take. */
export function curveKeys(s: Sodium): KeyPair & { z85Public: string; z85Secret: string } {
  const pair = s.crypto_box_keypair();
  return { ...pair, z85Public: zmq.z85Encode(pair.publicKey), z85Secret: zmq.z85Encode(pair.privateKey) };
}

function shortNonce(n: number): Buffer {
  const out = Buffer.alloc(8);
  out.writeBigUInt64BE(BigInt(n));
  return out;
}

function fullNonce(prefix: string, tail: Uint8Array): Uint8Array {
  return Buffer.concat([Buffer.from(prefix, "latin1"), tail]);
}

/** One metadata property (RFC 37): name-length, name, 4-octet value-length, value. */
export function property(name: string, value: Buffer, declaredLength = value.length): Buffer {
  const size = Buffer.alloc(4);
  size.writeUInt32BE(declaredLength >>> 0);
  return Buffer.concat([Buffer.from([name.length]), Buffer.from(name, "latin1"), size, value]);
}

/** Metadata of exactly `total` octets: Socket-Type (20 octets) and padding in a second property, or nothing at 0. */
export function metadataOfSize(socketType: string, total: number): Buffer {
  if (total === 0) return Buffer.alloc(0);
  const type = property("Socket-Type", Buffer.from(socketType));
  const padHeader = 1 + "X-Pad".length + 4;
  if (total < type.length + padHeader) throw new Error(`metadata of ${total} octets cannot hold Socket-Type and a pad`);
  return Buffer.concat([type, property("X-Pad", Buffer.alloc(total - type.length - padHeader, 0x70))]);
}

/** MESSAGE body for `payload` with `flags`, boxed with `key` (a precomputed C'/S' key) and short nonce `n`. */
function messageBox(s: Sodium, prefix: string, key: Uint8Array, n: number, payload: Buffer, more: boolean): Buffer {
  const plain = Buffer.concat([Buffer.from([more ? 1 : 0]), payload]);
  const box = s.crypto_box_easy_afternm(plain, fullNonce(prefix, shortNonce(n)), key);
  return Buffer.concat([Buffer.from("\x07MESSAGE", "latin1"), shortNonce(n), box]);
}

/**
 * A client's keys for one server: permanent C, transient C', and the box key between C' and S
 * (HELLO and WELCOME), precomputed. A fuzzer reuses one set over many connections to save the
 * scalar multiplications (RFC 26 asks a client for a new C' per connection; a server cannot tell).
 */
export interface ClientKeys {
  serverKey: Uint8Array;
  permanent: KeyPair;
  transient: KeyPair;
  helloKey: Uint8Array;
}

export function clientKeys(s: Sodium, serverKey: Uint8Array, permanent: KeyPair = s.crypto_box_keypair()): ClientKeys {
  const transient = s.crypto_box_keypair();
  return { serverKey, permanent, transient, helloKey: s.crypto_box_beforenm(serverKey, transient.privateKey) };
}

export class HandClient {
  readonly #s: Sodium;
  readonly #keys: ClientKeys;
  #serverTransient: Uint8Array | undefined;
  #cookie = Buffer.alloc(96);
  #session: Uint8Array | undefined;

  constructor(s: Sodium, keys: ClientKeys) {
    this.#s = s;
    this.#keys = keys;
  }

  hello(n = 1): Buffer {
    const box = this.#s.crypto_box_easy_afternm(new Uint8Array(64), fullNonce("CurveZMQHELLO---", shortNonce(n)), this.#keys.helloKey);
    return Buffer.concat([Buffer.from("\x05HELLO\x01\x00", "latin1"), Buffer.alloc(72), this.#keys.transient.publicKey, shortNonce(n), box]);
  }

  /** Opens WELCOME (throws if it does not open) and keeps S' and the cookie. */
  welcome(body: Buffer): void {
    const plain = this.#s.crypto_box_open_easy_afternm(body.subarray(24), fullNonce("WELCOME-", body.subarray(8, 24)), this.#keys.helloKey);
    this.#serverTransient = plain.subarray(0, 32);
    this.#cookie = Buffer.from(plain.subarray(32, 128));
    this.#session = this.#s.crypto_box_beforenm(this.#serverTransient, this.#keys.transient.privateKey);
  }

  initiate(metadata: Buffer, n = 2): Buffer {
    const vouchNonce = Buffer.from(this.#s.randombytes_buf(16));
    const vouch = this.#s.crypto_box_easy(
      Buffer.concat([this.#keys.transient.publicKey, this.#keys.serverKey]),
      fullNonce("VOUCH---", vouchNonce),
      this.#serverTransient!,
      this.#keys.permanent.privateKey,
    );
    const plain = Buffer.concat([this.#keys.permanent.publicKey, vouchNonce, vouch, metadata]);
    const box = this.#s.crypto_box_easy_afternm(plain, fullNonce("CurveZMQINITIATE", shortNonce(n)), this.#session!);
    return Buffer.concat([Buffer.from("\x08INITIATE", "latin1"), this.#cookie, shortNonce(n), box]);
  }

  /** Opens READY; returns its metadata (throws if it does not open). */
  ready(body: Buffer): Buffer {
    return Buffer.from(this.#s.crypto_box_open_easy_afternm(body.subarray(14), fullNonce("CurveZMQREADY---", body.subarray(6, 14)), this.#session!));
  }

  message(payload: Buffer | string, n: number, more = false): Buffer {
    return messageBox(this.#s, "CurveZMQMESSAGEC", this.#session!, n, Buffer.from(payload), more);
  }
}

export class HandServer {
  readonly #s: Sodium;
  readonly #keys: KeyPair;
  readonly #transient: KeyPair;
  #clientTransient: Uint8Array | undefined;
  #session: Uint8Array | undefined;

  constructor(s: Sodium, keys: KeyPair) {
    this.#s = s;
    this.#keys = keys;
    this.#transient = s.crypto_box_keypair();
  }

  /** Opens HELLO's signature box (throws if it does not open). */
  hello(body: Buffer): void {
    this.#clientTransient = body.subarray(80, 112);
    this.#s.crypto_box_open_easy(body.subarray(120, 200), fullNonce("CurveZMQHELLO---", body.subarray(112, 120)), this.#clientTransient, this.#keys.privateKey);
    this.#session = this.#s.crypto_box_beforenm(this.#clientTransient, this.#transient.privateKey);
  }

  /** WELCOME with an opaque cookie (this server keeps its transient key, so it never needs the cookie back). */
  welcome(): Buffer {
    const nonce = Buffer.from(this.#s.randombytes_buf(16));
    const box = this.#s.crypto_box_easy(Buffer.concat([this.#transient.publicKey, Buffer.from(this.#s.randombytes_buf(96))]), fullNonce("WELCOME-", nonce), this.#clientTransient!, this.#keys.privateKey);
    return Buffer.concat([Buffer.from("\x07WELCOME", "latin1"), nonce, box]);
  }

  /** Opens INITIATE's box (throws if it does not open); returns its metadata. */
  initiate(body: Buffer): Buffer {
    const plain = this.#s.crypto_box_open_easy_afternm(body.subarray(113), fullNonce("CurveZMQINITIATE", body.subarray(105, 113)), this.#session!);
    return Buffer.from(plain.subarray(128));
  }

  ready(metadata: Buffer, n = 1): Buffer {
    const box = this.#s.crypto_box_easy_afternm(metadata, fullNonce("CurveZMQREADY---", shortNonce(n)), this.#session!);
    return Buffer.concat([Buffer.from("\x05READY", "latin1"), shortNonce(n), box]);
  }

  /** Opens a client's MESSAGE (throws if it does not open). */
  openMessage(body: Buffer): { more: boolean; payload: Buffer } {
    const plain = this.#s.crypto_box_open_easy_afternm(body.subarray(16), fullNonce("CurveZMQMESSAGEC", body.subarray(8, 16)), this.#session!);
    return { more: (plain[0]! & 1) !== 0, payload: Buffer.from(plain.subarray(1)) };
  }

  message(payload: Buffer | string, n: number, more = false): Buffer {
    return messageBox(this.#s, "CurveZMQMESSAGES", this.#session!, n, Buffer.from(payload), more);
  }
}

export interface Frame {
  command: boolean;
  more: boolean;
  body: Buffer;
}

/**
 * A raw TCP connection speaking ZMTP framing by hand: sends `opening` (a greeting, or nothing
 * when the caller writes its own), then frames; parses the peer's greeting and frames (RFC 23:
 * flags, 1- or 8-octet size, body).
 */
export class RawZmtp {
  readonly socket: NetSocket;
  readonly closed: Promise<void>;
  #buffer = Buffer.alloc(0);
  #greeted = false;
  #frames: Frame[] = [];
  #wake: (() => void) | undefined;

  constructor(socket: NetSocket, opening: Buffer) {
    this.socket = socket;
    socket.setNoDelay(true);
    socket.on("error", () => {});
    this.closed = new Promise((resolve) => socket.once("close", () => resolve()));
    socket.once("close", () => this.#wake?.());
    socket.on("data", (chunk: Buffer) => this.#take(chunk));
    if (opening.length > 0) this.send(opening);
  }

  static async connect(endpoint: string, opening = greeting({ mechanism: "CURVE" })): Promise<RawZmtp> {
    const socket = connect(Number(endpoint.slice(endpoint.lastIndexOf(":") + 1)), "127.0.0.1");
    await once(socket, "connect");
    return new RawZmtp(socket, opening);
  }

  send(bytes: Buffer): void {
    if (!this.socket.destroyed) this.socket.write(bytes);
  }

  command(body: Buffer): void {
    this.send(Buffer.concat([frameHeader(body.length, { command: true }), body]));
  }

  /** A MESSAGE travels as a message frame whose body is the MESSAGE command (libzmq's framing). */
  message(body: Buffer): void {
    this.send(Buffer.concat([frameHeader(body.length), body]));
  }

  /** The next frame, or undefined once the connection has closed. */
  async next(): Promise<Frame | undefined> {
    while (this.#frames.length === 0) {
      if (this.socket.destroyed || this.socket.readableEnded) return undefined;
      await new Promise<void>((resolve) => (this.#wake = resolve));
    }
    return this.#frames.shift();
  }

  /** The next frame's body, which must be the command `name`. */
  async expect(name: string): Promise<Buffer> {
    const frame = await this.next();
    if (frame === undefined) throw new Error(`connection closed before ${name}`);
    const got = frame.body.toString("latin1", 1, 1 + frame.body[0]!);
    if (got !== name) throw new Error(`expected ${name}, got ${got}`);
    return frame.body;
  }

  destroy(): void {
    this.socket.destroy();
  }

  #take(chunk: Buffer): void {
    this.#buffer = Buffer.concat([this.#buffer, chunk]);
    if (!this.#greeted) {
      if (this.#buffer.length < 64) return;
      this.#greeted = true;
      this.#buffer = this.#buffer.subarray(64);
    }
    for (;;) {
      if (this.#buffer.length < 2) break;
      const flags = this.#buffer[0]!;
      const long = (flags & 0x02) !== 0;
      const headerSize = long ? 9 : 2;
      if (this.#buffer.length < headerSize) break;
      const size = long ? Number(this.#buffer.readBigUInt64BE(1)) : this.#buffer[1]!;
      if (this.#buffer.length < headerSize + size) break;
      this.#frames.push({ command: (flags & 0x04) !== 0, more: (flags & 0x01) !== 0, body: this.#buffer.subarray(headerSize, headerSize + size) });
      this.#buffer = this.#buffer.subarray(headerSize + size);
    }
    this.#wake?.();
  }
}
