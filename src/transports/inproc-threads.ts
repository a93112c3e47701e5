import { BroadcastChannel, isMainThread, threadId, type Worker } from "node:worker_threads";
import type { Context } from "../context";
import { zmqError } from "../errors";
import { SharedRingReader, createRingBuffer, type RingPort, type SharedRingEnd } from "../pipe/shared-ring";
import { isCompatible } from "../socket-type";
import type { InprocElsewhere, InprocLink, InprocRegistry } from "./inproc";
import { RingBridge, channelPort, sideInfo, type SideInfo } from "./inproc-threads-bridge";

/**
 * inproc:// across worker threads: the default context of each thread (the `context` export,
 * as the native package's one global context) finds names bound in the other threads' default
 * contexts. Names bound in this thread are always looked up here first; the channel below is
 * used only for names missed here, and only once other threads exist (in a worker, or in a main
 * thread that has started one).
 *
 * Rendezvous, over one process-wide BroadcastChannel (no thread has a MessagePort to every other):
 *   connecter  find  {link, name, its inbound ring, socket type, routing id, HWMs}   → every thread
 *   binder     offer {link, offer, its inbound ring, ...}  → the connecter (or refuse: types do not match)
 *   connecter  answer {offer, take}                       → that binder; only the first offer is taken
 * Each side makes the ring it reads from, with its side channel, before announcing it, so
 * nothing sent on them can be lost. A binder that binds later says `bound`, and connecters
 * still waiting for that name ask again: connect works before bind, as within one thread.
 * If two threads bind one name, the first offer wins.
 *
 * A link the other thread ended (its socket closed, or the thread exited) is closed here too and
 * the local socket gets a "disconnect" event, as when a tcp peer goes away.
 *
 * A thread that exits (process.exit() too) ends its rings in its 'exit' handler: every link
 * reaches END in the other thread, which detaches the peer. A worker stopped by terminate()
 * runs no handler; the thread that made it says so on the channel (see #watchWorker).
 */

const CHANNEL = "omq:inproc";
const NO_LINGER = { lingerMs: 0 };
/** Each direction of a link: enough to keep two threads busy with 64 KiB messages (bench/scenarios/inproc-threads.ts). */
const RING_BYTES = 512 * 1024;
/** An offer the connecter never answered (it exited meanwhile) is withdrawn after this. */
const OFFER_TTL_MS = 10_000;

type Control =
  | { t: "find"; link: string; name: string; from: number; ring: SharedArrayBuffer; aside: string; side: SideInfo }
  | { t: "offer"; link: string; offer: string; to: number; from: number; ring: SharedArrayBuffer; aside: string; side: SideInfo }
  | { t: "refuse"; link: string; to: number; socketType: string }
  | { t: "answer"; offer: string; to: number; take: boolean }
  | { t: "bound"; name: string }
  | { t: "gone"; thread: number };

/** A ring this thread reads from, made before the other side is told of it. */
interface Inbound {
  ring: SharedArrayBuffer;
  aside: string;
  reader: SharedRingReader;
}

interface Waiting {
  link: InprocLink;
  /** Made when the link is first looked for elsewhere. */
  inbound?: Inbound;
  /** Keeps this thread alive while its closed socket's messages wait for a binder (linger). */
  lingerHold?: NodeJS.Timeout;
}

interface Offered {
  find: Extract<Control, { t: "find" }>;
  inbound: Inbound;
  timer: NodeJS.Timeout;
}

export class InprocThreads implements InprocElsewhere {
  readonly #context: Context;
  readonly #registry: InprocRegistry;
  #channel: BroadcastChannel | undefined = undefined;
  readonly #waiting = new Map<string, Waiting>();
  readonly #offers = new Map<string, Offered>();
  /** Live bridges by the thread at their other end. */
  readonly #bridges = new Map<number, Set<RingBridge>>();
  #nextId = 0;
  /** This thread started a worker: on the main thread, until then, no other thread can bind a name. */
  #madeWorkers = false;

  constructor(context: Context) {
    this.#context = context;
    this.#registry = context.inproc;
    process.on("worker", this.#watchWorker);
  }

  bound(name: string): void {
    this.#sweep(); // links waiting for this name have just joined its binder here
    if (this.#threadsExist) this.#post({ t: "bound", name });
  }

  find(link: InprocLink): void {
    this.#sweep();
    const waiting: Waiting = { link };
    const id = this.#id();
    this.#waiting.set(id, waiting);
    if (this.#threadsExist) this.#askFor(id, waiting);
  }

  /** The main thread before it starts a worker is alone: nothing to tell, no one to ask (a worker that binds later says so). */
  get #threadsExist(): boolean {
    return !isMainThread || this.#madeWorkers;
  }

  /**
   * The socket closed before the link met its binder, with messages for it: as libzmq's linger
   * holds the context, this holds the thread (once there are other threads to bind the name)
   * until the link is taken or the linger ends; the link drops the messages then itself.
   */
  lingering(link: InprocLink, lingerMs: number): void {
    if (!this.#threadsExist) return;
    for (const waiting of this.#waiting.values()) {
      if (waiting.link !== link) continue;
      waiting.lingerHold = setTimeout(() => this.#release(waiting), lingerMs > 0 ? lingerMs : 0x7fffffff);
    }
  }

  #release(waiting: Waiting): void {
    clearTimeout(waiting.lingerHold);
    waiting.lingerHold = undefined;
  }

  #askFor(id: string, waiting: Waiting): void {
    const { link } = waiting;
    const inbound = (waiting.inbound ??= openInbound(id));
    const side = sideInfo(link.connecter.options);
    this.#post({ t: "find", link: id, name: link.name, from: threadId, ring: inbound.ring, aside: inbound.aside, side });
  }

  readonly #onMessage = (event: unknown): void => {
    const message = (event as { data: Control }).data;
    switch (message.t) {
      case "find":
        return this.#offer(message);
      case "offer":
        if (message.to === threadId) this.#take(message);
        return;
      case "answer":
        if (message.to === threadId) this.#answered(message.offer, message.take);
        return;
      case "refuse":
        if (message.to === threadId) this.#refused(message.link, message.socketType);
        return;
      case "bound":
        return this.#askAgain(message.name);
      case "gone":
        return this.#threadGone(message.thread);
    }
  };

  /** Binder side: someone looks for a name; offer our ring if we hold it. */
  #offer(find: Extract<Control, { t: "find" }>): void {
    const binder = this.#registry.binderOf(find.name);
    if (binder === undefined) return;
    if (!isCompatible(binder.options.socketType, find.side.socketType)) {
      this.#post({ t: "refuse", link: find.link, to: find.from, socketType: binder.options.socketType });
      return;
    }
    const offer = this.#id();
    const inbound = openInbound(offer);
    const timer = setTimeout(() => this.#answered(offer, false), OFFER_TTL_MS).unref();
    this.#offers.set(offer, { find, inbound, timer });
    const side = sideInfo(binder.options);
    this.#post({ t: "offer", link: find.link, offer, to: find.from, from: threadId, ring: inbound.ring, aside: inbound.aside, side });
  }

  /** Connecter side: the first offer for a waiting link is taken, later ones declined. */
  #take(offer: Extract<Control, { t: "offer" }>): void {
    const waiting = this.#waiting.get(offer.link);
    const inbound = waiting?.inbound;
    const live = inbound !== undefined && isWaiting(waiting!.link);
    this.#post({ t: "answer", offer: offer.offer, to: offer.from, take: live });
    if (!live) return this.#forget(offer.link);
    this.#waiting.delete(offer.link);
    this.#release(waiting!);
    const { link } = waiting!;
    const bridge = this.#bridge(link.connecter.owner, offer.from, offer.side, { buffer: offer.ring, port: channelPort(offer.aside) }, inbound);
    bridge.onRemoteEnd = () => {
      link.close();
      link.connecter.owner.emitEvent("disconnect", { address: `inproc://${link.name}` });
    };
    link.join({ owner: bridge, options: bridge.linkOptions() });
    if (!bridge.attached) bridge.stop();
  }

  /** Binder side: the connecter took our offer (join it to the bound socket) or declined it. */
  #answered(id: string, take: boolean): void {
    const offered = this.#offers.get(id);
    if (offered === undefined) return;
    this.#offers.delete(id);
    clearTimeout(offered.timer);
    const { find, inbound } = offered;
    if (!take) return inbound.reader.close();
    const binder = this.#registry.binderOf(find.name);
    const bridge = this.#bridge(binder?.owner ?? NO_LINGER, find.from, find.side, { buffer: find.ring, port: channelPort(find.aside) }, inbound);
    // Unbound meanwhile: the connecter then sees the link end at once.
    if (binder === undefined) return bridge.stop();
    const link = this.#registry.connect(find.name, { owner: bridge, options: bridge.linkOptions() });
    bridge.onRemoteEnd = () => {
      this.#registry.drop(link);
      binder.owner.emitEvent("disconnect", { address: `inproc://${find.name}` });
    };
    if (!bridge.attached) bridge.stop();
  }

  /** Connecter side: a binder of that name has a socket type ours cannot talk to. */
  #refused(id: string, socketType: string): void {
    const waiting = this.#waiting.get(id);
    if (waiting === undefined) return;
    const { owner } = waiting.link.connecter;
    const error = zmqError("ENOCOMPATPROTO", `${owner.typeName} cannot talk to ${socketType}`, `inproc://${waiting.link.name}`);
    owner.emitEvent("handshake:error:protocol", { address: `inproc://${waiting.link.name}`, error });
  }

  /** A name was bound in some thread: the links still waiting for it ask again. */
  #askAgain(name: string): void {
    for (const [id, waiting] of this.#waiting) {
      if (!isWaiting(waiting.link)) this.#forget(id);
      else if (waiting.link.name === name) this.#askFor(id, waiting);
    }
  }

  /** Forgets the links no longer waiting: closed, or joined to a binder (of this thread, or of another). */
  #sweep(): void {
    for (const [id, waiting] of this.#waiting) if (!isWaiting(waiting.link)) this.#forget(id);
  }

  #forget(id: string): void {
    const waiting = this.#waiting.get(id);
    if (waiting === undefined) return;
    this.#release(waiting);
    waiting.inbound?.reader.close();
    this.#waiting.delete(id);
  }

  #bridge(local: { readonly lingerMs: number }, thread: number, remote: SideInfo, toRemote: SharedRingEnd<RingPort>, inbound: Inbound): RingBridge {
    const bridge = new RingBridge(local, this.#context, remote, toRemote, inbound.ring, inbound.reader);
    let set = this.#bridges.get(thread);
    if (set === undefined) this.#bridges.set(thread, (set = new Set()));
    set.add(bridge);
    bridge.onStopped = () => {
      set.delete(bridge);
      if (set.size === 0) this.#bridges.delete(thread);
    };
    return bridge;
  }

  /** Another thread is gone without ending its rings (Worker.terminate()): end our side of each. */
  #threadGone(thread: number): void {
    for (const bridge of [...(this.#bridges.get(thread) ?? [])]) bridge.abandon();
  }

  /** A worker made here: if it is stopped without running its exit handler, the other threads must hear of it. */
  readonly #watchWorker = (worker: Worker): void => {
    if (!this.#madeWorkers) this.#open(); // from now on a worker may look for our names
    this.#madeWorkers = true;
    const thread = worker.threadId;
    worker.once("exit", () => {
      this.#threadGone(thread);
      this.#post({ t: "gone", thread });
    });
  };

  /** This thread exits: every link ends, so the other threads detach their peers. */
  readonly #exit = (): void => {
    for (const set of [...this.#bridges.values()]) for (const bridge of [...set]) bridge.stop();
    for (const id of [...this.#offers.keys()]) this.#answered(id, false);
    for (const id of [...this.#waiting.keys()]) this.#forget(id);
  };

  #post(message: Control): void {
    this.#open().postMessage(message);
  }

  #open(): BroadcastChannel {
    if (this.#channel !== undefined) return this.#channel;
    const channel = (this.#channel = new BroadcastChannel(CHANNEL));
    channel.onmessage = this.#onMessage;
    channel.unref(); // waiting for other threads never keeps this one alive
    process.once("exit", this.#exit);
    return channel;
  }

  #id(): string {
    return `${threadId}.${this.#nextId++}`;
  }
}

function isWaiting(link: InprocLink): boolean {
  return !link.closed && link.binderOwner === undefined;
}

/** A ring this thread will read, and its side channel, both named before anyone can write to them. */
function openInbound(id: string): Inbound {
  // No MessagePort reaches another thread from here: large messages take a BroadcastChannel.
  const ring = createRingBuffer(RING_BYTES);
  const aside = `${CHANNEL}:${id}`;
  return { ring, aside, reader: new SharedRingReader({ buffer: ring, port: channelPort(aside) }, false) };
}
