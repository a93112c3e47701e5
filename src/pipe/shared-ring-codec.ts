/**
 * The byte layout of a shared ring (seed §24.9): a control block of Int32 cells, then a
 * power-of-two byte ring of message records. No I/O and no atomics here: only the writer
 * and the reader (shared-ring-writer.ts, shared-ring-reader.ts) touch the control block.
 *
 *   control block (CONTROL_BYTES): the writer's cells on one cache line, the reader's on
 *   another, so the two threads never write the same line (no false sharing).
 *     TAIL           bytes published by the writer (a u32 counter that wraps at 2^32)
 *     READER_PARKED  1 while the reader waits in Atomics.waitAsync on TAIL
 *     HEAD           bytes the reader has consumed and given back
 *     WRITER_PARKED  1 while the writer waits in Atomics.waitAsync on HEAD
 *     CLOSED         1 once the reader called close()
 *     ASIDE_TAKEN    how many records sent aside the reader has taken (stored just before HEAD)
 *
 *   one record = u32 tag, then per frame (u32 length, bytes), wrapping at the ring's end.
 *     tag < 2^31-1 inline: the tag is the frame count
 *     2^31-1       END: the writer ended; nothing follows
 *     tag ≥ 2^31   sent aside through the MessagePort: low bits = frame count, then u32 seq
 *
 * Positions are free-running u32 counters; `pos & mask` is the offset in the ring, and
 * `(tail - head) >>> 0` the bytes in use, which is why the capacity is a power of two.
 */
import type { Message } from "../message";

export const CONTROL_BYTES = 128;
export const TAIL = 0;
export const READER_PARKED = 1;
export const HEAD = 16;
export const WRITER_PARKED = 17;
export const CLOSED = 18;
export const ASIDE_TAKEN = 19;

export const ASIDE = 0x80000000;
/**
 * The writer's end travels in the ring as a record, published by the same TAIL store as data:
 * a reader parked on TAIL is then always woken by a change of TAIL, never by a bare notify
 * that could land just before its waitAsync and be lost. The writer keeps END_SIZE bytes free.
 */
export const END = 0x7fffffff;
export const END_SIZE = 4;

/** The two views both ends make over one SharedArrayBuffer. */
export interface RingViews {
  control: Int32Array;
  bytes: Uint8Array;
  mask: number;
}

export function ringViews(buffer: SharedArrayBuffer): RingViews {
  const size = buffer.byteLength - CONTROL_BYTES;
  if (size < 64 || (size & (size - 1)) !== 0) throw new RangeError("shared ring: data size must be a power of two ≥ 64");
  return { control: new Int32Array(buffer, 0, CONTROL_BYTES / 4), bytes: new Uint8Array(buffer, CONTROL_BYTES, size), mask: size - 1 };
}

/** Bytes one inline record takes in the ring. */
export function inlineSize(message: Message): number {
  let size = 4;
  for (let i = 0; i < message.length; i++) size += 4 + message[i]!.length;
  return size;
}

/** A record sent aside takes only its tag and sequence number. */
export const ASIDE_SIZE = 8;

export function putU32(ring: RingViews, pos: number, value: number): void {
  const { bytes, mask } = ring;
  bytes[pos & mask] = value;
  bytes[(pos + 1) & mask] = value >>> 8;
  bytes[(pos + 2) & mask] = value >>> 16;
  bytes[(pos + 3) & mask] = value >>> 24;
}

export function getU32(ring: RingViews, pos: number): number {
  const { bytes, mask } = ring;
  return (bytes[pos & mask]! | (bytes[(pos + 1) & mask]! << 8) | (bytes[(pos + 2) & mask]! << 16) | (bytes[(pos + 3) & mask]! << 24)) >>> 0;
}

/** Copies src into the ring at pos, in two pieces when it straddles the end. */
export function putBytes(ring: RingViews, pos: number, src: Uint8Array): void {
  const { bytes, mask } = ring;
  const at = pos & mask;
  const n = src.length;
  if (n <= 16 && at + n <= bytes.length) {
    // Short frames: a byte loop beats the two subarray views set() would need.
    for (let i = 0; i < n; i++) bytes[at + i] = src[i]!;
    return;
  }
  const first = Math.min(n, bytes.length - at);
  bytes.set(first === n ? src : src.subarray(0, first), at);
  if (first < n) bytes.set(src.subarray(first), 0);
}

/** Copies len bytes out of the ring into a fresh Buffer (the ring slot is reused after HEAD moves). */
export function getBytes(ring: RingViews, pos: number, len: number): Buffer {
  const { bytes, mask } = ring;
  const out = Buffer.allocUnsafe(len);
  const at = pos & mask;
  if (len <= 16 && at + len <= bytes.length) {
    for (let i = 0; i < len; i++) out[i] = bytes[at + i]!;
    return out;
  }
  const first = Math.min(len, bytes.length - at);
  out.set(bytes.subarray(at, at + first), 0);
  if (first < len) out.set(bytes.subarray(0, len - first), first);
  return out;
}

/** Writes one inline record at pos; returns the position after it. */
export function encodeInline(ring: RingViews, pos: number, message: Message): number {
  putU32(ring, pos, message.length);
  pos = (pos + 4) >>> 0;
  for (let i = 0; i < message.length; i++) {
    const frame = message[i]!;
    putU32(ring, pos, frame.length);
    putBytes(ring, (pos + 4) >>> 0, frame);
    pos = (pos + 4 + frame.length) >>> 0;
  }
  return pos;
}

/**
 * Reads the frames of an inline record whose tag (frame count) was already read at pos - 4
 * into `message` (an array of that length); returns the position after the record.
 */
export function decodeInline(ring: RingViews, pos: number, message: Buffer[]): number {
  for (let i = 0; i < message.length; i++) {
    const len = getU32(ring, pos);
    message[i] = getBytes(ring, (pos + 4) >>> 0, len);
    pos = (pos + 4 + len) >>> 0;
  }
  return pos;
}
