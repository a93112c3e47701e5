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

  /** Wraps one outgoing message frame into a command body (encrypting mechanisms only). */
  encodeFrame?(frame: Buffer, more: boolean): Buffer;
  /** Unwraps one incoming command body into a message frame (encrypting mechanisms only). */
  decodeFrame?(body: Buffer): { frame: Buffer; more: boolean } | MechanismFailure;
}

/**
 * Why a handshake failed. `kind` "auth" is an authentication refusal (a ZAP status code
 * 300, 400 or 500 in an ERROR command, zeromq.js `AuthError.status`); "protocol" is
 * anything else (zeromq.js `ProtoError`).
 */
export type MechanismFailure =
  | { kind: "protocol"; code: ProtocolErrorCode; message: string }
  | { kind: "auth"; status: 300 | 400 | 500; message: string };

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
}

export const HANDSHAKING: MechanismStatus = { state: "handshaking" };
export const READY_STATUS: MechanismStatus = { state: "ready" };
