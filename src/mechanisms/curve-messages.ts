import type { CurveCrypto } from "./curve-crypto";
import { protocolFailure, type DecodedFrame, type MechanismFailure } from "./mechanism";

/**
 * CurveZMQ's MESSAGE command (RFC 26), the form every frame takes once the handshake is
 * done:
 *
 *   message = %d7 "MESSAGE" message-nonce message-box
 *   message-nonce = 8OCTET   ; Short nonce, prefixed by "CurveZMQMESSAGES" (from server)
 *                            ; or "CurveZMQMESSAGEC" (from client)
 *   message-box = 17*OCTET   ; Box [payload] between the transient keys
 *   payload = payload-flags payload-data
 *
 * Flags: bit 0 MORE; bit 1 COMMAND, which libzmq 4.3 adds so that PING, PONG, SUBSCRIBE
 * and CANCEL travel encrypted too. Short nonces are 64-bit big-endian counters: "This
 * nonce SHALL be an incrementing integer, and unique to each command within a connection",
 * and the receiver "SHALL disconnect ... peers that reuse a short nonce" - a nonce not
 * above the last one seen (a replay, or a reordering) ends the connection.
 */
const NAME = Buffer.from("\x07MESSAGE", "latin1");
/** Where the box starts, after the name and the short nonce. */
const BOX = 8 + 8;
/** Name, nonce, MAC, flags. */
const MIN_SIZE = BOX + 16 + 1;
const MORE = 0x01;
const COMMAND = 0x02;

export class CurveMessages {
  readonly #crypto: CurveCrypto;
  readonly #key: Uint8Array;
  readonly #sendNonce = Buffer.alloc(24);
  readonly #receiveNonce = Buffer.alloc(24);
  /** Our next short nonce, as two 32-bit halves. */
  #sendHigh: number;
  #sendLow: number;
  /** The last short nonce the peer used. */
  #peerHigh: number;
  #peerLow: number;

  /**
   * `key`: crypto_box_beforenm of the two transient keys. `nextNonce`: the first short
   * nonce of our MESSAGEs (libzmq's client used 1 for HELLO and 2 for INITIATE; its server
   * 1 for READY). `peerNonce`: the short nonce of the peer's last handshake command.
   */
  constructor(crypto: CurveCrypto, key: Uint8Array, asServer: boolean, nextNonce: number, peerNonce: Buffer) {
    this.#crypto = crypto;
    this.#key = key;
    this.#sendNonce.write(asServer ? "CurveZMQMESSAGES" : "CurveZMQMESSAGEC", "latin1");
    this.#receiveNonce.write(asServer ? "CurveZMQMESSAGEC" : "CurveZMQMESSAGES", "latin1");
    this.#sendHigh = 0;
    this.#sendLow = nextNonce;
    this.#peerHigh = peerNonce.readUInt32BE(0);
    this.#peerLow = peerNonce.readUInt32BE(4);
  }

  encode(frame: Buffer, more: boolean, command = false): Buffer {
    const nonce = this.#sendNonce;
    nonce.writeUInt32BE(this.#sendHigh, 16);
    nonce.writeUInt32BE(this.#sendLow, 20);
    if (this.#sendLow === 0xffff_ffff) {
      this.#sendHigh++;
      this.#sendLow = 0;
    } else {
      this.#sendLow++;
    }
    // One buffer holds the whole command: name, short nonce, then the box sealed in place.
    const body = Buffer.allocUnsafe(BOX + 17 + frame.length);
    NAME.copy(body, 0);
    nonce.copy(body, 8, 16, 24);
    this.#crypto.frames.seal(body, BOX, (more ? MORE : 0) | (command ? COMMAND : 0), frame, nonce, this.#key);
    return body;
  }

  decode(body: Buffer): DecodedFrame | MechanismFailure {
    if (body.length < NAME.length || body.compare(NAME, 0, NAME.length, 0, NAME.length) !== 0) {
      return protocolFailure("ERR_ZMTP_UNEXPECTED_COMMAND", "a frame other than MESSAGE after the CURVE handshake");
    }
    if (body.length < MIN_SIZE) return protocolFailure("ERR_ZMTP_MALFORMED_COMMAND_MESSAGE", "MESSAGE too short");
    const high = body.readUInt32BE(8);
    const low = body.readUInt32BE(12);
    if (high < this.#peerHigh || (high === this.#peerHigh && low <= this.#peerLow)) {
      return protocolFailure("ERR_ZMTP_INVALID_SEQUENCE", "MESSAGE nonce not above the last one (replayed or reordered)");
    }
    const nonce = this.#receiveNonce;
    body.copy(nonce, 16, 8, 16);
    // Opened in place: the frame handed on is a view of the body, which nothing else holds.
    if (!this.#crypto.frames.openInPlace(body.subarray(BOX), nonce, this.#key)) {
      return protocolFailure("ERR_ZMTP_CRYPTOGRAPHIC", "MESSAGE box does not open");
    }
    this.#peerHigh = high;
    this.#peerLow = low;
    const flags = body[BOX + 16]!;
    const frame = body.subarray(BOX + 17);
    return { frame, more: (flags & MORE) !== 0, command: (flags & COMMAND) !== 0 };
  }
}
