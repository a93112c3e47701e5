import { ProtocolError } from "./protocol-error";

/**
 * Connection metadata as READY (NULL, PLAIN) and INITIATE (CURVE) carry it,
 * RFC 37 "The NULL Security Mechanism":
 *
 *   metadata = *property
 *   property = name value
 *   name     = short-size 1*255name-char
 *   value    = 4OCTET *OCTET       ; size in network byte order, 0 to 2^31-1
 *
 * "The case (upper or lower) of names SHALL NOT be significant": parsed names are
 * lower-cased, so look properties up with `getProperty` or a lower-case key.
 */
export type Metadata = Map<string, Buffer>;

/** Property names RFC 37 defines ("Connection Metadata"), spelled as the RFC spells them. */
export const SOCKET_TYPE = "Socket-Type";
export const IDENTITY = "Identity";
export const RESOURCE = "Resource";

const MAX_VALUE = 0x7fff_ffff;

export type Property = readonly [name: string, value: Buffer | string];

/** Encodes properties in the order given. Throws RangeError on a name or value the RFC does not allow. */
export function encodeMetadata(properties: Iterable<Property>): Buffer {
  const parts: Buffer[] = [];
  for (const [name, value] of properties) {
    const nameBytes = Buffer.from(name, "latin1");
    if (nameBytes.length < 1 || nameBytes.length > 255) {
      throw new RangeError(`metadata name must be 1 to 255 characters: "${name}"`);
    }
    const valueBytes = typeof value === "string" ? Buffer.from(value, "utf8") : value;
    if (valueBytes.length > MAX_VALUE) throw new RangeError(`metadata value of "${name}" is too long`);
    const head = Buffer.allocUnsafe(1 + nameBytes.length + 4);
    head[0] = nameBytes.length;
    nameBytes.copy(head, 1);
    head.writeUInt32BE(valueBytes.length, 1 + nameBytes.length);
    parts.push(head, valueBytes);
  }
  return Buffer.concat(parts);
}

/**
 * Parses metadata, checking every declared length against the octets that remain: a
 * property whose length overruns the command is a protocol error, never a read past the
 * end (CVE-2019-13132 was this bug in libzmq's CURVE metadata parser). Values are copied,
 * so they do not pin the received chunk. A repeated name keeps its first value, as
 * libzmq's property map does.
 */
export function parseMetadata(data: Buffer): Metadata | ProtocolError {
  const properties: Metadata = new Map();
  let pos = 0;
  while (pos < data.length) {
    const nameLength = data[pos];
    pos += 1;
    // "The name SHALL be 1 to 255 characters. Zero-sized names are not valid."
    if (nameLength === 0) return invalid("metadata property with an empty name");
    if (nameLength > data.length - pos) return invalid("metadata property name overruns the command");
    const name = data.toString("latin1", pos, pos + nameLength).toLowerCase();
    pos += nameLength;
    if (4 > data.length - pos) return invalid(`metadata property "${name}" has a truncated value size`);
    const valueLength = data.readUInt32BE(pos);
    pos += 4;
    if (valueLength > data.length - pos) return invalid(`metadata property "${name}" value overruns the command`);
    if (!properties.has(name)) properties.set(name, Buffer.from(data.subarray(pos, pos + valueLength)));
    pos += valueLength;
  }
  return properties;
}

/** Case-insensitive lookup (RFC 37: "Metadata names SHALL be case-insensitive"). */
export function getProperty(metadata: Metadata, name: string): Buffer | undefined {
  return metadata.get(name.toLowerCase());
}

function invalid(message: string): ProtocolError {
  return new ProtocolError("ERR_ZMTP_INVALID_METADATA", message);
}
