import type { SecurityOptions } from "../mechanisms/select";
import type { SocketTypeName } from "../socket-type";

/**
 * The options a socket hands to each bind and connect, read when the bind or connect happens
 * (libzmq semantics: later changes apply to the next one).
 */
export interface LinkOptions {
  socketType: SocketTypeName;
  /** Our Identity, announced in READY by REQ, DEALER and ROUTER. */
  routingId: Buffer | undefined;
  /** ROUTER/STREAM connect(addr, {routingId}): the id under which we know that peer. */
  connectRoutingId: Buffer | undefined;
  sendHighWaterMark: number;
  receiveHighWaterMark: number;
  conflate: boolean;
  immediate: boolean;
  maxMessageSize: number;
  handshakeInterval: number;
  heartbeatInterval: number;
  heartbeatTimeout: number;
  heartbeatTimeToLive: number;
  reconnectInterval: number;
  reconnectMaxInterval: number;
  connectTimeout: number;
  ipv6: boolean;
  backlog: number;
  tcpKeepalive: number;
  tcpKeepaliveIdle: number;
  tcpAcceptFilter: string[] | undefined;
  security: SecurityOptions;
}
