import type { PeerInfo } from "../pipe/peer";
import type { Pipe } from "../pipe/pipe";
import type { Connection } from "./connection";
import type { EngineError } from "./engine-error";

/** The pipes an engine moves messages through once the peer is accepted. */
export interface EngineLink {
  /** Messages from the peer; the engine is its writer. */
  inbound: Pipe;
  /** Messages to the peer; the engine is its reader. */
  outbound: Pipe;
}

/** What owns an engine (a session): told when the peer is ready and when the connection is gone. */
export interface EngineHost {
  /**
   * The handshake is done and the peer's Socket-Type is compatible with ours. Return the
   * pipes to move messages through, or undefined to refuse this peer (the engine then closes).
   */
  engineReady(engine: Connection, peer: PeerInfo): EngineLink | undefined;
  /**
   * The connection is gone; called exactly once per engine, also after close() and destroy(),
   * as soon as the stream has closed (so asynchronously after close()/destroy(): the stream
   * then holds no handle or request any more). `error` undefined = orderly end by either
   * side; otherwise why.
   */
  engineClosed(engine: Connection, error: EngineError | undefined): void;
}
