import type { Message } from "../message";
import type { Peer } from "../pipe/peer";
import { FairQueue } from "../routing/fair-queue";
import { SocketType } from "../socket-type";
import type { ConflateOption, ReadableOptions } from "./options";
import { makeConflatable, makeReadable, Socket, type SocketOptions, type Readable } from "./socket";

/** PULL (RFC 30): receives from its peers fairly, one message from each in turn. */
export class Pull extends Socket {
  readonly #fq = new FairQueue();

  constructor(options?: SocketOptions<ReadableOptions & ConflateOption>) {
    super(SocketType.PULL, options);
    this.applyOptions(options);
  }

  protected override attach(peer: Peer): boolean {
    this.#fq.attach(peer);
    return true;
  }

  protected override detach(peer: Peer): void {
    this.#fq.detach(peer);
  }

  protected override peerReadable(peer: Peer): void {
    this.#fq.activate(peer);
  }

  protected override get canReceive(): boolean {
    return this.#fq.canReceive;
  }

  protected override xreceive(): Message | undefined {
    return this.#fq.receive();
  }
}

export interface Pull extends Readable, ReadableOptions, ConflateOption {}
makeReadable(Pull);
makeConflatable(Pull);
