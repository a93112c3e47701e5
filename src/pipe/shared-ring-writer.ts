import type { Message } from "../message";
import {
  ASIDE, ASIDE_SIZE, ASIDE_TAKEN, CLOSED, END, END_SIZE, HEAD, READER_PARKED, TAIL, WRITER_PARKED,
  encodeInline, inlineSize, putU32, ringViews, type RingViews,
} from "./shared-ring-codec";
import { park, publish, type Parking } from "./shared-ring-park";
import { microtask } from "../util/microtask";
import type { RingPort, RingStats, SharedRingEnd } from "./shared-ring";

/**
 * The writing end of a shared ring: one thread, one writer (seed §24.9, "each queue has
 * exactly one writer thread and one reader thread").
 *
 * Write-ahead: write() encodes into the ring past the published TAIL, a region the reader
 * cannot see yet, so it needs no atomics. The batch is published with one Atomics.store of
 * TAIL (the seed's "pre-write area flushed by moving one pointer", figure 24.9): by flush(),
 * at once when an eighth of the ring is unpublished, and otherwise twice per event-loop turn
 * that writes: at the end of the synchronous run of its first write (a microtask: a lone
 * message goes at once, as before) and at the end of the turn (setImmediate) for the rest.
 * Not at the end of every synchronous run: a loop of `await send()` ends one per message, and
 * a store per message (with a notify whenever the faster reader had parked) halved
 * cross-thread throughput at 16 B. A write that does not
 * fit flushes, is refused (returns false, as Pipe does at its HWM) and parks the writer on
 * HEAD; onWritable fires once the reader has given back room for the refused message.
 *
 * Messages whose record would exceed `asideThreshold` bytes skip the ring: their frames go
 * through the MessagePort by transfer, and the ring carries only (tag, seq) so order holds.
 * At most ring size / threshold of them are in flight (the reader reports ASIDE_TAKEN), so
 * the port's queue is bounded as the ring is.
 * Transfer detaches a frame that owns its whole ArrayBuffer: the message belongs to the
 * pipe once written, as with Pipe. Other frames are copied once into a transferable buffer
 * (structured clone would copy the whole backing store, e.g. an 8 KiB Buffer pool slab).
 */
export class SharedRingWriter {
  onWritable: (() => void) | undefined = undefined;
  readonly stats: RingStats = { parks: 0, notifies: 0, refusals: 0, aside: 0 };

  readonly #ring: RingViews;
  readonly #control: Int32Array;
  readonly #port: RingPort;
  readonly #capacity: number;
  readonly #threshold: number;
  readonly #asideLimit: number;
  /** Unpublished bytes that are published at once rather than at the end of the turn. */
  readonly #eagerFlush: number;
  #tail = 0;
  #published = 0;
  #head = 0;
  #want = 0;
  #wantAside = false;
  #seq = 0;
  #asideTaken = 0;
  /** This event-loop turn's first write has queued its flush (a microtask) and the turn's last (setImmediate). */
  #inTurn = false;
  #ended = false;
  #closed = false;
  #parking: Parking | undefined = undefined;

  constructor(end: SharedRingEnd<RingPort>, asideThreshold = DEFAULT_ASIDE_THRESHOLD) {
    this.#ring = ringViews(end.buffer);
    this.#control = this.#ring.control;
    this.#capacity = this.#ring.mask + 1;
    // A record over half the ring would leave the two threads taking turns instead of overlapping.
    this.#threshold = Math.min(asideThreshold, this.#capacity >>> 1);
    // The ring bounds inline bytes; this bounds messages in flight aside (each may be large).
    this.#asideLimit = Math.max(4, Math.floor(this.#capacity / Math.max(this.#threshold, 1)));
    this.#eagerFlush = this.#capacity >>> 3;
    this.#port = end.port;
    this.#port.unref();
    this.#tail = this.#published = Atomics.load(this.#control, TAIL) >>> 0;
    this.#head = Atomics.load(this.#control, HEAD) >>> 0;
  }

  /** True while a write would be refused: waiting for room, ended, or the reader closed. */
  get full(): boolean {
    return this.#want > 0 || this.#ended || this.#closed;
  }

  get ended(): boolean {
    return this.#ended;
  }

  /** The reader closed its end (known once a write was refused). */
  get closed(): boolean {
    return this.#closed;
  }

  write(message: Message): boolean {
    if (this.#ended || this.#closed || this.#want > 0) return false;
    const size = inlineSize(message);
    const aside = size > this.#threshold;
    const need = aside ? ASIDE_SIZE : size;
    if (!this.#hasRoom(need) || (aside && !this.#asideRoom())) {
      this.#refuse(need, aside);
      return false;
    }
    if (aside) {
      const seq = this.#seq;
      this.#seq = (seq + 1) >>> 0;
      this.#sendAside(seq, message);
      putU32(this.#ring, this.#tail, (ASIDE | message.length) >>> 0);
      putU32(this.#ring, (this.#tail + 4) >>> 0, seq);
      this.#tail = (this.#tail + ASIDE_SIZE) >>> 0;
    } else {
      this.#tail = encodeInline(this.#ring, this.#tail, message);
    }
    if (((this.#tail - this.#published) >>> 0) >= this.#eagerFlush) this.flush();
    else if (!this.#inTurn) {
      this.#inTurn = true;
      microtask(this.#flushTask);
      setImmediate(this.#endTurn);
    }
    return true;
  }

  /** Publishes everything written so far: one atomic store, plus a notify only if the reader parked. */
  flush(): void {
    if (this.#tail === this.#published) return;
    this.#published = this.#tail;
    if (publish(this.#control, TAIL, READER_PARKED, this.#tail)) this.stats.notifies++;
  }

  /** True when a message of `size` record bytes would be taken now; otherwise arms onWritable. */
  checkWrite(size = 4): boolean {
    if (this.#ended || this.#closed) return false;
    if (this.#want === 0 && this.#hasRoom(size)) return true;
    if (this.#want === 0) this.#refuse(size, false);
    return false;
  }

  /** The writer will write no more; the reader still gets everything written, then END. */
  end(): void {
    if (this.#ended) return;
    this.#ended = true;
    this.#parking?.cancel();
    this.#parking = undefined;
    putU32(this.#ring, this.#tail, END); // always fits: #hasRoom keeps END_SIZE bytes free
    this.#tail = (this.#tail + END_SIZE) >>> 0;
    this.flush();
  }

  readonly #flushTask = (): void => this.flush();
  readonly #endTurn = (): void => {
    this.#inTurn = false;
    this.flush();
  };

  #hasRoom(need: number): boolean {
    need += END_SIZE;
    if (this.#capacity - ((this.#tail - this.#head) >>> 0) >= need) return true;
    this.#head = Atomics.load(this.#control, HEAD) >>> 0; // only when the cached view says full
    return this.#capacity - ((this.#tail - this.#head) >>> 0) >= need;
  }

  #asideRoom(): boolean {
    if (((this.#seq - this.#asideTaken) >>> 0) < this.#asideLimit) return true;
    this.#asideTaken = Atomics.load(this.#control, ASIDE_TAKEN) >>> 0;
    return ((this.#seq - this.#asideTaken) >>> 0) < this.#asideLimit;
  }

  #refuse(need: number, aside: boolean): void {
    this.stats.refusals++;
    this.flush();
    if (Atomics.load(this.#control, CLOSED) === 1) {
      this.#closed = true;
      return;
    }
    this.#want = need;
    this.#wantAside = aside;
    this.#parkForRoom();
  }

  #canWrite(): boolean {
    return this.#hasRoom(this.#want) && (!this.#wantAside || this.#asideRoom());
  }

  #parkForRoom(): void {
    this.stats.parks++;
    // Load HEAD first, then check: a reader that gives back after this load moves HEAD away
    // from `seen`, so park() returns at once; one that gave back before it is seen by the check.
    const seen = (this.#head = Atomics.load(this.#control, HEAD) >>> 0);
    const woken = (): void => {
      this.#parking = undefined;
      if (Atomics.load(this.#control, CLOSED) === 1) this.#closed = true;
      else if (!this.#canWrite()) return this.#parkForRoom();
      this.#want = 0;
      this.onWritable?.();
    };
    if (this.#canWrite()) queueMicrotask(woken);
    else this.#parking = park(this.#control, HEAD, WRITER_PARKED, seen, woken);
  }

  #sendAside(seq: number, message: Message): void {
    this.stats.aside++;
    const frames = new Array<Uint8Array>(message.length);
    const transfer: ArrayBuffer[] = [];
    for (let i = 0; i < message.length; i++) {
      const frame = message[i]!;
      const owned = frame.byteLength > 0 && frame.buffer instanceof ArrayBuffer && frame.byteOffset === 0
        && frame.byteLength === frame.buffer.byteLength && !transfer.includes(frame.buffer);
      frames[i] = owned ? frame : new Uint8Array(frame);
      transfer.push(frames[i]!.buffer as ArrayBuffer);
    }
    this.#port.postMessage({ seq, frames }, transfer);
  }
}

/**
 * Ends a ring whose writer's thread died without ending it, from another thread: the writer is
 * gone for good, so this is still the only writer. Everything it published stays readable. A
 * writer always keeps END_SIZE bytes free, so a ring with less free has its END already.
 */
export function endForDeadWriter(buffer: SharedArrayBuffer): void {
  const ring = ringViews(buffer);
  const tail = Atomics.load(ring.control, TAIL) >>> 0;
  const head = Atomics.load(ring.control, HEAD) >>> 0;
  if (ring.mask + 1 - ((tail - head) >>> 0) < END_SIZE) return;
  putU32(ring, tail, END);
  publish(ring.control, TAIL, READER_PARKED, (tail + END_SIZE) >>> 0);
}

/**
 * Records above this many bytes go through the MessagePort instead of the ring (the ring's
 * half is a second cap). Measured with bench/threads/ring-thr.ts, 1 MiB ring, two workers on
 * a 2-core VM, Node 20 (msg/s, inline copy vs transfer aside; three runs, noisy):
 *     16 KiB   118–142 K  vs   27–39 K    copying wins
 *     32 KiB    37–90 K   vs   17–53 K    copying wins
 *     64 KiB    16–44 K   vs   21–30 K    a draw
 *    128 KiB     8–21 K   vs   18–26 K    transfer wins
 *    256 KiB     2–14 K   vs   11–54 K    transfer wins (2–5×)
 * Transfer is not free (postMessage, and a fresh ArrayBuffer per message for the GC), so the
 * crossing sits at 64–128 KiB: a 64 KiB message is still copied, a 128 KiB one is not.
 */
export const DEFAULT_ASIDE_THRESHOLD = 96 * 1024;
