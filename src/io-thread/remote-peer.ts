import { Peer, type PeerInfo } from "../pipe/peer";
import { Pipe } from "../pipe/pipe";
import { SharedRingReader, SharedRingWriter, type SharedRingEnd } from "../pipe/shared-ring";
import { pumpFromRing, pumpToRing } from "../pipe/shared-ring-bridge";
import type { LinkOptions } from "../session/link-options";

/**
 * One peer of a socket whose connection lives in an I/O thread: an ordinary Peer (two
 * Pipes) for the socket's routing, each pipe pumped to or from a shared ring. The
 * thread's session ends the inbound ring after the last message it received, so the
 * socket reads everything that arrived before it hears that the peer is gone.
 */
export class RemotePeer {
  readonly peer: Peer;
  readonly #reader: SharedRingReader;
  readonly #writer: SharedRingWriter;
  #onDrained: (() => void) | undefined = undefined;

  constructor(options: LinkOptions, info: PeerInfo, inbound: SharedRingEnd, outbound: SharedRingEnd) {
    this.peer = new Peer(new Pipe(options.receiveHighWaterMark, options.conflate), new Pipe(options.sendHighWaterMark, options.conflate), info);
    this.#reader = new SharedRingReader(inbound, false); // a pending receive() holds the loop, as without I/O threads
    this.#writer = new SharedRingWriter(outbound);
    // After pumpFromRing has moved the last message (the reader fires onDone inside its read).
    this.#reader.onDone = () => queueMicrotask(() => this.#onDrained?.());
  }

  /** Starts moving messages, once the socket has taken the peer. */
  start(): void {
    pumpFromRing(this.#reader, this.peer.inbound);
    pumpToRing(this.peer.outbound, this.#writer);
  }

  /** The socket will send no more: what is queued still crosses, then the ring ends. */
  endOutbound(): void {
    this.peer.outbound.end();
  }

  /** Calls `then` once everything the peer sent is in the inbound pipe (at once if it is, or nobody reads it). */
  whenDrained(then: () => void): void {
    this.peer.outbound.close();
    if (this.#reader.done || this.peer.inbound.closed) then();
    else this.#onDrained = then;
  }

  /** Lets go of both rings at once. */
  stop(): void {
    this.#onDrained = undefined;
    this.#reader.close();
    this.peer.outbound.close();
    this.#writer.end();
  }
}
