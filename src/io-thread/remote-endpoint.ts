import { zmqError } from "../errors";
import type { LinkOptions } from "../session/link-options";
import type { PeerOwner } from "../session/peer-owner";
import { deferred } from "../util/deferred";
import { keepAlive } from "../util/keep-alive";
import type { IoThread, RemoteHandler } from "./io-thread";
import { ioThreadFor } from "./pool";
import { eventFields, fromWireError, peerInfo, type ToMain } from "./protocol";
import { RemotePeer } from "./remote-peer";

let nextEid = 0;

/**
 * A bind or connect of a socket whose context has I/O threads: the listener or connecter,
 * its sessions and engines run in one I/O thread (worker-endpoint.ts); here the thread's
 * events reach the socket's Observer and its peers reach the socket's routing as ordinary
 * peers (remote-peer.ts). Stands where a Listener or Connecter stands in Endpoints.
 */
export class RemoteEndpoint implements RemoteHandler {
  /** The bound endpoint (bind), or the address as given (connect). */
  endpoint: string;
  readonly #owner: PeerOwner;
  readonly #options: LinkOptions;
  readonly #thread: IoThread;
  readonly #eid = nextEid++;
  readonly #peers = new Map<number, RemotePeer>();
  readonly #bound = deferred<void>();
  readonly #closed = deferred<void>();
  #closing = false;
  /** The thread has let go of this endpoint (closed, or the thread died). */
  #finished = false;
  #holdingLoop = false;

  private constructor(owner: PeerOwner, options: LinkOptions, address: string) {
    this.#owner = owner;
    this.#options = options;
    this.endpoint = address;
    this.#thread = ioThreadFor(owner.context);
    this.#thread.register(this.#eid, this);
    this.#bound.promise.catch(() => {}); // only bind() awaits it
  }

  /** Binds in an I/O thread; rejects with the thread's error (EADDRINUSE…). */
  static async bind(owner: PeerOwner, options: LinkOptions, address: string): Promise<RemoteEndpoint> {
    const remote = new RemoteEndpoint(owner, options, address);
    remote.#thread.post({ t: "bind", eid: remote.#eid, address, options });
    keepAlive.hold(); // the thread is unref'd: the pending bind keeps the process alive, as a listen() does
    try {
      await remote.#bound.promise;
    } finally {
      keepAlive.release();
    }
    return remote;
  }

  /** Connects (and reconnects) from an I/O thread. */
  static connect(owner: PeerOwner, options: LinkOptions, address: string): RemoteEndpoint {
    const remote = new RemoteEndpoint(owner, options, address);
    remote.#thread.post({ t: "connect", eid: remote.#eid, address, options });
    return remote;
  }

  /** Closes in the thread; queued messages get `lingerMs` to go out (-1: as long as it takes). */
  close(lingerMs: number): Promise<void> {
    if (this.#closing || this.#finished) return this.#closed.promise;
    this.#closing = true;
    for (const remote of this.#peers.values()) remote.endOutbound();
    // Until the thread confirms (after flushing, as linger allows), as a lingering session does.
    this.#holdingLoop = true;
    keepAlive.hold();
    this.#thread.post({ t: "close", eid: this.#eid, lingerMs });
    return this.#closed.promise;
  }

  handle(message: Exclude<ToMain, { t: "zap" | "zap-cancel" }>): void {
    switch (message.t) {
      case "bound":
        this.endpoint = message.endpoint;
        return this.#bound.resolve();
      case "bind-error":
        this.#thread.forget(this.#eid);
        return this.#bound.reject(fromWireError(message.error));
      case "event":
        return this.#owner.emitEvent(message.name, eventFields(message));
      case "attach":
        return this.#attach(message);
      case "identified": {
        const remote = this.#peers.get(message.pid);
        if (remote === undefined) return;
        remote.peer.info = peerInfo(message.info);
        return this.#owner.peerIdentified(remote.peer);
      }
      case "detach":
        return this.#detach(message.pid);
      case "closed":
        return this.#finish();
      default:
        return message satisfies never;
    }
  }

  lost(): void {
    this.#bound.reject(zmqError("ETERM", undefined, this.endpoint));
    this.#finish();
  }

  #attach(message: Extract<ToMain, { t: "attach" }>): void {
    const remote = new RemotePeer(this.#options, peerInfo(message.info), message.inbound, message.outbound);
    const disconnect = (): void => this.#thread.post({ t: "disconnect", eid: this.#eid, pid: message.pid });
    remote.peer.disconnect = disconnect;
    if (this.#closing || !this.#owner.attachPeer(remote.peer)) {
      remote.stop();
      return disconnect();
    }
    this.#peers.set(message.pid, remote);
    remote.start();
  }

  #detach(pid: number): void {
    const remote = this.#peers.get(pid);
    if (remote === undefined) return;
    remote.whenDrained(() => {
      if (this.#peers.get(pid) !== remote) return;
      this.#peers.delete(pid);
      remote.stop();
      this.#owner.detachPeer(remote.peer);
    });
  }

  #finish(): void {
    this.#finished = true;
    this.#thread.forget(this.#eid);
    for (const remote of this.#peers.values()) {
      remote.stop();
      this.#owner.detachPeer(remote.peer);
    }
    this.#peers.clear();
    if (this.#holdingLoop) keepAlive.release();
    this.#holdingLoop = false;
    this.#closed.resolve();
  }
}
