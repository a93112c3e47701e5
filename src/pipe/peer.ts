import { Pipe } from "./pipe";

/** What the handshake told us about the peer (ZMTP READY metadata). */
export interface PeerInfo {
  /** The peer's Socket-Type property, e.g. "PULL". */
  socketType: string;
  /** The peer's Identity property; empty when it sent none. */
  identity: Buffer;
  /** Every READY property, names lower-cased (names are case-insensitive, RFC 37). */
  metadata: Map<string, Buffer>;
  /** ROUTER/STREAM connect(addr, {routingId}): the id the application gave this peer. */
  connectRoutingId?: Buffer;
  /** The endpoint this connection belongs to, as the user wrote it for connect, or the bound endpoint. */
  endpoint: string;
}

/**
 * One peer as a socket sees it: a pipe in each direction. Made by a session once the
 * peer's handshake succeeded (never before: CVE-2020-15166), or by inproc at connect.
 * The socket's patterns read `inbound`, write `outbound`, and never see the transport.
 */
export class Peer {
  /** Messages from the peer to this socket. */
  readonly inbound: Pipe;
  /** Messages from this socket to the peer. */
  readonly outbound: Pipe;
  info: PeerInfo;
  /** Set by routing sockets (ROUTER, SERVER): the id under which the application knows this peer. */
  routingId: Buffer | undefined = undefined;
  /** Lets a pattern drop this peer (e.g. ROUTER handover); set by whoever owns the connection. */
  disconnect: () => void = () => {};

  constructor(inbound: Pipe, outbound: Pipe, info: PeerInfo) {
    this.inbound = inbound;
    this.outbound = outbound;
    this.info = info;
  }
}
