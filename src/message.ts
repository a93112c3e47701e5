/** One ZeroMQ message as it travels inside omq: its frames, in order (multipart when > 1). */
export type Message = Buffer[];

/** What `send()` accepts for one frame (zeromq.js v6 `MessageLike`). */
export type MessageLike =
  | ArrayBufferView
  | ArrayBuffer
  | SharedArrayBuffer
  | string
  | number
  | bigint
  | boolean
  | null;

/** Converts one user value to the frame's bytes, as zeromq.js does (zeromq-js-api.md §2.4). */
export function toFrame(value: unknown): Buffer {
  if (Buffer.isBuffer(value)) return value;
  if (typeof value === "string") return Buffer.from(value, "utf8");
  if (value === null) return EMPTY;
  if (ArrayBuffer.isView(value)) return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  if (value instanceof ArrayBuffer || value instanceof SharedArrayBuffer) return Buffer.from(value);
  if (typeof value === "symbol") throw new TypeError("Cannot convert a Symbol value to a string");
  return Buffer.from(String(value), "utf8");
}

/** Converts what the user passed to `send()` into a Message. */
export function toMessage(value: unknown): Message {
  if (value === undefined) throw new TypeError("Message must be present");
  if (!Array.isArray(value)) return [toFrame(value)];
  const message = new Array<Buffer>(value.length);
  for (let i = 0; i < value.length; i++) message[i] = toFrame(value[i]);
  return message;
}

export const EMPTY: Buffer = Buffer.alloc(0);
