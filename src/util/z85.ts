/**
 * Z85 (RFC 32): binary frames as printable text, four octets to five characters. CURVE
 * keys travel in socket options as 40-character Z85 strings.
 *
 * "The binary frame SHALL have a length that is divisible by 4 with no remainder. The
 * string frame SHALL have a length that is divisible by 5 with no remainder."
 */
const ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-:+=^!/*?&<>()[]{}@%$#";

/** Character code → value 0..84, or 0xff for a character Z85 does not use. */
const DECODER = new Uint8Array(128).fill(0xff);
for (let i = 0; i < ALPHABET.length; i++) DECODER[ALPHABET.charCodeAt(i)] = i;

/**
 * "take four octets at a time from the binary frame and convert them into five printable
 * characters ... treated as an unsigned 32-bit integer in network byte order".
 * Throws RangeError when the length is not a multiple of 4.
 */
export function z85Encode(data: Uint8Array): string {
  if (data.length % 4 !== 0) throw new RangeError("Z85 encodes a multiple of 4 bytes");
  let out = "";
  for (let i = 0; i < data.length; i += 4) {
    let value = ((data[i]! << 24) | (data[i + 1]! << 16) | (data[i + 2]! << 8) | data[i + 3]!) >>> 0;
    let chunk = "";
    for (let j = 0; j < 5; j++) {
      chunk = ALPHABET[value % 85]! + chunk;
      value = Math.floor(value / 85);
    }
    out += chunk;
  }
  return out;
}

/**
 * Decodes a Z85 string, or returns undefined when it is not valid Z85: a length that is not
 * a multiple of 5, a character outside the alphabet, or a group worth more than 2^32 - 1
 * (libzmq's zmq_z85_decode refuses the same inputs).
 */
export function z85Decode(text: string): Buffer | undefined {
  if (text.length % 5 !== 0) return undefined;
  const out = Buffer.allocUnsafe((text.length / 5) * 4);
  for (let i = 0, o = 0; i < text.length; i += 5, o += 4) {
    let value = 0;
    for (let j = 0; j < 5; j++) {
      const code = text.charCodeAt(i + j);
      const digit = code < 128 ? DECODER[code]! : 0xff;
      if (digit === 0xff) return undefined;
      value = value * 85 + digit;
    }
    if (value > 0xffff_ffff) return undefined;
    out.writeUInt32BE(value, o);
  }
  return out;
}
