import { ProtocolError } from "./protocol-error";

/**
 * The 64-octet ZMTP greeting (RFC 37 "Formal Grammar"):
 *
 *   signature  %xFF padding(8) %x7F      octets 0-9
 *   version    major minor               octets 10-11
 *   mechanism  20 octets, NUL padded     octets 12-31
 *   as-server  %x00 | %x01               octet 32
 *   filler     31 x %x00                 octets 33-63
 */
export const GREETING_SIZE = 64;
const MECHANISM_OFFSET = 12;
const MECHANISM_SIZE = 20;
const AS_SERVER_OFFSET = 32;

/** What a peer's greeting announced. */
export interface Greeting {
  major: number;
  /** 0 = ZMTP 3.0 (RFC 23), 1 = ZMTP 3.1 (RFC 37); higher versions speak 3.1 with us. */
  minor: number;
  /** The mechanism name without its NUL padding, e.g. "NULL". */
  mechanism: string;
  asServer: boolean;
}

/**
 * Our full greeting, sent at once: RFC 37 "Version Negotiation", second case ("send its
 * entire greeting (64 octets) ... SHOULD set the padding field to binary zeros").
 */
export function encodeGreeting(mechanism: string, asServer: boolean): Buffer {
  if (mechanism.length === 0 || mechanism.length > MECHANISM_SIZE) {
    throw new RangeError(`mechanism name must be 1 to ${MECHANISM_SIZE} characters`);
  }
  const greeting = Buffer.alloc(GREETING_SIZE);
  greeting[0] = 0xff;
  greeting[9] = 0x7f;
  greeting[10] = 3;
  greeting[11] = 1;
  greeting.write(mechanism, MECHANISM_OFFSET, "latin1");
  greeting[AS_SERVER_OFFSET] = asServer ? 1 : 0;
  return greeting;
}

export type GreetingProgress =
  | { status: "partial" }
  | { status: "invalid"; error: ProtocolError }
  /** `consumed` octets of the last chunk belonged to the greeting; the rest are frames. */
  | { status: "complete"; greeting: Greeting; consumed: number };

const PARTIAL: GreetingProgress = { status: "partial" };

/**
 * Reads a peer's greeting from chunks of any size. Each field is checked as soon as its
 * octet arrives, so a peer that is not speaking ZMTP 3 is refused after one byte (or ten,
 * or eleven) rather than after 64.
 */
export class GreetingParser {
  readonly #bytes = Buffer.alloc(GREETING_SIZE);
  #have = 0;
  #failed = false;

  feed(chunk: Buffer): GreetingProgress {
    if (this.#failed) return { status: "invalid", error: new ProtocolError("ERR_ZMTP_UNSPECIFIED", "greeting already refused") };
    const take = Math.min(chunk.length, GREETING_SIZE - this.#have);
    const before = this.#have;
    chunk.copy(this.#bytes, before, 0, take);
    this.#have += take;
    const error = this.#check(before);
    if (error !== undefined) {
      this.#failed = true;
      return { status: "invalid", error };
    }
    if (this.#have < GREETING_SIZE) return PARTIAL;
    return { status: "complete", greeting: this.#parse(), consumed: take };
  }

  /** Checks the octets that arrived since `from`; each check runs once, when its octet is first seen. */
  #check(from: number): ProtocolError | undefined {
    const b = this.#bytes;
    const have = this.#have;
    // RFC 37 "Detecting ZMTP 1.0 and 2.0 Peers": a first octet other than %xFF, or a
    // tenth octet whose low bit is 0, is a ZMTP 1.0 peer. We speak only ZMTP 3.x.
    if (from <= 0 && have > 0 && b[0] !== 0xff) {
      return new ProtocolError("ERR_ZMTP_UNSPECIFIED", "peer is not speaking ZMTP (bad signature)");
    }
    if (from <= 9 && have > 9 && (b[9] & 0x01) === 0) {
      return new ProtocolError("ERR_ZMTP_UNSPECIFIED", "peer is not speaking ZMTP 2.0 or later (bad signature)");
    }
    // Major version 1 or 2 is ZMTP 2.0; "If a peer cannot downgrade its protocol to match
    // its peer, it MUST close the connection." Higher versions are accepted as valid.
    if (from <= 10 && have > 10 && b[10] < 3) {
      return new ProtocolError("ERR_ZMTP_UNSPECIFIED", `peer speaks ZMTP major version ${b[10]}; 3 or later is required`);
    }
    return undefined;
  }

  #parse(): Greeting {
    const b = this.#bytes;
    let end = MECHANISM_OFFSET + MECHANISM_SIZE;
    while (end > MECHANISM_OFFSET && b[end - 1] === 0) end--;
    return {
      major: b[10],
      // A higher major version (4+) talks 3.1 to us, as RFC 37 asks ("MUST accept higher protocol versions").
      minor: b[10] > 3 ? 1 : b[11],
      // NULs inside the name are kept, so "NULL\0x" never equals "NULL" (libzmq compares all 20 octets).
      mechanism: b.toString("latin1", MECHANISM_OFFSET, end),
      asServer: b[AS_SERVER_OFFSET] !== 0,
    };
  }
}
