import type { Message } from "../message";
import type { Peer } from "../pipe/peer";
import { LoadBalancer } from "../routing/load-balancer";
import { SocketType } from "../socket-type";
import type { ConflateOption, WritableOptions } from "./options";
import { makeConflatable, makeWritable, Socket, type SocketOptions, type Writable } from "./socket";

/** PUSH (RFC 30): each message goes to the next ready peer, round-robin; send waits when none is ready. */
export class Push extends Socket {
  readonly #lb = new LoadBalancer();

  constructor(options?: SocketOptions<WritableOptions & ConflateOption>) {
    super(SocketType.PUSH, options);
    this.applyOptions(options);
  }

  protected override attach(peer: Peer): boolean {
    this.#lb.attach(peer);
    return true;
  }

  protected override detach(peer: Peer): void {
    this.#lb.detach(peer);
  }

  protected override peerWritable(peer: Peer): void {
    this.#lb.activate(peer);
  }

  protected override get canSend(): boolean {
    return this.#lb.canSend;
  }

  protected override xsend(message: Message): boolean {
    return this.#lb.send(message);
  }
}

export interface Push extends Writable, WritableOptions, ConflateOption {}
makeWritable(Push);
makeConflatable(Push);
