import { constants } from "node:os";
import { getSystemErrorMap } from "node:util";

/** Codes that libzmq defines itself; their numbers are fixed (ZMQ_HAUSNUMERO + n). */
const ZMQ_ERRNO: Record<string, number> = {
  EFSM: 156384763,
  ENOCOMPATPROTO: 156384764,
  ETERM: 156384765,
  EMTHREAD: 156384766,
};

/** The messages zeromq.js v6 uses; anything else falls back to the strerror text. */
const MESSAGES: Record<string, string> = {
  EAGAIN: "Operation was not possible or timed out",
  EBADF: "Socket is closed",
  EBUSY: "Socket is busy",
  ENOENT: "No such endpoint",
  EADDRINUSE: "Address already in use",
  EADDRNOTAVAIL: "Cannot assign requested address",
  EMFILE: "Too many open file descriptors",
  EFAULT: "Context is closed",
  EFSM: "Operation cannot be accomplished in current state",
  ENOCOMPATPROTO: "The protocol is not compatible with the socket type",
  ETERM: "Context was terminated",
  EMTHREAD: "No thread available",
  EINVAL: "Invalid argument",
  ENOTSUP: "Operation not supported",
  EHOSTUNREACH: "Host unreachable",
  EPROTONOSUPPORT: "Protocol not supported",
  ENOTSOCK: "Socket operation on non-socket",
  ECONNREFUSED: "Connection refused",
  EACCES: "Permission denied",
  ENAMETOOLONG: "File name too long",
};

export type ErrorCode = keyof typeof MESSAGES | (string & {});

/** An Error shaped like zeromq.js's: own enumerable `code`, `errno` and, for endpoints, `address`. */
export interface ZmqError extends Error {
  code: ErrorCode;
  errno: number;
  address?: string;
}

export function errnoOf(code: string): number {
  return ZMQ_ERRNO[code] ?? (constants.errno as Record<string, number>)[code] ?? 0;
}

/** The strerror text for a POSIX code ("ENODEV" → "No such device"), as libzmq's zmq_strerror gives it. */
function systemMessage(errno: number): string | undefined {
  const text = getSystemErrorMap().get(-errno)?.[1];
  return text === undefined ? undefined : text.charAt(0).toUpperCase() + text.slice(1);
}

export function zmqError(code: ErrorCode, message?: string, address?: string): ZmqError {
  const errno = errnoOf(code);
  const error = new Error(message ?? MESSAGES[code] ?? systemMessage(errno) ?? code) as ZmqError;
  error.errno = errno;
  error.code = code;
  if (address !== undefined) error.address = address;
  return error;
}

/** Turns a Node.js system error (from net, fs, dns) into a ZmqError with the same code. */
export function fromSystemError(error: unknown, address?: string): ZmqError {
  const code = (error as NodeJS.ErrnoException)?.code;
  if (typeof code === "string" && /^E[A-Z]+$/.test(code)) return zmqError(code, undefined, address);
  return zmqError("EINVAL", (error as Error)?.message, address);
}
