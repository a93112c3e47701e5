// Numbered messages for the cross-thread tests: frame 0 is the number, frame 1 (when size > 0)
// a body of `size` bytes that follow from the number, so order, loss and content are all checked.
import type { Message } from "../../src/message";

export function numbered(i: number, size: number): Message {
  const head = Buffer.allocUnsafe(4);
  head.writeUInt32LE(i);
  if (size === 0) return [head];
  const body = Buffer.alloc(size);
  for (let j = 0; j < size; j += 4096) body[j] = (i + j) & 0xff;
  body[size - 1] = i & 0xff;
  return [head, body];
}

export function checkNumbered(message: Buffer[], i: number, size: number): void {
  const got = message[0]?.length === 4 ? message[0].readUInt32LE() : -1;
  if (got !== i) throw new Error(`expected message ${i}, got ${got}`);
  if (message.length !== (size === 0 ? 1 : 2)) throw new Error(`message ${i}: ${message.length} frames`);
  if (size > 0 && !message[1]!.equals(numbered(i, size)[1]!)) throw new Error(`message ${i}: body differs`);
}
