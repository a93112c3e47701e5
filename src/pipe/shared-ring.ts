/**
 * A lock-free single-producer single-consumer pipe between two threads (worker_threads), on
 * one SharedArrayBuffer: the queue of seed §24.9 with its batching, written and read by two
 * event loops that never block (§24.8).
 *
 *   const { writer, reader } = createSharedRing(1 << 20);
 *   new Worker(file, { workerData: { ring: reader }, transferList: [reader.port] });
 *   const w = new SharedRingWriter(writer);          // here
 *   const r = new SharedRingReader(workerData.ring); // in the worker
 *
 * Each end is a plain object (the SharedArrayBuffer, shared, and one MessagePort of a
 * channel, transferred) so it crosses postMessage or workerData as is. The port carries
 * large messages by transfer (shared-ring-writer.ts); the ring carries everything else.
 *
 * The two ends follow Pipe's contract: write() returns false when the ring is full and
 * onWritable follows; read() returns undefined when it is empty and onReadable follows;
 * end() lets the reader drain, then onDone. There is no high-water mark in messages:
 * the ring's size in bytes is the bound.
 */
import { MessageChannel, type MessagePort } from "node:worker_threads";
import { CONTROL_BYTES } from "./shared-ring-codec";

export { SharedRingReader, closeForDeadReader } from "./shared-ring-reader";
export { SharedRingWriter, DEFAULT_ASIDE_THRESHOLD, endForDeadWriter } from "./shared-ring-writer";

/**
 * The side channel that carries large messages. A MessagePort fits; so does anything with its
 * few methods (inproc-threads.ts uses a BroadcastChannel, which can reach a thread no port can).
 */
export interface RingPort {
  postMessage(value: unknown, transfer?: readonly ArrayBuffer[]): void;
  on(event: "message", listener: (value: any) => void): unknown;
  ref(): void;
  unref(): void;
  close(): void;
}

/** What one thread needs to open its end. */
export interface SharedRingEnd<Port extends RingPort = MessagePort> {
  buffer: SharedArrayBuffer;
  port: Port;
}

/** Counters for tests and benchmarks: how often each end parked, notified, refused, sent aside. */
export interface RingStats {
  parks: number;
  notifies: number;
  refusals: number;
  aside: number;
}

export const DEFAULT_RING_BYTES = 1 << 20;

/** Allocates a ring of `bytes` (rounded up to a power of two) and the two ends to hand out. */
export function createSharedRing(bytes = DEFAULT_RING_BYTES): { writer: SharedRingEnd; reader: SharedRingEnd } {
  const buffer = createRingBuffer(bytes);
  const { port1, port2 } = new MessageChannel();
  return { writer: { buffer, port: port1 }, reader: { buffer, port: port2 } };
}

/** The shared memory of a ring of `bytes` (rounded up to a power of two), for ends whose port is not a MessagePort. */
export function createRingBuffer(bytes = DEFAULT_RING_BYTES): SharedArrayBuffer {
  let size = 64;
  while (size < bytes) size *= 2;
  if (size > 1 << 30) throw new RangeError("shared ring: at most 1 GiB");
  return new SharedArrayBuffer(CONTROL_BYTES + size);
}
