import type { Message } from "../message";
import { ASIDE, ASIDE_TAKEN, CLOSED, END, END_SIZE, HEAD, READER_PARKED, TAIL, WRITER_PARKED, decodeInline, getU32, ringViews, type RingViews } from "./shared-ring-codec";
import { park, publish, type Parking } from "./shared-ring-park";
import type { RingPort, RingStats, SharedRingEnd } from "./shared-ring";

/**
 * The reading end of a shared ring (seed §24.9, the "pre-read" side of figure 24.9).
 *
 * Prefetch: when its batch is used up, read() takes everything the writer published with one
 * Atomics.load of TAIL and then decodes record after record with plain reads. Consumed space
 * goes back to the writer with one Atomics.store of HEAD per batch: at the end of a batch, or
 * each quarter ring inside a long one, so a writer that is waiting for room does not have to
 * wait for the whole ring to drain and the two threads overlap (it is woken once half is free).
 *
 * A read that finds nothing returns undefined and parks on TAIL with Atomics.waitAsync;
 * onReadable fires when the writer publishes. The writer's end is an END record: reading it
 * makes the reader done, fires onDone once and closes the MessagePort.
 *
 * A record sent aside names a sequence number; its frames arrive on the MessagePort, in
 * order, usually before the record is published. If not yet, read() returns undefined and
 * onReadable fires when they land.
 */
interface Aside {
  seq: number;
  frames: Uint8Array[];
}

export class SharedRingReader {
  onReadable: (() => void) | undefined = undefined;
  onDone: (() => void) | undefined = undefined;
  readonly stats: RingStats = { parks: 0, notifies: 0, refusals: 0, aside: 0 };

  readonly #ring: RingViews;
  readonly #control: Int32Array;
  readonly #port: RingPort;
  readonly #giveBackEvery: number;
  readonly #halfRing: number;
  readonly #aside = new Map<number, Message>();
  #head = 0;
  #given = 0;
  #tail = 0;
  #asideTaken = 0;
  #asideGiven = 0;
  #awaitingAside = false;
  #parking: Parking | undefined = undefined;
  #done = false;
  #closed = false;
  readonly #holdsLoop: boolean;

  /**
   * `holdsLoop` false: a park for messages does not keep the thread alive (a socket's pending
   * receive does that, as for any transport); the default suits a thread that only reads.
   */
  constructor(end: SharedRingEnd<RingPort>, holdsLoop = true) {
    this.#holdsLoop = holdsLoop;
    this.#ring = ringViews(end.buffer);
    this.#control = this.#ring.control;
    this.#giveBackEvery = (this.#ring.mask + 1) >>> 2;
    this.#halfRing = (this.#ring.mask + 1) >>> 1;
    this.#head = this.#given = this.#tail = Atomics.load(this.#control, HEAD) >>> 0;
    this.#port = end.port;
    this.#port.on("message", this.#onAside);
    this.#port.unref(); // only a reader that waits keeps its thread alive
  }

  /** The writer ended and everything it wrote has been read. */
  get done(): boolean {
    return this.#done;
  }

  read(): Message | undefined {
    if (this.#done || this.#closed) return undefined;
    if (this.#head === this.#tail && !this.#prefetch()) {
      this.#wait();
      return undefined;
    }
    const ring = this.#ring;
    const tag = getU32(ring, this.#head);
    let message: Message;
    let end: number;
    if (tag === END) {
      this.#head = (this.#head + END_SIZE) >>> 0;
      this.#giveBack();
      this.#finish();
      return undefined;
    } else if (tag >= ASIDE) {
      const seq = getU32(ring, (this.#head + 4) >>> 0);
      const frames = this.#aside.get(seq);
      if (frames === undefined) {
        this.#awaitAside();
        return undefined;
      }
      this.#aside.delete(seq);
      this.#asideTaken = (seq + 1) >>> 0;
      message = frames;
      end = (this.#head + 8) >>> 0;
    } else {
      message = new Array<Buffer>(tag);
      end = decodeInline(ring, (this.#head + 4) >>> 0, message);
    }
    this.#head = end;
    if (((end - this.#given) >>> 0) >= this.#giveBackEvery) this.#giveBack();
    return message;
  }

  /** True when a message is waiting; otherwise arms onReadable (as Pipe.checkRead). */
  checkRead(): boolean {
    if (this.#done || this.#closed) return false;
    if (this.#head !== this.#tail || this.#prefetch()) return true;
    this.#wait();
    return false;
  }

  /** The reader is gone: the writer's later writes are refused once the ring fills. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#parking?.cancel();
    this.#parking = undefined;
    if (this.#awaitingAside) this.#port.unref();
    Atomics.store(this.#control, CLOSED, 1);
    // Wake a writer parked for room through the cell it waits on: HEAD moves to a value it does
    // not hold now (a bare notify could land just before the writer's waitAsync and be lost).
    // The writer checks CLOSED on every wake and no longer trusts HEAD.
    publish(this.#control, HEAD, WRITER_PARKED, (this.#given ^ 0x80000000) >>> 0);
    this.#port.close();
  }

  /** One atomic load takes the whole published batch (after giving back the one just read). */
  #prefetch(): boolean {
    this.#giveBack();
    this.#tail = Atomics.load(this.#control, TAIL) >>> 0;
    return this.#tail !== this.#head;
  }

  #giveBack(): void {
    if (this.#head === this.#given) return;
    this.#given = this.#head;
    // Before HEAD, so a writer woken by HEAD also sees how many aside messages are gone.
    if (this.#asideTaken !== this.#asideGiven) {
      this.#asideGiven = this.#asideTaken;
      Atomics.store(this.#control, ASIDE_TAKEN, this.#asideTaken | 0);
    }
    // A writer parked for room is woken only once half the ring is free, as libzmq wakes a
    // writer at its pipe's low-water mark: a notify costs this thread ~20 µs (far more when the
    // woken thread takes its core), the time of ~100 small messages. A ring read empty always
    // wakes it (the loaded tail may be stale: that only wakes it sooner).
    if (((this.#tail - this.#head) >>> 0) > this.#halfRing) Atomics.store(this.#control, HEAD, this.#head | 0);
    else if (publish(this.#control, HEAD, WRITER_PARKED, this.#head)) this.stats.notifies++;
  }

  #wait(): void {
    if (this.#done || this.#closed || this.#parking !== undefined) return;
    this.stats.parks++;
    this.#parking = park(this.#control, TAIL, READER_PARKED, this.#tail, () => {
      this.#parking = undefined;
      this.onReadable?.();
    }, this.#holdsLoop);
  }

  #finish(): void {
    this.#done = true;
    this.#port.close();
    this.onDone?.();
  }

  #awaitAside(): void {
    if (this.#awaitingAside) return;
    this.#awaitingAside = true;
    this.#giveBack(); // a stall ends the batch: hand back what was read so the writer can go on
    this.#port.ref();
  }

  readonly #onAside = (data: Aside): void => {
    const frames = data.frames;
    const message = new Array<Buffer>(frames.length);
    for (let i = 0; i < frames.length; i++) {
      const f = frames[i]!;
      message[i] = Buffer.from(f.buffer, f.byteOffset, f.byteLength);
    }
    this.stats.aside++;
    this.#aside.set(data.seq, message);
    if (!this.#awaitingAside) return;
    this.#awaitingAside = false;
    this.#port.unref();
    this.onReadable?.();
  };
}

/**
 * Closes a ring whose reader's thread died without closing it, from another thread (the
 * reader is gone for good): its writer stops waiting for room and sees the ring closed.
 */
export function closeForDeadReader(buffer: SharedArrayBuffer): void {
  const { control } = ringViews(buffer);
  Atomics.store(control, CLOSED, 1);
  publish(control, HEAD, WRITER_PARKED, (Atomics.load(control, HEAD) ^ 0x80000000) >>> 0);
}
