import { zmqError } from "../errors";
import type { Message } from "../message";
import type { Peer } from "../pipe/peer";
import { FairQueue } from "../routing/fair-queue";
import { RoutingTable } from "../routing/routing-table";
import { SocketType } from "../socket-type";
import { defineOptions, type OptionSpec, type ReadableOptions, type WritableOptions } from "./options";
import { makeReadable, makeWritable, Socket, type Readable, type SocketOptions, type Writable } from "./socket";

export interface StreamOptions {
  notify: boolean;
}

/**
 * STREAM (libzmq ZMQ_STREAM): plain TCP peers, no ZMTP. Every message is [id, data] both
 * ways. A peer connecting or going away shows up as [id, <empty>]; sending [id, <empty>]
 * closes that connection once what was sent before has gone. An unknown id is EHOSTUNREACH.
 */
export class Stream extends Socket {
  readonly #fq = new FairQueue();
  readonly #table = new RoutingTable();

  constructor(options?: SocketOptions<ReadableOptions & WritableOptions & StreamOptions>) {
    super(SocketType.STREAM, options);
    this.applyOptions(options);
  }

  override connect(address: string, options?: { routingId?: string | Buffer }): void {
    super.connect(address, options);
  }

  protected override attach(peer: Peer): boolean {
    const id = peer.info.connectRoutingId;
    if (id === undefined || !this.#table.add(id, peer)) this.#table.add(this.#table.generateId(), peer);
    this.#fq.attach(peer);
    return true;
  }

  protected override detach(peer: Peer): void {
    this.#table.remove(peer);
    this.#fq.detach(peer);
  }

  protected override peerReadable(peer: Peer): void {
    this.#fq.activate(peer);
  }

  protected override get canSend(): boolean {
    return true;
  }

  protected override xsend(message: Message): boolean {
    if (message.length !== 2) throw zmqError("EINVAL");
    const peer = this.#table.get(message[0]!);
    if (peer === undefined) throw zmqError("EHOSTUNREACH");
    return peer.outbound.write([message[1]!]);
  }

  protected override get canReceive(): boolean {
    return this.#fq.canReceive;
  }

  protected override xreceive(): Message | undefined {
    const message = this.#fq.receive();
    if (message === undefined) return undefined;
    const peer = this.#fq.lastPeer!;
    // The disconnect notice is the last thing a peer says; with notify off, notices are dropped.
    if (message[0]!.length === 0 && !this.option<boolean>("notify", true)) return this.xreceive();
    return [peer.routingId!, message[0]!];
  }
}

export interface Stream extends Readable, Writable, ReadableOptions, WritableOptions, StreamOptions {}
makeReadable(Stream);
makeWritable(Stream);
const NOTIFY: Record<string, OptionSpec> = { notify: { type: "bool", default: true, access: "wo", live: true } };
defineOptions(Stream.prototype, NOTIFY);
