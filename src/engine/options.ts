import type { Mechanism, MechanismOptions } from "../mechanisms/mechanism";
import type { SocketTypeName } from "../socket-type";

/** What an Engine needs to know about its socket; option names and units as in zeromq.js. */
export interface EngineOptions {
  /** Our socket type, announced as Socket-Type and checked against the peer's. */
  socketType: SocketTypeName;
  /** Our Identity to announce (REQ, DEALER, ROUTER); undefined = empty. */
  routingId: Buffer | undefined;
  /** Largest frame accepted, in bytes; -1 = no limit (ZMQ_MAXMSGSIZE, checked per frame). */
  maxMessageSize: number;
  /** ms; a peer that has not completed the handshake by then is dropped. 0 = no limit. */
  handshakeInterval: number;
  /** ms between PINGs; 0 = no heartbeats (ZMQ_HEARTBEAT_IVL). */
  heartbeatInterval: number;
  /** ms without traffic after a PING before the peer is dropped; -1 = heartbeatInterval, 0 = never. */
  heartbeatTimeout: number;
  /** ms the peer should wait for traffic after our PING (sent in deciseconds); 0 = none. */
  heartbeatTimeToLive: number;
  /** For PeerInfo and events: the endpoint as the user wrote it (connect) or as bound. */
  endpoint: string;
  /** The greeting's as-server role, for mechanisms that have one (PLAIN, CURVE). */
  asServer: boolean;
  /** Makes the security mechanism; NULL when absent. */
  mechanism?: (options: MechanismOptions) => Mechanism;
}
