import type { Message } from "../message";
import type { Peer } from "../pipe/peer";
import { SocketType } from "../socket-type";
import type { ReadableOptions, WritableOptions } from "./options";
import { makeReadable, makeWritable, Socket, type SocketOptions, type Readable, type Writable } from "./socket";

/** PAIR (RFC 31): exactly one peer at a time; a second one is refused while the first is attached. */
export class Pair extends Socket {
  #peer: Peer | undefined = undefined;

  constructor(options?: SocketOptions<ReadableOptions & WritableOptions>) {
    super(SocketType.PAIR, options);
    this.applyOptions(options);
  }

  protected override attach(peer: Peer): boolean {
    if (this.#peer !== undefined) return false;
    this.#peer = peer;
    return true;
  }

  protected override detach(peer: Peer): void {
    if (this.#peer === peer) this.#peer = undefined;
  }

  protected override get canSend(): boolean {
    return this.#peer !== undefined && this.#peer.outbound.checkWrite();
  }

  protected override xsend(message: Message): boolean {
    return this.#peer !== undefined && this.#peer.outbound.write(message);
  }

  protected override get canReceive(): boolean {
    return this.#peer !== undefined && this.#peer.inbound.checkRead();
  }

  protected override xreceive(): Message | undefined {
    return this.#peer?.inbound.read();
  }
}

export interface Pair extends Readable, Writable, ReadableOptions, WritableOptions {}
makeReadable(Pair);
makeWritable(Pair);
