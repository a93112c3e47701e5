// The two ends of a PUSH -> PULL stream, shared by the tcp/ipc peers and the inproc peer.
//
// Runs are time-bounded rather than count-bounded, because the two libraries differ by up to
// an order of magnitude: the sender sends for a fixed time, then sends an end marker carrying
// its count. Throughput exists only at an endpoint (seed §24.3), so each side times itself:
// - sender: from its first send() to its last send() resolved (queued, not delivered);
// - receiver: from its first data message to the end marker, which follows the last data
//   message on the same connection. The receiver checks that it got every message sent.
// Data messages are one frame of `size` bytes; control messages (hello, end) have two frames,
// so telling them apart costs one length check per message.
import type { Pull, Push } from "zeromq";
import type { HeapCount, HeapMeter } from "./heap-meter";

export interface SideTiming {
  messages: number; // messages inside the timed interval
  bytes: number;
  seconds: number;
}

export interface ReceiverTiming extends SideTiming {
  heap?: HeapCount & { messages: number };
}

const HELLO = ["ctl", "hello"];

/** Sent before the timed run: once it has arrived, the connection is up and both ends are ready. */
export async function sendHello(push: Push): Promise<void> {
  await push.send(HELLO);
}

export async function receiveHello(pull: Pull): Promise<void> {
  const message = await pull.receive();
  if (message.length !== 2 || message[1].toString() !== "hello") throw new Error("expected the hello message first");
}

export async function sendFor(push: Push, size: number, seconds: number): Promise<SideTiming> {
  const payload = Buffer.alloc(size, "m");
  // Reading the clock costs about as much as a small send, so look at it every 64 messages.
  const batch = size >= 16384 ? 1 : 64;
  const start = performance.now();
  const deadline = start + seconds * 1000;
  let count = 0;
  let now = start;
  while (now < deadline) {
    for (let i = 0; i < batch; i++) await push.send(payload);
    count += batch;
    now = performance.now();
  }
  await push.send(["ctl", String(count)]);
  return { messages: count, bytes: count * size, seconds: (now - start) / 1000 };
}

/**
 * Receives until the end marker. With a meter, the first `warmSeconds` are not metered (JIT,
 * buffers growing to size), then the heap allocated per message is counted to the end.
 */
export async function receiveUntilEnd(pull: Pull, size: number, meter?: HeapMeter, warmSeconds = 0): Promise<ReceiverTiming> {
  checkData(await pull.receive(), size);
  const start = performance.now();
  let received = 0; // after the first
  let metered = -1; // messages received when the meter started
  let message: Buffer[];
  if (meter) {
    const warmUntil = start + warmSeconds * 1000;
    for (;;) {
      message = await pull.receive();
      if (message.length !== 1) break;
      checkData(message, size);
      received++;
      if ((received & 1023) === 0 && metered < 0 && performance.now() >= warmUntil) {
        meter.start();
        metered = received;
      }
    }
  } else {
    // The plain loop: nothing in it but the receive and the check.
    for (;;) {
      message = await pull.receive();
      if (message.length !== 1) break;
      if (message[0].length !== size) checkData(message, size);
      received++;
    }
  }
  const end = performance.now();
  const heap = meter && metered >= 0 ? { ...meter.stop(), messages: received - metered } : undefined;
  const sent = Number(message[1].toString());
  if (received + 1 !== sent) throw new Error(`lost messages: the sender sent ${sent}, the receiver got ${received + 1}`);
  return { messages: received, bytes: received * size, seconds: (end - start) / 1000, heap };
}

function checkData(message: Buffer[], size: number): void {
  if (message.length !== 1 || message[0].length !== size) {
    throw new Error(`expected one ${size}-byte frame, got frames of ${message.map((f) => f.length).join(", ")} bytes`);
  }
}
