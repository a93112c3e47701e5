import { zmqError } from "../errors";
import type { Message } from "../message";
import type { Peer } from "../pipe/peer";
import { FairQueue } from "../routing/fair-queue";
import { SocketType } from "../socket-type";
import { ROUTING_ID_OPTION, defineOptions, type ReadableOptions, type RoutingIdOption, type WritableOptions } from "./options";
import { makeReadable, makeWritable, Socket, type SocketOptions, type Readable, type Writable } from "./socket";
import { microtask } from "../util/microtask";
import { delimiterIndex, firstFrames, framesFrom, joinFrames } from "./frame-lists";

/**
 * REP (RFC 28): receive a request, then send its reply, strictly in turn (EFSM otherwise).
 * The frames up to and including the first empty one are the request's envelope (routing
 * ids added by ROUTERs on the way); they go back, intact, in front of the reply, to the
 * peer the request came from. A request with no envelope delimiter is dropped.
 */
export class Reply extends Socket {
  readonly #fq = new FairQueue();
  /** Wakes a send or receive that waited for its turn, once the current operation has settled. */
  readonly #wakeLater = (): void => this.wake();
  #replying = false;
  #replyPeer: Peer | undefined = undefined;
  #envelope: Message = [];
  /** A validated request, taken from the pipe by canReceive and handed out by xreceive. */
  #request: Message | undefined = undefined;
  #requestEnvelope: Message = [];
  #requestPeer: Peer | undefined = undefined;

  constructor(options?: SocketOptions<ReadableOptions & WritableOptions & RoutingIdOption>) {
    super(SocketType.REP, options);
    this.applyOptions(options);
  }

  protected override attach(peer: Peer): boolean {
    this.#fq.attach(peer);
    return true;
  }

  protected override detach(peer: Peer): void {
    this.#fq.detach(peer);
    if (this.#replyPeer === peer) this.#replyPeer = undefined;
    if (this.#requestPeer === peer) this.#requestPeer = undefined;
  }

  protected override peerReadable(peer: Peer): void {
    this.#fq.activate(peer);
  }

  protected override get canSend(): boolean {
    return this.#replying;
  }

  protected override xsend(message: Message): boolean {
    if (!this.#replying) throw zmqError("EFSM");
    this.#replying = false;
    // As a ROUTER would: a reply to a peer that is gone or full is dropped.
    this.#replyPeer?.outbound.write(joinFrames(this.#envelope, message));
    this.#replyPeer = undefined;
    this.#envelope = [];
    // A receive that waited for its turn may take the next request now.
    microtask(this.#wakeLater);
    return true;
  }

  protected override get canReceive(): boolean {
    return !this.#replying && this.#fetchRequest();
  }

  protected override xreceive(): Message | undefined {
    if (this.#replying) throw zmqError("EFSM");
    if (!this.#fetchRequest()) return undefined;
    const request = this.#request!;
    this.#request = undefined;
    this.#replying = true;
    this.#replyPeer = this.#requestPeer;
    this.#envelope = this.#requestEnvelope;
    microtask(this.#wakeLater); // a send that waited for its turn may go now
    return request;
  }

  #fetchRequest(): boolean {
    while (this.#request === undefined) {
      const message = this.#fq.receive();
      if (message === undefined) return false;
      const bottom = delimiterIndex(message);
      if (bottom < 0 || bottom === message.length - 1) continue;
      this.#requestEnvelope = firstFrames(message, bottom + 1);
      this.#request = framesFrom(message, bottom + 1);
      this.#requestPeer = this.#fq.lastPeer;
    }
    return true;
  }
}

export interface Reply extends Readable, Writable, ReadableOptions, WritableOptions, RoutingIdOption {}
makeReadable(Reply);
makeWritable(Reply);
defineOptions(Reply.prototype, ROUTING_ID_OPTION);
