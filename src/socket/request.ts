import { randomInt } from "node:crypto";
import { zmqError } from "../errors";
import { EMPTY, type Message } from "../message";
import type { Peer } from "../pipe/peer";
import { FairQueue } from "../routing/fair-queue";
import { LoadBalancer } from "../routing/load-balancer";
import { SocketType } from "../socket-type";
import {
  PROBE_ROUTER_OPTION,
  REQUEST_OPTIONS,
  ROUTING_ID_OPTION,
  defineOptions,
  type ProbeRouterOption,
  type ReadableOptions,
  type RequestOptions,
  type RoutingIdOption,
  type WritableOptions,
} from "./options";
import { makeReadable, makeWritable, Socket, type SocketOptions, type Readable, type Writable } from "./socket";
import { microtask } from "../util/microtask";
import { framesFrom, joinFrames } from "./frame-lists";

/** What goes before each request: the empty delimiter frame (RFC 28). */
const DELIMITER: Message = [EMPTY];

export type RequestSocketOptions = ReadableOptions & WritableOptions & RoutingIdOption & ProbeRouterOption & RequestOptions;

/**
 * REQ (RFC 28): send a request, then receive its reply, strictly in turn (EFSM otherwise).
 * Each request goes to the next peer, behind an empty delimiter frame (and, with
 * `correlate`, a 4-byte request id before it); only a well-formed reply from that peer is
 * accepted, anything else is dropped. `relaxed` allows a new request before the reply; the
 * old reply is then dropped if it comes from another peer or (with `correlate`) carries the
 * old id. Without `correlate`, a late reply from the same peer is taken, as in libzmq.
 *
 * As libzmq: a request is never sent again. If the peer dies with it, the REQ waits for a
 * reply that will not come; only `relaxed` (or a receiveTimeout) gets it going again. Once
 * the peer asked is gone, a well-formed reply from any peer is taken.
 */
export class Request extends Socket {
  readonly #lb = new LoadBalancer();
  readonly #fq = new FairQueue();
  /** Wakes a send or receive that waited for its turn, once the current operation has settled. */
  readonly #wakeLater = (): void => this.wake();
  #expectingReply = false;
  #replyPeer: Peer | undefined = undefined;
  #requestId = randomInt(0x1_0000_0000);
  /** A validated reply body, taken from the pipe by canReceive and handed out by xreceive. */
  #reply: Message | undefined = undefined;

  constructor(options?: SocketOptions<RequestSocketOptions>) {
    super(SocketType.REQ, options);
    this.applyOptions(options);
  }

  protected override attach(peer: Peer): boolean {
    this.#lb.attach(peer);
    this.#fq.attach(peer);
    if (this.option("probeRouter", false)) peer.outbound.write([EMPTY]);
    return true;
  }

  protected override detach(peer: Peer): void {
    this.#lb.detach(peer);
    this.#fq.detach(peer);
    if (this.#replyPeer === peer) this.#replyPeer = undefined;
  }

  protected override peerReadable(peer: Peer): void {
    this.#fq.activate(peer);
  }

  protected override peerWritable(peer: Peer): void {
    this.#lb.activate(peer);
  }

  protected override get canSend(): boolean {
    return (!this.#expectingReply || this.option("relaxed", false)) && this.#lb.canSend;
  }

  protected override xsend(message: Message): boolean {
    if (this.#expectingReply && !this.option("relaxed", false)) throw zmqError("EFSM");
    const correlate = this.option("correlate", false);
    const request = joinFrames(correlate ? [this.#idFrame(this.#requestId + 1), EMPTY] : DELIMITER, message);
    if (!this.#lb.send(request)) return false;
    if (correlate) this.#requestId = (this.#requestId + 1) >>> 0;
    this.#replyPeer = this.#lb.lastPeer;
    this.#expectingReply = true;
    // libzmq drops whatever is queued when a request goes out: an old reply (ours, or one a
    // peer sent twice) must not pass for the answer to this request.
    this.#reply = undefined;
    while (this.#fq.receive() !== undefined);
    return true;
  }

  protected override get canReceive(): boolean {
    return this.#expectingReply && this.#fetchReply();
  }

  protected override xreceive(): Message | undefined {
    if (!this.#expectingReply) throw zmqError("EFSM");
    if (!this.#fetchReply()) return undefined;
    const reply = this.#reply;
    this.#reply = undefined;
    this.#expectingReply = false;
    // A send that waited for its turn may go now (after this receive has settled).
    microtask(this.#wakeLater);
    return reply;
  }

  /** Reads until a valid reply to the current request is at hand; drops everything else. */
  #fetchReply(): boolean {
    while (this.#reply === undefined) {
      const message = this.#fq.receive();
      if (message === undefined) return false;
      // From the peer asked only; once that peer is gone, from any (libzmq req_t: a bound REQ
      // then takes the reply of a REP whose connection broke and came back as a new peer).
      if (this.#replyPeer !== undefined && this.#fq.lastPeer !== this.#replyPeer) continue;
      let start = 0;
      if (this.option("correlate", false)) {
        const id = message[0]!;
        if (id.length !== 4 || id.readUInt32LE(0) !== this.#requestId) continue;
        start = 1;
      }
      if (message.length < start + 2 || message[start]!.length !== 0) continue;
      this.#reply = framesFrom(message, start + 1);
    }
    return true;
  }

  /** The id is opaque to peers (a REP hands it back untouched): libzmq's host order, fixed here to little-endian. */
  #idFrame(id: number): Buffer {
    const frame = Buffer.allocUnsafe(4);
    frame.writeUInt32LE(id >>> 0, 0);
    return frame;
  }
}

export interface Request extends Readable, Writable, ReadableOptions, WritableOptions, RoutingIdOption, ProbeRouterOption, RequestOptions {}
makeReadable(Request);
makeWritable(Request);
defineOptions(Request.prototype, { ...ROUTING_ID_OPTION, ...PROBE_ROUTER_OPTION, ...REQUEST_OPTIONS });
