import type { TransferListItem } from "node:worker_threads";
import type { Context } from "../context";
import type { Peer } from "../pipe/peer";
import { createSharedRing, SharedRingReader, SharedRingWriter } from "../pipe/shared-ring";
import { pumpFromRing, pumpToRing } from "../pipe/shared-ring-bridge";
import { Connecter } from "../session/connecter";
import type { LinkOptions } from "../session/link-options";
import { Listener } from "../session/listener";
import type { EventFields, EventName, PeerOwner } from "../session/peer-owner";
import type { SocketTypeName } from "../socket-type";
import { parseEndpoint } from "../transports/endpoint";
import { listen } from "../transports/transport";
import { toWireError, wireEventFields, type ToMain } from "./protocol";

type Post = (message: ToMain, transfer?: TransferListItem[]) => void;

/** One peer's two rings, seen from the I/O thread. */
interface Bridge {
  pid: number;
  /** Reads what the socket sends (main writes it). */
  outbound: SharedRingReader;
  /** Resolves once main's last message for this peer is in the session's pipe (END read), or the peer is gone. */
  drained: Promise<void>;
  settle: () => void;
}

/**
 * One bind or connect of a socket, run in an I/O thread: the ordinary Listener or Connecter
 * with its sessions and engines (greeting, mechanism, codec, heartbeats), owned by a stand-in
 * for the socket. Each peer's pipes are joined to two shared rings whose other ends the
 * socket's thread reads and writes, so the socket's routing sees an ordinary peer.
 */
export class WorkerEndpoint implements PeerOwner {
  readonly typeName: SocketTypeName;
  readonly context: Context;
  readonly lingerMs = 0;
  readonly #eid: number;
  readonly #options: LinkOptions;
  readonly #post: Post;
  readonly #bridges = new Map<Peer, Bridge>();
  #link: Listener | Connecter | undefined = undefined;
  #nextPid = 0;

  constructor(eid: number, options: LinkOptions, context: Context, post: Post) {
    this.#eid = eid;
    this.#options = options;
    this.typeName = options.socketType;
    this.context = context;
    this.#post = post;
  }

  /** Listens; false (bind-error posted) when that failed. */
  async bind(address: string): Promise<boolean> {
    try {
      const o = this.#options;
      const transport = await listen(parseEndpoint(address, "bind"), {
        ipv6: o.ipv6,
        backlog: o.backlog,
        tcpKeepalive: o.tcpKeepalive,
        tcpKeepaliveIdle: o.tcpKeepaliveIdle,
        tcpAcceptFilter: o.tcpAcceptFilter,
      });
      const listener = new Listener(this, o, transport);
      this.#link = listener;
      this.#post({ t: "bound", eid: this.#eid, endpoint: listener.endpoint });
      return true;
    } catch (error) {
      this.#post({ t: "bind-error", eid: this.#eid, error: toWireError(error as Error) });
      return false;
    }
  }

  connect(address: string): void {
    const connecter = new Connecter(this, this.#options, parseEndpoint(address, "connect"), address);
    this.#link = connecter;
    connecter.start();
  }

  /** The socket dropped this peer (or refused it). */
  disconnect(pid: number): void {
    for (const [peer, bridge] of this.#bridges) if (bridge.pid === pid) return peer.disconnect();
  }

  /**
   * Waits (at most the linger) until what the socket queued has crossed into the sessions'
   * pipes, then closes as a socket's endpoint closes, with what is left of the linger.
   */
  async close(lingerMs: number): Promise<void> {
    const started = Date.now();
    if (lingerMs !== 0 && this.#bridges.size > 0) {
      let timer: NodeJS.Timeout | undefined;
      const drained = Promise.all([...this.#bridges.values()].map((b) => b.drained));
      const expired = lingerMs > 0 ? new Promise<void>((resolve) => (timer = setTimeout(resolve, lingerMs))) : undefined;
      await (expired === undefined ? drained : Promise.race([drained, expired]));
      clearTimeout(timer);
    }
    const left = lingerMs > 0 ? Math.max(0, lingerMs - (Date.now() - started)) : lingerMs;
    await this.#link?.close(left);
    this.#post({ t: "closed", eid: this.#eid });
  }

  linkOptions(): LinkOptions {
    return this.#options;
  }

  attachPeer(peer: Peer): boolean {
    const pid = this.#nextPid++;
    const inbound = createSharedRing();
    const outbound = createSharedRing();
    const reader = new SharedRingReader(outbound.reader);
    let settle = (): void => {};
    const drained = new Promise<void>((resolve) => (settle = resolve));
    reader.onDone = settle;
    pumpToRing(peer.inbound, new SharedRingWriter(inbound.writer));
    pumpFromRing(reader, peer.outbound);
    this.#bridges.set(peer, { pid, outbound: reader, drained, settle });
    this.#post({ t: "attach", eid: this.#eid, pid, info: peer.info, inbound: inbound.reader, outbound: outbound.writer }, [
      inbound.reader.port,
      outbound.writer.port,
    ]);
    return true;
  }

  peerIdentified(peer: Peer): void {
    const bridge = this.#bridges.get(peer);
    if (bridge !== undefined) this.#post({ t: "identified", eid: this.#eid, pid: bridge.pid, info: peer.info });
  }

  detachPeer(peer: Peer): void {
    const bridge = this.#bridges.get(peer);
    if (bridge === undefined) return;
    this.#bridges.delete(peer);
    // The session closed the peer's outbound pipe: refuse the socket's further writes.
    bridge.outbound.close();
    bridge.settle();
    this.#post({ t: "detach", eid: this.#eid, pid: bridge.pid });
  }

  emitEvent(name: EventName, fields: EventFields): void {
    this.#post({ t: "event", eid: this.#eid, name, ...wireEventFields(fields) });
  }
}
