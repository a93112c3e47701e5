import type { Message } from "../message";
import { COMMAND, LONG, LONG_HEADER, MORE, SHORT_HEADER, SHORT_MAX } from "./frame-flags";

/**
 * Frame bodies shorter than this are copied, header and all, into the current batch
 * buffer; longer bodies are passed on by reference behind a header (as ws's Sender does),
 * so a 1 MiB frame is never copied.
 */
export const INLINE_BELOW = 8 * 1024;
/** Size of each batch buffer. A new one is allocated when the current one is full. */
export const BATCH_SIZE = 16 * 1024;
/**
 * Bodies shorter than this are copied byte by byte; longer ones with TypedArray set(), whose
 * fixed cost (about that of copying 8 bytes in a loop) is less than Buffer.copy()'s call into C++.
 */
const COPY_LOOP_BELOW = 8;

export interface EncoderOptions {
  inlineBelow?: number;
  batchSize?: number;
}

/**
 * Turns messages and commands into ZMTP 3.x frames (RFC 37 "Framing") for one write.
 * Short frames (0-255 octets) get a 1-octet size, longer ones 8 octets in network
 * order; every frame of a message but the last carries MORE.
 *
 * The batch buffer is written front to back and never rewritten: `take()` hands out a
 * view of the bytes written since the last take and the next frames go after them, so
 * buffers already given to the stream stay untouched while the kernel reads them.
 */
export class FrameEncoder {
  readonly #inlineBelow: number;
  readonly #batchSize: number;
  #batch: Buffer = Buffer.alloc(0);
  /** Start of the bytes not yet handed out by take(). */
  #start = 0;
  /** Where the next byte goes. */
  #pos = 0;
  #out: Buffer[] = [];
  #pending = 0;

  constructor(options: EncoderOptions = {}) {
    this.#inlineBelow = options.inlineBelow ?? INLINE_BELOW;
    this.#batchSize = options.batchSize ?? BATCH_SIZE;
  }

  /** Bytes encoded and not yet taken. */
  get pendingBytes(): number {
    return this.#pending;
  }

  message(msg: Message): void {
    const last = msg.length - 1;
    for (let i = 0; i < last; i++) this.#frame(msg[i], MORE);
    if (last >= 0) this.#frame(msg[last], 0);
  }

  /** One command frame; `body` is the command name and data (see commands.ts). */
  command(body: Buffer): void {
    this.#frame(body, COMMAND);
  }

  /** The buffers to write, in order; the encoder is empty afterwards. */
  take(): Buffer[] {
    this.#cut();
    const out = this.#out;
    this.#out = [];
    this.#pending = 0;
    return out;
  }

  #frame(body: Buffer, flags: number): void {
    const size = body.length;
    const header = size > SHORT_MAX ? LONG_HEADER : SHORT_HEADER;
    if (size < this.#inlineBelow) {
      if (this.#batch.length - this.#pos < header + size) this.#renew(header + size);
      const batch = this.#batch;
      const at = writeHeader(batch, this.#pos, flags, size);
      if (size < COPY_LOOP_BELOW) for (let i = 0; i < size; i++) batch[at + i] = body[i];
      else batch.set(body, at);
      this.#pos = at + size;
    } else {
      if (this.#batch.length - this.#pos < header) this.#renew(header);
      this.#pos = writeHeader(this.#batch, this.#pos, flags, size);
      this.#cut();
      this.#out.push(body);
    }
    this.#pending += header + size;
  }

  /**
   * Starts a new batch buffer with room for `bytes` more. The bytes encoded since the last
   * cut move along with it when they are few, so that a flush of small messages stays one
   * buffer (one write(), not a corked writev); each byte moves at most once.
   */
  #renew(bytes: number): void {
    const old = this.#batch;
    const run = this.#pos - this.#start;
    const carry = run > 0 && run <= this.#batchSize >> 1;
    if (!carry) this.#cut();
    this.#batch = Buffer.allocUnsafe(Math.max(this.#batchSize, bytes + (carry ? run : 0)));
    if (carry) this.#batch.set(old.subarray(this.#start, this.#pos), 0);
    this.#start = 0;
    this.#pos = carry ? run : 0;
  }

  /** Moves the bytes written since the last cut to the output list. */
  #cut(): void {
    if (this.#pos === this.#start) return;
    this.#out.push(this.#batch.subarray(this.#start, this.#pos));
    this.#start = this.#pos;
  }
}

/** Writes a frame header at `at`; returns where the body goes. */
function writeHeader(batch: Buffer, at: number, flags: number, size: number): number {
  if (size <= SHORT_MAX) {
    batch[at] = flags;
    batch[at + 1] = size;
    return at + SHORT_HEADER;
  }
  batch[at] = flags | LONG;
  batch.writeUInt32BE(Math.floor(size / 0x1_0000_0000), at + 1);
  batch.writeUInt32BE(size >>> 0, at + 5);
  return at + LONG_HEADER;
}
