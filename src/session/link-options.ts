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

/**
 * The options of a link no user configured (the ZAP pipe, the stand-in for a socket in
 * another thread): NULL security, no timers, no reconnection, no high-water marks, unless
 * `settings` says otherwise.
 */
export function internalLink(settings: Pick<LinkOptions, "socketType"> & Partial<LinkOptions>): LinkOptions {
  return {
    routingId: undefined,
    connectRoutingId: undefined,
    sendHighWaterMark: 0,
    receiveHighWaterMark: 0,
    conflate: false,
    immediate: false,
    maxMessageSize: -1,
    handshakeInterval: 0,
    heartbeatInterval: 0,
    heartbeatTimeout: 0,
    heartbeatTimeToLive: 0,
    reconnectInterval: 0,
    reconnectMaxInterval: 0,
    connectTimeout: 0,
    ipv6: false,
    backlog: 0,
    tcpKeepalive: -1,
    tcpKeepaliveIdle: -1,
    tcpAcceptFilter: undefined,
    security: {
      plainServer: false, plainUsername: null, plainPassword: null,
      curveServer: false, curvePublicKey: null, curveSecretKey: null, curveServerKey: null,
      zapDomain: null, zapEnforceDomain: false, mechanism: null, asServer: false,
    },
    ...settings,
  };
}
