import type { MechanismFailure } from "./mechanism";

/**
 * Reads the reason of an ERROR command the peer sent. RFC 37: "The peer SHALL treat an
 * incoming ERROR command as fatal". libzmq (mechanism_base_t::handle_error_reason) treats
 * a reason of exactly "300", "400" or "500" as a ZAP status code, i.e. an authentication
 * refusal; any other reason is a plain protocol failure.
 */
export function peerErrorFailure(reason: string): MechanismFailure {
  if (reason === "300" || reason === "400" || reason === "500") {
    return { kind: "auth", status: Number(reason) as 300 | 400 | 500, message: `peer refused the handshake (status ${reason})` };
  }
  return { kind: "protocol", code: "ERR_ZMTP_UNSPECIFIED", message: `peer sent ERROR: ${reason}` };
}
