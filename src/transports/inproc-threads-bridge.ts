import { BroadcastChannel } from "node:worker_threads";
import type { Context } from "../context";
import type { Peer } from "../pipe/peer";
import type { Pipe } from "../pipe/pipe";
import { SharedRingReader, SharedRingWriter, closeForDeadReader, endForDeadWriter, type RingPort, type SharedRingEnd } from "../pipe/shared-ring";
import { pumpFromRing, pumpToRing } from "../pipe/shared-ring-bridge";
import { internalLink, type LinkOptions } from "../session/link-options";
import type { PeerOwner } from "../session/peer-owner";
import type { SocketTypeName } from "../socket-type";

/**
 * The far end of an inproc link that crosses threads, as this thread's InprocLink sees it:
 * a stand-in for the socket over there. The link gives it a Peer as it would give a local
 * socket; the bridge moves what the local socket writes into the ring to the other thread
 * (pumpToRing) and what comes back from the other thread's ring into the Peer's other pipe
 * (pumpFromRing). The local socket's patterns thus see an ordinary inproc peer.
 *
 * Ending, both ways:
 * - here: the link detaches this stand-in (socket closed, disconnect, binder gone): the ring
 *   from the other thread is closed; the ring to it gets END once what the local socket sent
 *   is in it, or after its linger;
 * - there: the ring from the other thread reads to END, the pipe it fed is ended, and once the
 *   local socket has read what was left, `onRemoteEnd` closes the local link.
 */

/** What one side tells the other of its socket: ZMTP's READY properties, and the HWMs inproc adds up. */
export interface SideInfo {
  socketType: SocketTypeName;
  routingId: Uint8Array | undefined;
  sendHighWaterMark: number;
  receiveHighWaterMark: number;
}

export function sideInfo(options: LinkOptions): SideInfo {
  const { socketType, routingId, sendHighWaterMark, receiveHighWaterMark } = options;
  return { socketType, routingId, sendHighWaterMark, receiveHighWaterMark };
}

/** A ring's side channel (large messages) over a BroadcastChannel whose name only the ring's two ends know. */
export function channelPort(name: string): RingPort {
  const channel = new BroadcastChannel(name);
  let open = true;
  return {
    // A BroadcastChannel clones and cannot transfer: large messages are copied once more.
    postMessage: (value) => channel.postMessage(value),
    on: (_event, listener) => {
      channel.onmessage = (event) => listener((event as MessageEvent).data);
    },
    ref: () => channel.ref(),
    unref: () => channel.unref(),
    close: () => {
      if (open) channel.close();
      open = false;
    },
  };
}

export class RingBridge implements PeerOwner {
  readonly typeName: SocketTypeName;
  readonly context: Context;
  readonly lingerMs = 0;
  /** The other thread's socket ended the link and the local socket has read what it sent. */
  onRemoteEnd: () => void = () => {};
  /** Both rings are finished with (to forget this bridge). */
  onStopped: () => void = () => {};
  readonly #local: { readonly lingerMs: number };
  readonly #options: LinkOptions;
  readonly #writer: SharedRingWriter;
  readonly #writerPort: RingPort;
  readonly #reader: SharedRingReader;
  readonly #fromRemote: SharedArrayBuffer;
  readonly #toRemote: SharedArrayBuffer;
  #lingerTimer: NodeJS.Timeout | undefined = undefined;
  #attached = false;
  #writing = true;
  #reading = true;

  /** `local` is the socket of this thread, whose linger applies to what it sent. */
  constructor(local: { readonly lingerMs: number }, context: Context, remote: SideInfo, toRemote: SharedRingEnd<RingPort>, fromRemote: SharedArrayBuffer, reader: SharedRingReader) {
    this.#local = local;
    this.context = context;
    this.typeName = remote.socketType;
    this.#options = remoteOptions(remote);
    this.#writer = new SharedRingWriter(toRemote);
    this.#writerPort = toRemote.port;
    this.#toRemote = toRemote.buffer;
    this.#fromRemote = fromRemote;
    this.#reader = reader;
    reader.onDone = () => this.#stopReading();
  }

  get attached(): boolean {
    return this.#attached;
  }

  linkOptions(): LinkOptions {
    return this.#options;
  }

  /** `peer.inbound` is what the local socket sends, `peer.outbound` what it will receive. */
  attachPeer(peer: Peer): boolean {
    if (this.#attached || !this.#writing) return false;
    this.#attached = true;
    this.#lingerOnClose(peer.inbound);
    peer.inbound.onDone = () => this.#stopWriting();
    peer.outbound.onDone = () => queueMicrotask(() => this.onRemoteEnd());
    pumpToRing(peer.inbound, this.#writer);
    // After the link has attached the local socket too (a binder's comes second): the ring may
    // hold messages already, and the socket must be listening for the pipe's first signal.
    queueMicrotask(() => pumpFromRing(this.#reader, peer.outbound));
    return true;
  }

  peerIdentified(): void {}

  /** The local link is over: nothing more is wanted from the other thread. */
  detachPeer(): void {
    this.#stopReading();
  }

  emitEvent(): void {}

  /** This thread exits: both rings end now. */
  stop(): void {
    this.#stopWriting();
    this.#stopReading();
  }

  /**
   * The other thread died without ending its rings (Worker.terminate() runs no exit handler):
   * this thread takes over their dead ends, which no one else will ever use again. The ring
   * from there gets its END after what was already published, which is still read; the ring
   * to there is closed, so a writer waiting for room stops waiting.
   */
  abandon(): void {
    if (this.#reading) endForDeadWriter(this.#fromRemote);
    if (this.#writing) closeForDeadReader(this.#toRemote);
  }

  /**
   * An InprocLink closes the pipe a gone socket wrote to, dropping what it held; across threads
   * what the socket sent still goes out for its linger (libzmq), so here closing the pipe ends
   * it: the pump takes the rest to the ring, then ends the ring (the pipe's onDone). After
   * `linger` ms, or when the other side stops reading, the rest is dropped.
   */
  #lingerOnClose(pipe: Pipe): void {
    const close = pipe.close.bind(pipe);
    const dropRest = (): void => {
      close();
      this.#stopWriting();
    };
    pipe.close = () => {
      const linger = this.#local.lingerMs;
      if (linger === 0 || this.#writer.closed || !this.#writing) return dropRest();
      if (linger > 0 && this.#lingerTimer === undefined) this.#lingerTimer = setTimeout(dropRest, linger).unref();
      pipe.end();
    };
  }

  #stopWriting(): void {
    if (!this.#writing) return;
    this.#writing = false;
    clearTimeout(this.#lingerTimer);
    this.#writer.end();
    this.#writerPort.close();
    if (!this.#reading) this.onStopped();
  }

  #stopReading(): void {
    if (!this.#reading) return;
    this.#reading = false;
    this.#reader.close();
    if (!this.#writing) this.onStopped();
  }
}

/** The options of the socket over there, as far as an inproc link reads them. */
function remoteOptions(remote: SideInfo): LinkOptions {
  return internalLink({
    socketType: remote.socketType,
    routingId: remote.routingId === undefined ? undefined : Buffer.from(remote.routingId),
    sendHighWaterMark: remote.sendHighWaterMark,
    receiveHighWaterMark: remote.receiveHighWaterMark,
  });
}
