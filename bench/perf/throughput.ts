// The two halves of a throughput measurement, shared by local-thr/remote-thr and `npm run bench`.
// Throughput exists only at an endpoint, so each side times itself: the receiver from its first
// message to its last, the sender from its first send to its last send resolved (queued).
import type { Pull, Push } from "zeromq";

export interface Timing {
  messages: number; // messages inside the timed interval
  bytes: number;
  seconds: number;
}

export async function receiveMessages(socket: Pull, size: number, count: number): Promise<Timing> {
  check(await socket.receive(), size);
  // The clock starts at the first message, so that one is not counted.
  const start = performance.now();
  for (let i = 1; i < count; i++) check(await socket.receive(), size);
  const seconds = (performance.now() - start) / 1000;
  return { messages: count - 1, bytes: (count - 1) * size, seconds };
}

export async function sendMessages(socket: Push, size: number, count: number): Promise<Timing> {
  const payload = Buffer.alloc(size, "m");
  const start = performance.now();
  for (let i = 0; i < count; i++) await socket.send(payload);
  const seconds = (performance.now() - start) / 1000;
  return { messages: count, bytes: count * size, seconds };
}

export function messagesPerSecond(timing: Timing): number {
  return timing.messages / timing.seconds;
}

/** Megabytes (10^6 bytes) per second. */
export function megabytesPerSecond(timing: Timing): number {
  return timing.bytes / timing.seconds / 1e6;
}

export function describe(timing: Timing): string {
  const rate = Math.round(messagesPerSecond(timing)).toLocaleString("en-US");
  return `${rate} msg/s, ${megabytesPerSecond(timing).toFixed(1)} MB/s (${timing.messages} messages in ${timing.seconds.toFixed(3)} s)`;
}

function check(message: Buffer[], size: number): void {
  if (message.length !== 1 || message[0].length !== size) {
    throw new Error(`expected one ${size}-byte frame, got frames of ${message.map((f) => f.length).join(", ")} bytes`);
  }
}
