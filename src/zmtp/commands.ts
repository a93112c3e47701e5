import { encodeMetadata, type Property } from "./metadata";
import { ProtocolError } from "./protocol-error";

/**
 * Command bodies, RFC 37 "Commands":
 *
 *   command-body = command-name command-data
 *   command-name = short-size 1*255command-name-char
 *
 * Names are compared exactly, as libzmq does.
 */
export const READY = "READY";
export const ERROR = "ERROR";
export const SUBSCRIBE = "SUBSCRIBE";
export const CANCEL = "CANCEL";
export const PING = "PING";
export const PONG = "PONG";

/** A command split into its name and its data (a view into the body). */
export interface RawCommand {
  name: string;
  data: Buffer;
}

/** RFC 37 "Connection Heartbeating": ping-context = 0*16OCTET. */
export const MAX_PING_CONTEXT = 16;

export function encodeCommand(name: string, data: Buffer = Buffer.alloc(0)): Buffer {
  const nameBytes = Buffer.from(name, "latin1");
  if (nameBytes.length < 1 || nameBytes.length > 255) throw new RangeError(`bad command name "${name}"`);
  const body = Buffer.allocUnsafe(1 + nameBytes.length + data.length);
  body[0] = nameBytes.length;
  nameBytes.copy(body, 1);
  data.copy(body, 1 + nameBytes.length);
  return body;
}

export function splitCommand(body: Buffer): RawCommand | ProtocolError {
  if (body.length < 1 || body[0] === 0 || body[0] > body.length - 1) {
    return new ProtocolError("ERR_ZMTP_MALFORMED_COMMAND_UNSPECIFIED", "malformed command name");
  }
  const end = 1 + body[0];
  return { name: body.toString("latin1", 1, end), data: body.subarray(end) };
}

/** READY: ready = command-size %d5 "READY" metadata. */
export function encodeReady(properties: Iterable<Property>): Buffer {
  return encodeCommand(READY, encodeMetadata(properties));
}

/** ERROR: error-reason = short-size 0*255VCHAR. A longer reason is cut at 255 octets. */
export function encodeError(reason: string): Buffer {
  const text = Buffer.from(reason, "latin1").subarray(0, 255);
  const data = Buffer.allocUnsafe(1 + text.length);
  data[0] = text.length;
  text.copy(data, 1);
  return encodeCommand(ERROR, data);
}

export function parseError(data: Buffer): string | ProtocolError {
  if (data.length < 1 || data[0] > data.length - 1) {
    return new ProtocolError("ERR_ZMTP_MALFORMED_COMMAND_ERROR", "ERROR reason overruns the command");
  }
  return data.toString("latin1", 1, 1 + data[0]);
}

/** SUBSCRIBE and CANCEL (RFC 37 "The Publish-Subscribe Pattern"): the data is the topic. */
export function encodeSubscribe(topic: Buffer): Buffer {
  return encodeCommand(SUBSCRIBE, topic);
}

export function encodeCancel(topic: Buffer): Buffer {
  return encodeCommand(CANCEL, topic);
}

export interface Ping {
  /** Time-to-live in tenths of a second; 0 = none. */
  ttl: number;
  context: Buffer;
}

/** PING: ping-ttl = 2OCTET (network order, deciseconds), ping-context = 0*16OCTET. */
export function encodePing(ttl: number, context: Buffer = Buffer.alloc(0)): Buffer {
  if (context.length > MAX_PING_CONTEXT) throw new RangeError("PING context is at most 16 bytes");
  const data = Buffer.allocUnsafe(2 + context.length);
  data.writeUInt16BE(Math.max(0, Math.min(0xffff, Math.round(ttl))), 0);
  context.copy(data, 2);
  return encodeCommand(PING, data);
}

/** A context longer than 16 octets is cut to 16 (libzmq does the same) rather than refused. */
export function parsePing(data: Buffer): Ping | ProtocolError {
  if (data.length < 2) return new ProtocolError("ERR_ZMTP_MALFORMED_COMMAND_UNSPECIFIED", "PING without a TTL");
  return { ttl: data.readUInt16BE(0), context: Buffer.from(data.subarray(2, 2 + MAX_PING_CONTEXT)) };
}

/** PONG echoes the PING's context. */
export function encodePong(context: Buffer): Buffer {
  return encodeCommand(PONG, context.subarray(0, MAX_PING_CONTEXT));
}
