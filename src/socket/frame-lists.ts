import type { Message } from "../message";

/*
 * Splitting and joining the frame lists of REQ/REP envelopes, once per message on the
 * latency path. Array.prototype.concat costs some 200 ns and slice() some 50 ns on this
 * kind of two-element list; the common case (one frame each side: REQ straight to REP)
 * is built as a literal instead, and anything longer takes the general route.
 */

/** The frames of `message` from `start` to its end (slice(start)). */
export function framesFrom(message: Message, start: number): Message {
  return message.length - start === 1 ? [message[start]] : message.slice(start);
}

/** The first `count` frames of `message` (slice(0, count)). */
export function firstFrames(message: Message, count: number): Message {
  return count === 1 ? [message[0]] : message.slice(0, count);
}

/** `head` followed by `tail`, as a new list (head.concat(tail)). */
export function joinFrames(head: Message, tail: Message): Message {
  if (head.length === 1 && tail.length === 1) return [head[0], tail[0]];
  return [...head, ...tail];
}

/** The index of the first empty frame (the envelope delimiter), or -1. */
export function delimiterIndex(message: Message): number {
  for (let i = 0; i < message.length; i++) if (message[i].length === 0) return i;
  return -1;
}
