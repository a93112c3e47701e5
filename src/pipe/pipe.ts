import type { Message } from "../message";
import { RingQueue } from "../util/ring-queue";

/**
 * A bounded one-way queue of whole messages between one writer and one reader
 * (socket → engine, engine → socket, or socket → socket for inproc).
 *
 * Signals, as libzmq's ypipe does them, once per batch and not once per message:
 * - `onReadable` fires when a write lands in a pipe whose reader last found it empty
 *   (or when the writer ends the pipe while the reader waits).
 * - `onWritable` fires when a read brings a pipe that refused a write down to its
 *   low-water mark.
 *
 * The high-water mark counts messages; 0 means no limit. With `conflate` the pipe holds
 * at most one message and a write replaces it (libzmq's ZMQ_CONFLATE).
 *
 * Life cycle, one line per state:
 * - open: writes and reads both work.
 * - ended: the writer called end(); the reader drains what is queued, then `done` is true.
 * - closed: the reader called close(); what was queued is dropped and writes are refused.
 *
 * `onDone` fires once, when an ended pipe has been read empty (at end() if it already was).
 */
export class Pipe {
  onReadable: (() => void) | undefined = undefined;
  onWritable: (() => void) | undefined = undefined;
  onDone: (() => void) | undefined = undefined;

  readonly #queue = new RingQueue<Message>();
  readonly #hwm: number;
  readonly #lwm: number;
  readonly #conflate: boolean;
  #readerWaiting = true;
  #writerWaiting = false;
  #ended = false;
  #closed = false;

  constructor(hwm: number, conflate = false) {
    this.#hwm = hwm > 0 ? hwm : 0;
    this.#lwm = this.#hwm > 0 ? Math.max(0, Math.ceil(this.#hwm / 2) - 1) : 0;
    this.#conflate = conflate;
  }

  get length(): number {
    return this.#queue.length;
  }

  get hwm(): number {
    return this.#hwm;
  }

  /** True when a write would be refused right now. */
  get full(): boolean {
    if (this.#closed || this.#ended) return true;
    return !this.#conflate && this.#hwm > 0 && this.#queue.length >= this.#hwm;
  }

  /** The writer has ended the pipe and the reader has taken everything. */
  get done(): boolean {
    return (this.#ended || this.#closed) && this.#queue.length === 0;
  }

  get ended(): boolean {
    return this.#ended;
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Queues a message. Returns false (and queues nothing) when full or closed; the writer then waits for onWritable. */
  write(message: Message): boolean {
    if (this.#closed || this.#ended) return false;
    if (this.#conflate) {
      if (this.#queue.length > 0) this.#queue.shift();
    } else if (this.#hwm > 0 && this.#queue.length >= this.#hwm) {
      this.#writerWaiting = true;
      return false;
    }
    this.#queue.push(message);
    if (this.#readerWaiting) {
      this.#readerWaiting = false;
      this.onReadable?.();
    }
    return true;
  }

  /** Takes the oldest message, or undefined when empty (the reader is then signalled on the next write). */
  read(): Message | undefined {
    const message = this.#queue.shift();
    if (message === undefined) {
      this.#readerWaiting = true;
      return undefined;
    }
    if (this.#writerWaiting && this.#queue.length <= this.#lwm) {
      this.#writerWaiting = false;
      this.onWritable?.();
    }
    if (this.#ended && this.#queue.length === 0) this.onDone?.();
    return message;
  }

  /** True when a write would be taken now; otherwise arms the writer so onWritable fires once there is room. */
  checkWrite(): boolean {
    if (!this.full) return true;
    if (!this.#closed && !this.#ended) this.#writerWaiting = true;
    return false;
  }

  /** True when a message is waiting; otherwise arms the reader so the next write signals onReadable. */
  checkRead(): boolean {
    if (this.#queue.length > 0) return true;
    this.#readerWaiting = true;
    return false;
  }

  peek(): Message | undefined {
    return this.#queue.peek();
  }

  /** The writer will write no more. The reader still gets what is queued. */
  end(): void {
    if (this.#ended || this.#closed) return;
    this.#ended = true;
    if (this.#queue.length === 0) this.onDone?.();
    if (this.#readerWaiting) {
      this.#readerWaiting = false;
      this.onReadable?.();
    }
  }

  /** The reader is gone: drop what is queued and discard later writes. Wakes a waiting writer. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#queue.clear();
    if (this.#writerWaiting) {
      this.#writerWaiting = false;
      this.onWritable?.();
    }
  }

  /** Removes every queued message, keeping the pipe open (used when a pattern discards a peer's backlog). */
  drain(each?: (message: Message) => void): void {
    this.#queue.clear(each);
    if (this.#writerWaiting) {
      this.#writerWaiting = false;
      this.onWritable?.();
    }
  }
}
