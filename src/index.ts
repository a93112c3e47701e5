/**
 * omq: ZeroMQ in TypeScript, with the API of the `zeromq` npm package (v6).
 * This file only re-exports; the logic lives in the layers below it.
 */
import { defaultContext } from "./context";

export { Context } from "./context";
export { Socket } from "./socket/socket";
export type { Readable, Writable } from "./socket/socket";
export { Observer } from "./socket/observer";
export type { Event } from "./socket/observer";
export type { EventName as EventType } from "./session/peer-owner";
export { Push } from "./socket/push";
export { Pull } from "./socket/pull";
export { Pair } from "./socket/pair";
export { Request } from "./socket/request";
export { Reply } from "./socket/reply";
export { Dealer } from "./socket/dealer";
export { Router } from "./socket/router";
export { Publisher } from "./socket/publisher";
export { Subscriber } from "./socket/subscriber";
export { XPublisher } from "./socket/xpublisher";
export { XSubscriber } from "./socket/xsubscriber";
export { Stream } from "./socket/stream";
export { Proxy } from "./socket/proxy";
export { curveKeyPair, curvePublicKey } from "./mechanisms/curve-keys";
export { z85Encode, z85Decode } from "./util/z85";
export { Authenticator } from "./mechanisms/authenticator";
export type { MessageLike } from "./message";
export type { ZmqError as ErrnoError } from "./errors";

/** A message as received: one Buffer per frame. */
export type Message = Buffer;

/** The libzmq version whose behaviour omq follows. */
export const version = "4.3.5";

/** What this build can do (zeromq.js `capability`). */
export const capability: Partial<Record<"ipc" | "pgm" | "tipc" | "norm" | "curve" | "gssapi" | "draft", boolean>> = {
  ipc: true,
  pgm: false,
  tipc: false,
  norm: false,
  curve: true,
  gssapi: false,
  draft: false,
};

/** The default context, used by every socket made without a `context` option. */
export const context = defaultContext();
