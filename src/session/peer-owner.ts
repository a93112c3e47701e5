import type { Context } from "../context";
import type { Peer } from "../pipe/peer";
import type { SocketTypeName } from "../socket-type";
import type { LinkOptions } from "./link-options";

/** Monitor events, as zeromq.js names them (socket.events). */
export type EventName =
  | "accept" | "accept:error" | "bind" | "bind:error" | "connect" | "connect:delay" | "connect:retry"
  | "close" | "close:error" | "disconnect" | "handshake" | "handshake:error:protocol"
  | "handshake:error:auth" | "handshake:error:other" | "end" | "unknown";

export interface EventFields {
  address?: string;
  interval?: number;
  error?: Error;
}

/** What sessions, listeners and inproc links need from the socket that owns them. */
export interface PeerOwner {
  readonly typeName: SocketTypeName;
  /** The context the socket lives in (inproc names, the ZAP handler). */
  readonly context: Context;
  /** The socket's current linger, read at close time. */
  readonly lingerMs: number;
  linkOptions(): LinkOptions;
  /** A peer finished its handshake (or an inproc link formed). False refuses it (e.g. PAIR already has one). */
  attachPeer(peer: Peer): boolean;
  /** A peer attached before its handshake (a connecting session, or inproc before the bind) now has its PeerInfo. */
  peerIdentified(peer: Peer): void;
  /** The connection behind this peer is gone for good: messages already received stay readable. */
  detachPeer(peer: Peer): void;
  /** Reports a monitor event (socket.events). */
  emitEvent(type: EventName, fields: EventFields): void;
}
