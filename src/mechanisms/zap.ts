import { parseMetadata, type Metadata } from "../zmtp/metadata";
import { ProtocolError } from "../zmtp/protocol-error";
import { encodeError } from "../zmtp/commands";
import { protocolFailure, type MechanismFailure, type MechanismOptions } from "./mechanism";

/**
 * ZAP, the ZeroMQ Authentication Protocol (RFC 27), as data: the request a server sends
 * its handler and the reading of the reply. No I/O here (zap-client.ts carries it).
 *
 * "The handler SHALL bind to the endpoint inproc://zeromq.zap.01."
 */
export const ZAP_ENDPOINT = "zeromq.zap.01";
export const ZAP_VERSION = "1.0";
/** libzmq sends "1" with every request: each connection asks over a pipe of its own. */
export const ZAP_REQUEST_ID = "1";

/** How a server's ZAP settings reach its mechanism (ZMQ_ZAP_DOMAIN, ZMQ_ZAP_ENFORCE_DOMAIN). */
export interface ZapSettings {
  domain: string;
  enforceDomain: boolean;
}

/**
 * The request frames after the address delimiter: "1.0", request id, domain, address,
 * identity, mechanism, then the mechanism's credentials (NULL: none; PLAIN: username and
 * password; CURVE: the client's 32-octet permanent public key). Like libzmq, the identity
 * frame carries our own socket's routing id.
 */
export function zapRequest(
  mechanism: "NULL" | "PLAIN" | "CURVE",
  settings: ZapSettings,
  options: MechanismOptions,
  credentials: Buffer[],
): Buffer[] {
  return [
    Buffer.from(ZAP_VERSION),
    Buffer.from(ZAP_REQUEST_ID),
    Buffer.from(settings.domain, "utf8"),
    Buffer.from(options.peerAddress ?? "", "latin1"),
    options.routingId ?? Buffer.alloc(0),
    Buffer.from(mechanism, "latin1"),
    ...credentials,
  ];
}

/** What the handler decided. "200" admits the peer, with a user id and metadata for the application. */
export type ZapVerdict =
  | { status: 200; userId: Buffer; metadata: Metadata }
  | { status: 300 | 400 | 500 };

/**
 * Reads a reply: "An address delimiter frame ... The version frame ... The request id ...
 * The status code ... The status text ... The user id ... The metadata". Anything else is
 * the handler's fault and ends this handshake with an ERR_ZAP_* code, as in libzmq's
 * zap_client_t::receive_and_process_zap_reply.
 */
export function readZapReply(reply: Buffer[]): ZapVerdict | MechanismFailure {
  if (reply.length !== 7) return protocolFailure("ERR_ZAP_MALFORMED_REPLY", `ZAP reply of ${reply.length} frames, not 7`);
  const [delimiter, version, requestId, status, , userId, metadata] = reply as [Buffer, Buffer, Buffer, Buffer, Buffer, Buffer, Buffer];
  if (delimiter.length !== 0) return protocolFailure("ERR_ZAP_UNSPECIFIED", "ZAP reply without an empty delimiter");
  if (version.toString("latin1") !== ZAP_VERSION) return protocolFailure("ERR_ZAP_BAD_VERSION", "ZAP reply with a bad version");
  if (requestId.toString("latin1") !== ZAP_REQUEST_ID) return protocolFailure("ERR_ZAP_BAD_REQUEST_ID", "ZAP reply to another request");
  const code = status.toString("latin1");
  if (code !== "200" && code !== "300" && code !== "400" && code !== "500") {
    return protocolFailure("ERR_ZAP_INVALID_STATUS_CODE", `ZAP status code ${JSON.stringify(code)}`);
  }
  const properties = parseMetadata(metadata);
  if (properties instanceof ProtocolError) return protocolFailure("ERR_ZAP_INVALID_METADATA", properties.message);
  if (code !== "200") return { status: Number(code) as 300 | 400 | 500 };
  return { status: 200, userId: Buffer.from(userId), metadata: properties };
}

/**
 * A refusal, as libzmq's servers make it (zap_client_common_handshake_t): 400 and 500 are
 * told to the peer in an ERROR command; "a 300 error code (temporary failure) should NOT
 * result in an ERROR message, but instead the client should be silently disconnected".
 */
export function refusal(status: 300 | 400 | 500): { failure: MechanismFailure; error: Buffer | undefined } {
  const failure: MechanismFailure = { kind: "auth", status, message: `ZAP handler refused the peer (status ${status})` };
  return { failure, error: status === 300 ? undefined : encodeError(String(status)) };
}

/** No ZAP handler where one is required (libzmq: handshake failed, no detail, EFAULT). */
export const NO_HANDLER: MechanismFailure = { kind: "other", code: "EFAULT", message: "no ZAP handler at inproc://zeromq.zap.01" };

/**
 * The peer's properties with the handler's in front: "User-Id" and the reply's metadata
 * win over what the peer announced, as libzmq merges them (ZAP properties first).
 */
export function withZapProperties(peer: Metadata, verdict: { userId: Buffer; metadata: Metadata } | undefined): Metadata {
  if (verdict === undefined) return peer;
  const merged: Metadata = new Map();
  merged.set("user-id", verdict.userId);
  for (const [name, value] of verdict.metadata) if (!merged.has(name)) merged.set(name, value);
  for (const [name, value] of peer) if (!merged.has(name)) merged.set(name, value);
  return merged;
}
