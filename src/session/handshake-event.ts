import type { EngineError } from "../engine/engine-error";
import { zmqError } from "../errors";
import type { EventFields, EventName } from "./peer-owner";

const AUTH_MESSAGES: Record<number, string> = {
  300: "Temporary error",
  400: "Authentication failure",
  500: "Internal error",
};

/**
 * The zeromq.js monitor event for a handshake that failed: `handshake:error:protocol` with a
 * ProtoError (message "ZMTP protocol error", code ERR_ZMTP_*), `handshake:error:auth` with an
 * AuthError (the ZAP status), or `handshake:error:other` with an errno error.
 */
export function handshakeFailure(error: EngineError, address: string): [EventName, EventFields] {
  switch (error.kind) {
    case "protocol": {
      const zap = error.code.startsWith("ERR_ZAP_");
      const known = zap || error.code.startsWith("ERR_ZMTP_");
      const proto = Object.assign(new Error(known ? (zap ? "ZAP protocol error" : "ZMTP protocol error") : "Unknown error"), {
        code: known ? error.code : "ERR_UNKNOWN",
      });
      return ["handshake:error:protocol", { address, error: proto }];
    }
    case "auth": {
      const status = error.status ?? 0;
      const auth = Object.assign(new Error(AUTH_MESSAGES[status] ?? "Unknown error"), { status });
      return ["handshake:error:auth", { address, error: auth }];
    }
    default:
      return ["handshake:error:other", { address, error: zmqError(error.code, error.message, address) }];
  }
}
