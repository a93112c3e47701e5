// Helpers for the request-reply suites (RFC 28): REQ, REP, DEALER and ROUTER made in a test's
// scope, on either library, a hand-written ROUTER/DEALER proxy, and ways to wait for a
// connection to come or go without sleeping.
import { loadLib, type Zmq } from "./lib";
import type { Sockets } from "./sockets";
import type { Transport } from "./transports";

export type Request = InstanceType<Zmq["Request"]>;
export type Reply = InstanceType<Zmq["Reply"]>;
export type Dealer = InstanceType<Zmq["Dealer"]>;
export type Router = InstanceType<Zmq["Router"]>;
type Options<K extends "Request" | "Reply" | "Dealer" | "Router"> = Omit<NonNullable<ConstructorParameters<Zmq[K]>[0]>, "context">;

export function req(s: Sockets, options: Options<"Request"> = {}): Request {
  return s.track(new s.lib.Request({ ...options, context: s.context }));
}
export function rep(s: Sockets, options: Options<"Reply"> = {}): Reply {
  return s.track(new s.lib.Reply({ ...options, context: s.context }));
}
export function dealer(s: Sockets, options: Options<"Dealer"> = {}): Dealer {
  return s.track(new s.lib.Dealer({ ...options, context: s.context }));
}
export function router(s: Sockets, options: Options<"Router"> = {}): Router {
  return s.track(new s.lib.Router({ ...options, context: s.context }));
}

type Observed = { events: { on(type: never, listener: () => void): unknown }; close(): void };
type Bindable = { bind(address: string): Promise<void>; readonly lastEndpoint: string | null };

/** Binds and returns the endpoint to connect to (`lastEndpoint`), for any socket type. */
export async function endpointOf(socket: Bindable, address: string): Promise<string> {
  await socket.bind(address);
  if (socket.lastEndpoint === null) throw new Error(`no lastEndpoint after bind(${address})`);
  return socket.lastEndpoint;
}

/**
 * Puts `socket.events` in emitter mode now, so that later listeners see only later events.
 * (An observer queues what happens from its first access, and hands the queue to its first
 * listener: in zeromq.js too, whose monitor socket holds them.)
 */
export function watch(socket: Observed): void {
  (socket.events.on as (type: string, listener: () => void) => unknown)("end", () => {});
}

/** Resolves on the next `type` event of `socket` (subscribe before causing it; see watch()). */
export function nextEvent(socket: Observed, type: string): Promise<void> {
  return new Promise((resolve) => (socket.events.on as (type: string, listener: () => void) => unknown)(type, () => resolve()));
}

/** Closes `socket` and resolves once it has let go of its endpoints (the observer's `end`). */
export async function closeAndWait(socket: Observed): Promise<void> {
  const ended = nextEvent(socket, "end");
  socket.close();
  await ended;
}

/**
 * Closes `peer` (linger -1: what it sent goes out first) and resolves once `observer` has
 * seen that connection end. A stream transport reads everything the peer sent before it
 * sees the end, so what `peer` sent is then queued at `observer`. inproc has no events, and
 * needs none: a send there is already in the other socket's queue.
 */
export async function closeSeenBy(peer: Observed, observer: Observed, transport: Transport): Promise<void> {
  const gone = transport.stream ? nextEvent(observer, "disconnect") : Promise.resolve();
  peer.close();
  await gone;
}

/**
 * A ROUTER front end and a DEALER back end, forwarding by hand in both directions, as
 * zmq_proxy does. Returns a stop function; forwarding also ends when either socket closes.
 */
export function forward(front: Router, back: Dealer): () => void {
  let running = true;
  const pump = async (from: Router | Dealer, to: Router | Dealer) => {
    try {
      while (running) await to.send(await from.receive());
    } catch {
      // a socket closed under us: the proxy is done
    }
  };
  void pump(front, back);
  void pump(back, front);
  return () => (running = false);
}

/**
 * `socket.receive()`, working around a zeromq.js quirk on libzmq: a REQ or REP reports
 * readable for a message libzmq then drops (a stale or foreign reply, a request without a
 * delimiter: req_t/rep_t::xhas_in do not filter), and receive() then rejects EAGAIN although
 * receiveTimeout is -1. Only a native socket is given another try; omq must never reject here.
 */
export async function receiveFiltered(socket: Request | Reply): Promise<Buffer[]> {
  const zeromq = loadLib("zeromq");
  const isNative = socket instanceof zeromq.Request || socket instanceof zeromq.Reply;
  for (;;) {
    try {
      return await socket.receive();
    } catch (error) {
      if (!isNative || (error as { code?: string }).code !== "EAGAIN" || socket.closed) throw error;
    }
  }
}
