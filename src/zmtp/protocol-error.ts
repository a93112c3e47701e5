/**
 * What went wrong on the wire. The codes are zeromq.js's handshake codes (libzmq's
 * ZMQ_PROTOCOL_ERROR_ZMTP_*, as named by zeromq.js `ProtoError`), plus the two errno
 * values libzmq's v2 decoder sets for framing faults after the handshake:
 * EMSGSIZE (a frame larger than allowed) and EPROTO (anything else RFC 23 forbids).
 */
export type ProtocolErrorCode =
  | "ERR_ZMTP_UNSPECIFIED"
  | "ERR_ZMTP_UNEXPECTED_COMMAND"
  | "ERR_ZMTP_MALFORMED_COMMAND_UNSPECIFIED"
  | "ERR_ZMTP_MALFORMED_COMMAND_MESSAGE"
  | "ERR_ZMTP_MALFORMED_COMMAND_ERROR"
  | "ERR_ZMTP_MALFORMED_COMMAND_READY"
  | "ERR_ZMTP_INVALID_METADATA"
  | "ERR_ZMTP_MECHANISM_MISMATCH"
  | "EMSGSIZE"
  | "EPROTO";

/** A violation of ZMTP by the peer. Codec functions return it as a value; they never throw on input. */
export class ProtocolError extends Error {
  readonly code: ProtocolErrorCode;

  constructor(code: ProtocolErrorCode, message: string) {
    super(message);
    this.name = "ProtocolError";
    this.code = code;
  }
}
