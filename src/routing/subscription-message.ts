import type { Message } from "../message";

/**
 * Subscriptions as messages: one frame, 0x01 + prefix to subscribe, 0x00 + prefix to cancel.
 * It is the ZMTP 3.0 wire form (RFC 23), and what XPUB and XSUB applications receive and
 * send (zeromq-js-api.md §9 point 4). The engine turns ZMTP 3.1 SUBSCRIBE and CANCEL commands
 * (RFC 37) into this form and back, so the sockets deal in nothing else.
 */
export interface Subscription {
  subscribe: boolean;
  /** A view into the message's first frame: copy it to keep it (the tries do). */
  prefix: Buffer;
}

/**
 * The subscription a message carries in its first frame, or undefined for a data message
 * (empty, or starting with a byte other than 0 or 1). Later frames of a multipart message are
 * not looked at: omq handles whole messages, where libzmq reads each part of a multipart
 * subscription as another subscription or as data, an edge no peer relies on.
 */
export function parseSubscription(message: Message): Subscription | undefined {
  const first = message[0];
  if (first === undefined || first.length === 0) return undefined;
  const kind = first[0] as number;
  if (kind > 1) return undefined;
  return { subscribe: kind === 1, prefix: first.subarray(1) };
}

/** A one-frame (un)subscription message for `prefix`. */
export function subscriptionMessage(subscribe: boolean, prefix: Uint8Array): Message {
  const frame = Buffer.allocUnsafe(prefix.length + 1);
  frame[0] = subscribe ? 1 : 0;
  frame.set(prefix, 1);
  return [frame];
}

/**
 * What `subscribe(...prefixes)` takes, as prefixes: no argument means the empty prefix
 * (everything), as zeromq.js passes `null` for it; strings are UTF-8 (zeromq-js-api.md §2.7).
 */
export function toPrefixes(values: readonly unknown[]): Buffer[] {
  if (values.length === 0) return [Buffer.alloc(0)];
  return values.map((value) => {
    if (value === null) return Buffer.alloc(0);
    if (typeof value === "string") return Buffer.from(value, "utf8");
    if (ArrayBuffer.isView(value)) return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
    throw new TypeError("Option value must be a string or buffer");
  });
}
