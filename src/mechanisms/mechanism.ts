import type { SocketTypeName } from "../socket-type";
import type { Metadata } from "../zmtp/metadata";
import type { ProtocolErrorCode } from "../zmtp/protocol-error";

/**
 * A security mechanism (RFC 37 "Authentication and Confidentiality"): a pure state
 * machine with no I/O, as libzmq's mechanism_t. The engine drives it:
 *
 *   1. after the greetings matched, send every body `nextCommand()` returns, until undefined;
 *   2. pass each command the peer sends to `processCommand()`;
 *   3. read `status`: "handshaking" → back to 1; "ready" → traffic; "error" → close.
 *
 * Mechanisms that encrypt traffic (CURVE) also implement `encodeFrame`/`decodeFrame`:
 * each message frame then travels inside a command (RFC 37 "Wire Analysis": "message
 * data SHALL be encoded as commands"). NULL and PLAIN leave them undefined.
 */
export interface Mechanism {
  /** As it appears in the greeting: "NULL", "PLAIN", "CURVE". */
  readonly name: string;
  /** The greeting's as-server octet (RFC 37: NULL "MUST" send zero). */
  readonly asServer: boolean;
  readonly status: MechanismStatus;
  /** The peer's metadata once it has been received (names lower-cased), else empty. */
  readonly peerMetadata: Metadata;

  /** The next command body to send, or undefined when there is nothing to send now. */
  nextCommand(): Buffer | undefined;
  /** One command body the peer sent during the handshake. */
  processCommand(body: Buffer): void;

  /**
   * Wraps one outgoing frame into a command body (encrypting mechanisms only). `command`
   * marks a command (PING, SUBSCRIBE...) that travels inside the encryption too.
   */
  encodeFrame?(frame: Buffer, more: boolean, command?: boolean): Buffer;
  /** Unwraps one incoming command body into a frame (encrypting mechanisms only). */
  decodeFrame?(body: Buffer): DecodedFrame | MechanismFailure;

  /**
   * Outside work the handshake waits for before the mechanism can go on (the crypto
   * library starting, a ZAP handler's verdict). The engine asks after every step, and
   * once the promise settles it sends `nextCommand()`s and reads `status` again. The
   * mechanisms themselves never do I/O: the waiting is done by a wrapper (gated.ts).
   */
  takeWait?(): Promise<void> | undefined;
  /** The connection is gone: drop whatever outside work is pending. */
  dispose?(): void;
}

export interface DecodedFrame {
  frame: Buffer;
  more: boolean;
  /** The frame is a command (RFC 37 traffic: PING, PONG, SUBSCRIBE, CANCEL). */
  command: boolean;
}

/**
 * A mechanism that asks a ZAP handler (RFC 27) about the peer. The request is data; a
 * wrapper (gated.ts) carries it to inproc://zeromq.zap.01 and back.
 */
export interface ZapAsker {
  /** The request frames waiting to go (after the empty delimiter), taken once. */
  takeZapRequest(): Buffer[] | undefined;
  /** The handler's reply (all frames, delimiter first), or "none" when no handler is bound. */
  zapReply(reply: Buffer[] | "none"): void;
}

/**
 * Why a handshake failed. `kind` "auth" is an authentication refusal (a ZAP status code
 * 300, 400 or 500 in an ERROR command, zeromq.js `AuthError.status`); "protocol" is
 * anything else (zeromq.js `ProtoError`).
 */
export type MechanismFailure =
  | { kind: "protocol"; code: MechanismErrorCode; message: string }
  | { kind: "auth"; status: 300 | 400 | 500; message: string }
  /** A local failure with no detail for the peer, e.g. no ZAP handler for PLAIN (libzmq EFAULT). */
  | { kind: "other"; code: string; message: string };

/** ProtocolErrorCode plus the codes of the security mechanisms (zeromq.js `ProtoError.code`). */
export type MechanismErrorCode =
  | ProtocolErrorCode
  | "ERR_ZMTP_MALFORMED_COMMAND_HELLO"
  | "ERR_ZMTP_MALFORMED_COMMAND_INITIATE"
  | "ERR_ZMTP_MALFORMED_COMMAND_WELCOME"
  | "ERR_ZMTP_INVALID_SEQUENCE"
  | "ERR_ZMTP_KEY_EXCHANGE"
  | "ERR_ZMTP_CRYPTOGRAPHIC"
  | "ERR_ZAP_UNSPECIFIED"
  | "ERR_ZAP_MALFORMED_REPLY"
  | "ERR_ZAP_BAD_REQUEST_ID"
  | "ERR_ZAP_BAD_VERSION"
  | "ERR_ZAP_INVALID_STATUS_CODE"
  | "ERR_ZAP_INVALID_METADATA";

export type MechanismStatus =
  | { state: "handshaking" }
  | { state: "ready" }
  | { state: "error"; failure: MechanismFailure };

/** What every mechanism needs to know about our socket. */
export interface MechanismOptions {
  socketType: SocketTypeName;
  /** Our routing id, announced as Identity by REQ, DEALER and ROUTER; undefined = empty. */
  routingId: Buffer | undefined;
  asServer: boolean;
  /** Application metadata to announce (libzmq ZMQ_METADATA); names should start with "X-". */
  metadata?: ReadonlyMap<string, Buffer | string>;
  /** The peer's IP address, for ZAP (RFC 27 "address"); empty when there is none (ipc). */
  peerAddress?: string;
}

export const HANDSHAKING: MechanismStatus = { state: "handshaking" };
export const READY_STATUS: MechanismStatus = { state: "ready" };

export function protocolFailure(code: MechanismErrorCode, message: string): MechanismFailure {
  return { kind: "protocol", code, message };
}
