/**
 * How the decoder gathers a frame body that straddles reads: never by the size the peer
 * declares (it may announce 2^62 octets and send three), but by what has arrived.
 */

/** The first buffer of a straddling body is at most this size (or the body's, if smaller). */
export const BODY_FIRST_STEP = 64 * 1024;

/**
 * Each growth copies what arrived so far: growing 4-fold, a 1 MiB body is copied 0.3 times
 * over (64 KiB, 256 KiB) where doubling copies it 0.9 times (measured: 0.3 ms per 1 MiB
 * message, a third of the receiver's CPU).
 */
export const BODY_GROWTH = 4;

/**
 * The buffer a body of `size` octets gets once `arrived` of them are in: BODY_GROWTH times
 * what arrived (at least BODY_FIRST_STEP), or the whole body when that would leave less than
 * BODY_FIRST_STEP of it out. Without that last rule a 1 MiB body grows to 4 × (256 KiB − 36)
 * (its first read also carried the header) and then once more, to 1 MiB, copying it all again.
 * So what a peer makes us hold stays below BODY_GROWTH × what it sent + BODY_FIRST_STEP.
 */
export function bodyCapacity(size: number, arrived: number): number {
  const grown = Math.max(BODY_FIRST_STEP, BODY_GROWTH * arrived);
  return size - grown < BODY_FIRST_STEP ? size : grown;
}

/**
 * The largest step buffer kept for the next body. A step buffer (one smaller than its body)
 * is replaced by a larger one before the body is whole, so it never reaches the application
 * and can serve the next body. One is kept per thread, not per connection: memory stays
 * bounded however many connections receive large messages.
 */
export const SPARE_STEP_LIMIT = 1024 * 1024;

let spare: Buffer | undefined;

/**
 * A buffer of `capacity` octets for a body of `size`. A step buffer comes from the spare
 * when it is large enough: a fresh 256 KiB step per 1 MiB message is memory the allocator
 * gets from the kernel and gives back again (brk calls, page faults: measured up to twice the
 * receiver's system time), on top of the copy.
 */
export function bodyBuffer(capacity: number, size: number): Buffer {
  if (capacity < size && spare !== undefined && spare.length >= capacity) {
    const taken = spare;
    spare = undefined;
    return taken.subarray(0, capacity);
  }
  return Buffer.allocUnsafe(capacity);
}

/**
 * A step buffer the decoder has moved out of: kept as the spare if it is the largest seen
 * within SPARE_STEP_LIMIT. The caller holds no other reference to it that it will use again.
 */
export function releaseStep(step: Buffer): void {
  // Steps are at least BODY_FIRST_STEP long, so each has an ArrayBuffer of its own (Node pools only small Buffers).
  const whole = step.buffer;
  if (whole.byteLength > SPARE_STEP_LIMIT || (spare !== undefined && spare.length >= whole.byteLength)) return;
  spare = Buffer.from(whole);
}
