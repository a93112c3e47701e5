/**
 * One live byte stream as its session sees it, whatever it speaks: the ZMTP Engine or the
 * STREAM socket's RawEngine. The session starts it, asks it to close (flushing within the
 * linger) or drops it; the connection reports back through its EngineHost.
 */
export interface Connection {
  /** Starts reading and writing; the host hears engineReady once the peer is accepted. */
  start(): void;
  /** Flushes what is queued for the peer, then ends; after `lingerMs` (-1: no limit, 0: at once) it is dropped instead. */
  close(lingerMs: number): void;
  /** Drops the connection at once, discarding anything unsent. */
  destroy(): void;
}
