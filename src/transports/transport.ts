// The transport interface the rest of omq uses: listen() and dial() give the engine a duplex
// byte stream (net.Socket) and a resolved address. Transports know nothing of ZMTP.
// Protocol specifics live in tcp.ts and ipc.ts; inproc joins pipes directly and never comes
// here; ws/wss are parsed by endpoint.ts but not served yet.
//
// Every stream handed out is set up the same way: an 'error' listener attached (so no error is
// ever unhandled; the engine adds its own), unref()'d (a bound or connected ZeroMQ socket does
// not keep Node alive; the engine refs a stream while it has data to send), and for tcp
// TCP_NODELAY plus the keepalive options.

import type { Socket } from "node:net";
import { zmqError, type ZmqError } from "../errors";
import type { Endpoint } from "./endpoint";
import { dialIpc, listenIpc } from "./ipc";
import { dialTcp, listenTcp } from "./tcp";

export interface ListenOptions {
  /** ZMQ_IPV6: resolve and bind IPv6 ("*" is then "::", dual stack). */
  ipv6: boolean;
  /** ZMQ_BACKLOG: the listen() queue length. */
  backlog: number;
  /** ZMQ_TCP_KEEPALIVE: -1 OS default, 0 off, 1 on. */
  tcpKeepalive: number;
  /** ZMQ_TCP_KEEPALIVE_IDLE in seconds; -1 OS default. */
  tcpKeepaliveIdle: number;
  /** ZMQ_TCP_ACCEPT_FILTER: "addr" or "addr/mask" each; empty or absent accepts everyone. */
  tcpAcceptFilter?: string[];
}

export interface DialOptions {
  ipv6: boolean;
  tcpKeepalive: number;
  tcpKeepaliveIdle: number;
  /** ZMQ_CONNECT_TIMEOUT in ms; 0 leaves it to the OS. */
  connectTimeout: number;
}

export interface Listener {
  /** The resolved endpoint, as libzmq's LAST_ENDPOINT: tcp://0.0.0.0:45123 for tcp://*:*, tcp://[::1]:5555, ipc:///tmp/x, ipc://@name */
  readonly endpoint: string;
  /** Called with each accepted connection, already set up (noDelay, keepalive, unref'd). */
  onConnection: (stream: Socket) => void;
  /** Called when accepting fails (EMFILE...); the listener keeps listening. Defaults to ignoring it. */
  onAcceptError: (error: ZmqError) => void;
  /** Stops accepting; resolves once the server is closed (ipc: the socket file is removed). Idempotent. */
  close(): Promise<void>;
}

/** Binds; rejects with a ZmqError: EADDRINUSE, EADDRNOTAVAIL (not a local address), EACCES, ENODEV..., address = endpoint. */
export function listen(endpoint: Endpoint, options: ListenOptions): Promise<Listener> {
  switch (endpoint.protocol) {
    case "tcp":
      return listenTcp(endpoint, options);
    case "ipc":
      return listenIpc(endpoint, options);
    case "inproc":
    case "ws":
    case "wss":
      return Promise.reject(unsupported(endpoint));
    default:
      return exhaustive(endpoint);
  }
}

/** Dials once. Resolves with a connected stream (noDelay, keepalive, unref'd) or rejects with a ZmqError (ECONNREFUSED, ETIMEDOUT for connectTimeout, ...). Cancellable via the AbortSignal (reject, and destroy any half-made socket). */
export function dial(endpoint: Endpoint, options: DialOptions, signal: AbortSignal): Promise<Socket> {
  switch (endpoint.protocol) {
    case "tcp":
      return dialTcp(endpoint, options, signal);
    case "ipc":
      return dialIpc(endpoint, options, signal);
    case "inproc":
    case "ws":
    case "wss":
      return Promise.reject(unsupported(endpoint));
    default:
      return exhaustive(endpoint);
  }
}

function unsupported(endpoint: Endpoint): ZmqError {
  return zmqError("EPROTONOSUPPORT", undefined, endpoint.address);
}

function exhaustive(endpoint: never): never {
  throw new Error(`unknown endpoint ${JSON.stringify(endpoint)}`);
}
