import type { Context } from "../context";
import { EMPTY, type Message } from "../message";
import type { Peer } from "../pipe/peer";
import { internalLink, type LinkOptions } from "../session/link-options";
import type { PeerOwner } from "../session/peer-owner";
import type { InprocLink } from "../transports/inproc";
import { ZAP_ENDPOINT } from "./zap";

/** The handler's answer: its reply frames, "none" (no handler bound), or "gone" (it went away first). */
export type ZapAnswer = Buffer[] | "none" | "gone";

/** One request in flight; `cancel` drops it (the connection ended first). */
export interface ZapCall {
  readonly answer: Promise<ZapAnswer>;
  cancel(): void;
}

/** A context whose ZAP handler lives in another thread (an I/O thread's, src/io-thread) asks through its relay. */
export const zapRelays = new WeakMap<Context, (request: Buffer[]) => ZapCall>();

/**
 * Carries one ZAP request (RFC 27) to the handler bound at inproc://zeromq.zap.01 in a
 * socket's context, and its reply back. As libzmq's session_base_t::zap_connect does,
 * each connection gets a pipe of its own to the handler, so replies need no routing.
 *
 * "The server SHALL use a REQ or DEALER socket": we join as a DEALER and send the empty
 * address delimiter ourselves; a REP handler strips and restores it, a ROUTER handler sees
 * it after our routing id. No handler bound at the moment of asking is "none": what
 * follows is the mechanism's choice (libzmq: PLAIN fails, CURVE admits, NULL goes on).
 */
export function askZap(context: Context, request: Buffer[]): ZapCall {
  const relay = zapRelays.get(context);
  if (relay !== undefined) return relay(request);
  let settle: (answer: ZapAnswer) => void = () => {};
  const answer = new Promise<ZapAnswer>((resolve) => (settle = resolve));
  let peer: Peer | undefined;
  let done = false;
  const finish = (result: ZapAnswer): void => {
    if (done) return;
    done = true;
    context.inproc.drop(link);
    settle(result);
  };
  const owner: PeerOwner = {
    typeName: "DEALER",
    context,
    lingerMs: 0,
    linkOptions: () => ZAP_LINK,
    attachPeer(attached) {
      peer = attached;
      return true;
    },
    peerIdentified() {},
    detachPeer: () => finish("gone"),
    emitEvent() {},
  };
  // immediate: no pipes unless the handler is bound now, so `peer` tells whether it is.
  const link: InprocLink = context.inproc.connect(ZAP_ENDPOINT, { owner, options: ZAP_LINK });
  if (peer === undefined) {
    finish("none");
    return { answer, cancel() {} };
  }
  const inbound = peer.inbound;
  const read = (): void => {
    const reply: Message | undefined = inbound.read();
    if (reply !== undefined) finish(reply);
  };
  inbound.onReadable = read;
  peer.outbound.write([EMPTY, ...request]);
  read();
  return { answer, cancel: () => finish("gone") };
}

/** libzmq gives the ZAP pipe no high-water mark; `immediate` makes no pipes before a bind. */
const ZAP_LINK: LinkOptions = internalLink({ socketType: "DEALER", immediate: true, heartbeatTimeout: -1, reconnectInterval: -1 });
