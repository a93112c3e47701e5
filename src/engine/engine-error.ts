import type { MechanismFailure } from "../mechanisms/mechanism";
import type { ProtocolError } from "../zmtp/protocol-error";

/**
 * Why a connection ended badly, in the shape zeromq.js events need:
 * - protocol: the peer broke ZMTP (zeromq.js `ProtoError`; code ERR_ZMTP_* during the
 *   handshake, EPROTO / EMSGSIZE for framing faults after it);
 * - auth: the peer refused our credentials (zeromq.js `AuthError`, with `status`);
 * - handshake-timeout: no complete handshake within handshakeInterval (code ETIMEDOUT);
 * - heartbeat-timeout: no traffic within heartbeatTimeout or the peer's TTL (code ETIMEDOUT);
 * - io: the stream failed or closed under us (the system code, e.g. ECONNRESET).
 */
export type EngineErrorKind = "protocol" | "auth" | "handshake-timeout" | "heartbeat-timeout" | "io";

export class EngineError extends Error {
  readonly kind: EngineErrorKind;
  readonly code: string;
  /** True when the handshake had not completed (zeromq.js reports these as handshake:error:* events). */
  readonly handshake: boolean;
  /** For kind "auth": the ZAP status code the peer sent. */
  readonly status: 300 | 400 | 500 | undefined;

  constructor(kind: EngineErrorKind, code: string, message: string, handshake: boolean, status?: 300 | 400 | 500) {
    super(message);
    this.name = "EngineError";
    this.kind = kind;
    this.code = code;
    this.handshake = handshake;
    this.status = status;
  }

  static protocol(error: ProtocolError, handshake: boolean): EngineError {
    return new EngineError("protocol", error.code, error.message, handshake);
  }

  static mechanism(failure: MechanismFailure): EngineError {
    if (failure.kind === "auth") return new EngineError("auth", "EACCES", failure.message, true, failure.status);
    return new EngineError("protocol", failure.code, failure.message, true);
  }

  /** The peer closed the connection before the handshake completed. */
  static peerLeft(): EngineError {
    return new EngineError("io", "ECONNRESET", "connection closed by the peer during the handshake", true);
  }

  /** The peer closed the connection with part of a frame or message unsent. */
  static truncated(): EngineError {
    return new EngineError("protocol", "EPROTO", "connection closed in the middle of a message", false);
  }

  static handshakeTimeout(limit: number): EngineError {
    return new EngineError("handshake-timeout", "ETIMEDOUT", `no handshake within ${limit} ms`, true);
  }

  static heartbeatTimeout(reason: string): EngineError {
    return new EngineError("heartbeat-timeout", "ETIMEDOUT", reason, false);
  }

  static io(error: unknown, handshake: boolean): EngineError {
    const code = (error as NodeJS.ErrnoException | undefined)?.code;
    const message = (error as Error | undefined)?.message ?? String(error);
    return new EngineError("io", typeof code === "string" ? code : "EIO", message, handshake);
  }
}
