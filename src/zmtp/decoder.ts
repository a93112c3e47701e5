import { constants } from "node:buffer";
import { EMPTY, type Message } from "../message";
import { bodyBuffer, bodyCapacity, releaseStep } from "./body-growth";
import { COMMAND, LONG, LONG_HEADER, MORE, SHORT_HEADER } from "./frame-flags";
import { ProtocolError } from "./protocol-error";

/**
 * Frame bodies shorter than this are copied out of the received chunk; longer ones are
 * delivered as views (`subarray`). A view costs nothing but pins the whole chunk (up to
 * 64 KiB from a socket) for as long as the application holds the frame; a copy of a small
 * frame is cheap and lets the chunk go. Tune with measurements (DESIGN.md, 24.5).
 */
export const COPY_BELOW = 256;

export { BODY_FIRST_STEP, BODY_GROWTH } from "./body-growth";

/**
 * With at least this much of a body still to come, readBuffer() offers the body itself, so
 * that the next read lands in place. Below it, reading into a shared buffer and copying costs
 * less than a read of its own (libzmq's decoder makes the same choice).
 */
export const READ_IN_PLACE_FROM = 16 * 1024;

/** Where decoded traffic goes. Returning false from `message`/`command` stops the decoder. */
export interface DecoderSink {
  /** One whole message (every frame of it, RFC 37 "Messages": delivered atomically). */
  message(msg: Message): boolean;
  /** One command frame's body (name + data). */
  command(body: Buffer): boolean;
  /** The peer broke the framing rules; the decoder ignores all later input. */
  error(err: ProtocolError): void;
}

export interface DecoderOptions {
  /** Largest frame body accepted, -1 for no limit (libzmq's ZMQ_MAXMSGSIZE is checked per frame). */
  maxMessageSize?: number;
  /** See COPY_BELOW. */
  copyBelow?: number;
}

/**
 * The part of a frame held across chunks (at most one frame header ahead):
 * - header: the first `have` octets of a frame header sit in `#header`.
 * - body: the header was read; the first `have` body octets sit in `body`, which grows
 *   towards `size` as they arrive (body-growth.ts).
 * At a frame boundary there is no partial frame (`undefined`): that is the fast path.
 */
type PartialFrame =
  | { step: "header"; have: number }
  | { step: "body"; flags: number; size: number; have: number; body: Buffer };

/**
 * Decodes ZMTP 3.x frames (RFC 23 / RFC 37 "Framing") from chunks of any size and
 * assembles messages from them. Lifecycle: running → stopped (a sink returned false;
 * `resume()` goes back to running) → closed (protocol error or `close()`; input ignored).
 */
export class FrameDecoder {
  readonly #sink: DecoderSink;
  #maxMessageSize: number;
  readonly #copyBelow: number;
  readonly #header = Buffer.alloc(LONG_HEADER);
  #partial: PartialFrame | undefined = undefined;
  /** Frames of a multipart message received so far (all had MORE set). */
  #parts: Buffer[] | undefined = undefined;
  #chunk: Buffer = EMPTY;
  #offset = 0;
  /** Chunks written while stopped; normally empty, as the engine pauses its stream. */
  readonly #backlog: Buffer[] = [];
  #state: "running" | "stopped" | "closed" = "running";
  /** A frame delivered since the last write() is a view of that chunk. */
  #lent = false;

  constructor(sink: DecoderSink, options: DecoderOptions = {}) {
    this.#sink = sink;
    this.#maxMessageSize = options.maxMessageSize ?? -1;
    this.#copyBelow = options.copyBelow ?? COPY_BELOW;
  }

  /** The frame size limit (-1 = none); a change applies from the next frame header on. */
  get maxMessageSize(): number {
    return this.#maxMessageSize;
  }

  set maxMessageSize(limit: number) {
    this.#maxMessageSize = limit;
  }

  get stopped(): boolean {
    return this.#state === "stopped";
  }

  get closed(): boolean {
    return this.#state === "closed";
  }

  /** Input received but not decoded yet (the decoder stopped before reaching it). */
  get hasPendingInput(): boolean {
    return this.#offset < this.#chunk.length || this.#backlog.length > 0;
  }

  /**
   * The chunk last written must stay as it is: a frame was delivered as a view of it, or
   * part of it is not decoded yet. Otherwise its buffer may be filled again.
   */
  get keepsChunk(): boolean {
    return this.#lent || this.hasPendingInput;
  }

  /** Part of a frame or of a multipart message is held: the stream ending now would truncate it. */
  get midMessage(): boolean {
    return this.#partial !== undefined || this.#parts !== undefined;
  }

  write(chunk: Buffer): void {
    if (this.#state === "closed" || chunk.length === 0) return;
    if (this.#state === "stopped") {
      this.#backlog.push(chunk);
      return;
    }
    this.#lent = false;
    this.#chunk = chunk;
    this.#offset = 0;
    this.#run();
  }

  /**
   * Where the next bytes from the stream should land, when they belong to a large body
   * being gathered: the body's free part, so they are read in place with no copy. Grows
   * the body first if it is full. Undefined: read them anywhere and write() them.
   */
  readBuffer(): Buffer | undefined {
    const partial = this.#partial;
    if (partial === undefined || partial.step !== "body" || this.#state !== "running") return undefined;
    if (partial.size - partial.have < READ_IN_PLACE_FROM) return undefined;
    if (partial.have === partial.body.length) this.#growBody(partial, partial.have);
    return partial.body.subarray(partial.have);
  }

  /** `length` bytes were read into the buffer readBuffer() returned. */
  received(length: number): void {
    const partial = this.#partial;
    if (this.#state !== "running" || partial === undefined || partial.step !== "body") return;
    partial.have += length;
    if (partial.have < partial.size) return;
    this.#partial = undefined;
    this.#deliver(partial.flags, partial.body);
  }

  /** Continues after a sink returned false; may stop again. */
  resume(): void {
    if (this.#state !== "stopped") return;
    this.#state = "running";
    this.#run();
    while (this.#state === "running" && this.#backlog.length > 0) {
      this.#chunk = this.#backlog.shift() as Buffer;
      this.#offset = 0;
      this.#run();
    }
  }

  /** Drops everything held and ignores later input. */
  close(): void {
    this.#state = "closed";
    this.#chunk = EMPTY;
    this.#offset = 0;
    this.#partial = undefined;
    this.#parts = undefined;
    this.#backlog.length = 0;
  }

  #run(): void {
    const chunk = this.#chunk;
    const end = chunk.length;
    let pos = this.#offset;
    while (pos < end) {
      pos = this.#partial === undefined ? this.#frameAt(chunk, pos) : this.#continuePartial(chunk, pos);
      if (this.#state !== "running") {
        if (this.#state === "stopped") this.#offset = pos;
        return;
      }
    }
    this.#chunk = EMPTY;
    this.#offset = 0;
  }

  /** The fast path: a frame starts at `pos`. Returns where the next one starts. */
  #frameAt(chunk: Buffer, pos: number): number {
    const flags = chunk[pos];
    let size: number;
    let start: number;
    if ((flags & LONG) === 0) {
      if (pos + SHORT_HEADER > chunk.length) return this.#startHeader(chunk, pos);
      size = chunk[pos + 1];
      start = pos + SHORT_HEADER;
    } else {
      if (pos + LONG_HEADER > chunk.length) return this.#startHeader(chunk, pos);
      size = readSize(chunk, pos + 1);
      start = pos + LONG_HEADER;
    }
    return this.#body(flags, size, chunk, start);
  }

  /** The header is read: check it, then deliver the body or start gathering it. */
  #body(flags: number, size: number, chunk: Buffer, start: number): number {
    if (!this.#accept(flags, size)) return chunk.length;
    const stop = start + size;
    if (stop <= chunk.length) {
      this.#deliver(flags, this.#slice(chunk, start, stop));
      return stop;
    }
    const have = chunk.length - start;
    const partial: PartialFrame = { step: "body", flags, size, have: 0, body: EMPTY };
    this.#growBody(partial, have);
    chunk.copy(partial.body, 0, start);
    partial.have = have;
    this.#partial = partial;
    return chunk.length;
  }

  #startHeader(chunk: Buffer, pos: number): number {
    chunk.copy(this.#header, 0, pos);
    this.#partial = { step: "header", have: chunk.length - pos };
    return chunk.length;
  }

  #continuePartial(chunk: Buffer, pos: number): number {
    const partial = this.#partial as PartialFrame;
    if (partial.step === "header") {
      const header = this.#header;
      const need = (header[0] & LONG) === 0 ? SHORT_HEADER : LONG_HEADER;
      const take = Math.min(need - partial.have, chunk.length - pos);
      chunk.copy(header, partial.have, pos, pos + take);
      partial.have += take;
      if (partial.have < need) return chunk.length;
      this.#partial = undefined;
      const size = need === SHORT_HEADER ? header[1] : readSize(header, 1);
      return this.#body(header[0], size, chunk, pos + take);
    }
    const take = Math.min(partial.size - partial.have, chunk.length - pos);
    if (partial.have + take > partial.body.length) this.#growBody(partial, partial.have + take);
    chunk.copy(partial.body, partial.have, pos, pos + take);
    partial.have += take;
    if (partial.have < partial.size) return chunk.length;
    this.#partial = undefined;
    this.#deliver(partial.flags, partial.body);
    return pos + take;
  }

  /** Makes room for `arrived` body octets (body-growth.ts); the step it grows out of may serve the next body. */
  #growBody(partial: PartialFrame & { step: "body" }, arrived: number): void {
    const step = partial.body;
    const body = bodyBuffer(bodyCapacity(partial.size, arrived), partial.size);
    if (partial.have > 0) step.copy(body, 0, 0, partial.have);
    partial.body = body;
    if (step.length > 0) releaseStep(step);
  }

  /** Header checks, before a single body octet is stored. */
  #accept(flags: number, size: number): boolean {
    if ((flags & COMMAND) !== 0) {
      // RFC 37 "Framing": the MORE bit "SHALL be zero on command frames".
      if ((flags & MORE) !== 0) return this.#fail("EPROTO", "command frame with the MORE flag set");
      // RFC 37 grammar: traffic = *(command | message); a command cannot split a message.
      if (this.#parts !== undefined) return this.#fail("EPROTO", "command frame inside a multipart message");
    }
    if (this.#maxMessageSize >= 0 && size > this.#maxMessageSize) {
      return this.#fail("EMSGSIZE", `frame of ${size} bytes exceeds the limit of ${this.#maxMessageSize}`);
    }
    if (size > constants.MAX_LENGTH) return this.#fail("EMSGSIZE", `frame of ${size} bytes exceeds the largest Buffer`);
    return true;
  }

  #slice(chunk: Buffer, start: number, stop: number): Buffer {
    const size = stop - start;
    if (size === 0) return EMPTY;
    if (size >= this.#copyBelow) {
      this.#lent = true;
      return chunk.subarray(start, stop);
    }
    const copy = Buffer.allocUnsafe(size);
    if (size <= 32) for (let i = 0; i < size; i++) copy[i] = chunk[start + i];
    else chunk.copy(copy, 0, start, stop);
    return copy;
  }

  #deliver(flags: number, body: Buffer): void {
    if ((flags & COMMAND) !== 0) {
      if (!this.#sink.command(body)) this.#stop();
      return;
    }
    const parts = this.#parts;
    if ((flags & MORE) !== 0) {
      if (parts === undefined) this.#parts = [body];
      else parts.push(body);
      return;
    }
    let message: Message;
    if (parts === undefined) {
      message = [body];
    } else {
      parts.push(body);
      message = parts;
      this.#parts = undefined;
    }
    if (!this.#sink.message(message)) this.#stop();
  }

  #stop(): void {
    if (this.#state === "running") this.#state = "stopped";
  }

  #fail(code: "EPROTO" | "EMSGSIZE", message: string): false {
    this.close();
    this.#sink.error(new ProtocolError(code, message));
    return false;
  }
}

/** An 8-octet network-order size. Sizes past 2^53 lose precision but stay far above MAX_LENGTH. */
function readSize(buffer: Buffer, offset: number): number {
  return buffer.readUInt32BE(offset) * 0x1_0000_0000 + buffer.readUInt32BE(offset + 4);
}
