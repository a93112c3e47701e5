// Endpoint parsing: turns "tcp://host:port", "ipc:///path" and friends into a typed value.
// Parsing is pure and synchronous (connect() throws at once on a bad endpoint); host names are
// resolved later, by the transport, when it binds or dials.
//
// The rules are libzmq's (socket_base.cpp parse_uri/check_protocol, tcp_address.cpp,
// ipc_address.cpp), with one deliberate difference: libzmq reads ports with atoi(), so it
// accepts "12ab" as 12 and wraps 70000 to 4464. We reject any port that is not 0..65535 in
// decimal digits with EINVAL instead of binding to a port the user did not ask for.

import { isIP } from "node:net";
import { zmqError, type ZmqError } from "../errors";

/** Whether the endpoint is for bind() or connect(): wildcards and source addresses differ. */
export type EndpointRole = "bind" | "connect";

export interface TcpEndpoint {
  readonly protocol: "tcp";
  /** The endpoint as given, for errors and for unbind/disconnect. */
  readonly address: string;
  /** "*" (bind only: every interface), an IP literal without brackets, a host or interface name. */
  readonly host: string;
  /** 0 for "*" or "0": bind picks a free port. */
  readonly port: number;
  /** connect only, libzmq's "tcp://src-host:src-port;host:port": the local address to bind first. */
  readonly source?: { readonly host: string; readonly port: number };
}

export interface IpcEndpoint {
  readonly protocol: "ipc";
  readonly address: string;
  /** A file path (absolute or relative), "*" (bind: a fresh temporary path), or an abstract name without its "@". */
  readonly path: string;
  /** Linux abstract namespace ("ipc://@name"): no file on disk. */
  readonly abstract: boolean;
}

export interface InprocEndpoint {
  readonly protocol: "inproc";
  readonly address: string;
  readonly name: string;
}

export interface WsEndpoint {
  readonly protocol: "ws" | "wss";
  readonly address: string;
  readonly host: string;
  readonly port: number;
  /** The HTTP path, "/" when none is given. */
  readonly path: string;
}

export type Endpoint = TcpEndpoint | IpcEndpoint | InprocEndpoint | WsEndpoint;
export type Protocol = Endpoint["protocol"];

/** sizeof(sockaddr_un.sun_path) on Linux is 108, and libzmq keeps room for the trailing NUL. */
export const MAX_IPC_PATH_BYTES = 107;

/** Hosts and interface names: letters, digits, '.', '-', '_' (libzmq's connect-time check allows the same). */
const HOST_NAME = /^[A-Za-z0-9._-]+$/;

/** Parses an endpoint; throws a ZmqError (EINVAL, EPROTONOSUPPORT, ENAMETOOLONG) whose address is `address`. */
export function parseEndpoint(address: string, role: EndpointRole): Endpoint {
  const separator = address.indexOf("://");
  if (separator < 0) throw invalid(address);
  const protocol = address.slice(0, separator);
  const rest = address.slice(separator + 3);
  // libzmq checks for an empty protocol or path before it looks the protocol up.
  if (protocol === "" || rest === "") throw invalid(address);
  switch (protocol) {
    case "tcp":
      return parseTcp(address, rest, role);
    case "ipc":
      return parseIpc(address, rest);
    case "inproc":
      return { protocol, address, name: rest };
    case "ws":
    case "wss":
      return parseWs(address, protocol, rest, role);
    default:
      throw zmqError("EPROTONOSUPPORT", undefined, address);
  }
}

function parseTcp(address: string, rest: string, role: EndpointRole): TcpEndpoint {
  const semicolon = rest.lastIndexOf(";");
  if (semicolon < 0) return { protocol: "tcp", address, ...parseHostPort(address, rest, role) };
  // A source address only makes sense when dialling; on bind it is a malformed host.
  if (role === "bind") throw invalid(address);
  const source = parseHostPort(address, rest.slice(0, semicolon), "bind");
  const target = parseHostPort(address, rest.slice(semicolon + 1), role);
  return { protocol: "tcp", address, ...target, source };
}

function parseWs(address: string, protocol: "ws" | "wss", rest: string, role: EndpointRole): WsEndpoint {
  // The authority ends at the first '/' after any IPv6 brackets.
  const bracket = rest.startsWith("[") ? rest.indexOf("]") : 0;
  const slash = rest.indexOf("/", Math.max(bracket, 0));
  const authority = slash < 0 ? rest : rest.slice(0, slash);
  const path = slash < 0 ? "/" : rest.slice(slash);
  return { protocol, address, ...parseHostPort(address, authority, role), path };
}

/** "host:port", "[v6]:port" or "v6:port" (libzmq splits at the last colon). */
function parseHostPort(address: string, text: string, role: EndpointRole): { host: string; port: number } {
  const colon = text.lastIndexOf(":");
  if (colon < 0) throw invalid(address);
  const host = parseHost(address, text.slice(0, colon), role);
  const port = parsePort(address, text.slice(colon + 1), role);
  return { host, port };
}

function parseHost(address: string, text: string, role: EndpointRole): string {
  if (text === "*") {
    if (role === "connect") throw invalid(address);
    return text;
  }
  if (text.startsWith("[") && text.endsWith("]")) {
    const inner = text.slice(1, -1);
    if (isIP(inner) === 0) throw invalid(address);
    return inner;
  }
  if (text.includes(":")) {
    if (isIP(text) !== 6) throw invalid(address);
    return text;
  }
  if (!HOST_NAME.test(text)) throw invalid(address);
  return text;
}

function parsePort(address: string, text: string, role: EndpointRole): number {
  if (text === "*") {
    if (role === "connect") throw invalid(address);
    return 0;
  }
  if (!/^[0-9]{1,5}$/.test(text)) throw invalid(address);
  const port = Number(text);
  if (port > 65535) throw invalid(address);
  return port;
}

function parseIpc(address: string, rest: string): IpcEndpoint {
  // libzmq measures the path in bytes, with the '@' standing in for the leading NUL.
  if (Buffer.byteLength(rest) > MAX_IPC_PATH_BYTES) throw zmqError("ENAMETOOLONG", undefined, address);
  if (rest.includes("\0")) throw invalid(address);
  if (rest.startsWith("@")) {
    if (rest === "@") throw invalid(address);
    return { protocol: "ipc", address, path: rest.slice(1), abstract: true };
  }
  return { protocol: "ipc", address, path: rest, abstract: false };
}

function invalid(address: string): ZmqError {
  return zmqError("EINVAL", undefined, address);
}
