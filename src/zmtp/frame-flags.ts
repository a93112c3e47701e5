/**
 * The flags octet that opens every ZMTP frame (RFC 23 / RFC 37 "Framing"). Bit 0 is the
 * least significant. Bits 7-3 are reserved and "MUST be zero" when sent; like libzmq's
 * v2_decoder we ignore them when received.
 */
export const MORE = 0x01;
/** The size field is 8 octets, network byte order (otherwise 1 octet). */
export const LONG = 0x02;
export const COMMAND = 0x04;

/** A short frame carries 0 to 255 octets. */
export const SHORT_MAX = 255;
/** Flags octet + 1-octet size. */
export const SHORT_HEADER = 2;
/** Flags octet + 8-octet size. */
export const LONG_HEADER = 9;
