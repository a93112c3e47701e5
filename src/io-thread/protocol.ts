/**
 * The control protocol between a socket's thread (main) and an I/O thread, over the
 * worker's MessagePort. Messages are plain objects (structured clone); data never goes
 * this way: each peer has one shared ring per direction (src/pipe/shared-ring.ts).
 *
 * Structured clone turns a Buffer into a Uint8Array and drops an Error's own fields
 * (code, errno, status): the helpers below carry them across and rebuild them.
 */
import type { Message } from "../message";
import type { PeerInfo } from "../pipe/peer";
import type { SharedRingEnd } from "../pipe/shared-ring";
import type { EventFields, EventName } from "../session/peer-owner";
import type { LinkOptions } from "../session/link-options";

/** Main → I/O thread. `eid` names one bind or connect, `pid` one peer of it. */
export type ToWorker =
  | { t: "bind"; eid: number; address: string; options: LinkOptions }
  | { t: "connect"; eid: number; address: string; options: LinkOptions }
  /** Closes a bind or connect; its outbound rings end first (their END carries the last message). */
  | { t: "close"; eid: number; lingerMs: number }
  /** The socket refused or dropped this peer (PAIR already has one, ROUTER handover…). */
  | { t: "disconnect"; eid: number; pid: number }
  | { t: "zap-answer"; id: number; answer: Uint8Array[] | "none" | "gone" };

/** I/O thread → main. */
export type ToMain =
  | { t: "bound"; eid: number; endpoint: string }
  | { t: "bind-error"; eid: number; error: WireError }
  | { t: "event"; eid: number; name: EventName; address?: string; interval?: number; error?: WireError }
  /** A peer exists (handshake done, or a connecting session made its pipes): its two rings, as main's ends. */
  | { t: "attach"; eid: number; pid: number; info: PeerInfo; inbound: SharedRingEnd; outbound: SharedRingEnd }
  | { t: "identified"; eid: number; pid: number; info: PeerInfo }
  /** The peer's connection is gone for good; its inbound ring ends after the last message. */
  | { t: "detach"; eid: number; pid: number }
  | { t: "closed"; eid: number }
  | { t: "zap"; id: number; request: Uint8Array[] }
  | { t: "zap-cancel"; id: number };

/** An Error with the fields zeromq.js gives it (code, errno, address, status). */
export interface WireError {
  message: string;
  fields: Record<string, string | number>;
}

export function toWireError(error: Error): WireError {
  const fields: Record<string, string | number> = {};
  for (const [key, value] of Object.entries(error)) if (typeof value === "string" || typeof value === "number") fields[key] = value;
  return { message: error.message, fields };
}

export function fromWireError(wire: WireError): Error {
  return Object.assign(new Error(wire.message), wire.fields);
}

export function wireEventFields(fields: EventFields): Omit<Extract<ToMain, { t: "event" }>, "t" | "eid" | "name"> {
  const wire: { address?: string; interval?: number; error?: WireError } = {};
  if (fields.address !== undefined) wire.address = fields.address;
  if (fields.interval !== undefined) wire.interval = fields.interval;
  if (fields.error !== undefined) wire.error = toWireError(fields.error);
  return wire;
}

export function eventFields(event: Extract<ToMain, { t: "event" }>): EventFields {
  const fields: EventFields = {};
  if (event.address !== undefined) fields.address = event.address;
  if (event.interval !== undefined) fields.interval = event.interval;
  if (event.error !== undefined) fields.error = fromWireError(event.error);
  return fields;
}

/** A Buffer again, over the same memory. */
export function buffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

export function buffers(frames: Uint8Array[]): Message {
  return frames.map(buffer);
}

/** LinkOptions as they arrive in the I/O thread: routing ids are Buffers again. */
export function linkOptions(options: LinkOptions): LinkOptions {
  const opt = (b: Uint8Array | undefined): Buffer | undefined => (b === undefined ? undefined : buffer(b));
  return { ...options, routingId: opt(options.routingId), connectRoutingId: opt(options.connectRoutingId) };
}

/** PeerInfo as it arrives in main: identity and metadata values are Buffers again. */
export function peerInfo(info: PeerInfo): PeerInfo {
  const metadata = new Map<string, Buffer>();
  for (const [name, value] of info.metadata) metadata.set(name, buffer(value));
  const out: PeerInfo = { socketType: info.socketType, identity: buffer(info.identity), metadata, endpoint: info.endpoint };
  if (info.connectRoutingId !== undefined) out.connectRoutingId = buffer(info.connectRoutingId);
  return out;
}
