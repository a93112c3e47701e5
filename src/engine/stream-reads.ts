import { Socket } from "node:net";

/** Chooses where each read of a stream lands, and takes what it read. */
export interface ReadTarget {
  /** The buffer the next read fills (from its start). */
  nextBuffer(): Buffer;
  /** `length` bytes were read into `buffer`, the last one nextBuffer() returned. */
  received(buffer: Buffer, length: number): void;
}

/** The parts of a net.Socket's handle this module relies on (libuv stream wrap). */
interface StreamHandle {
  useUserBuffer?: unknown;
}

interface OwnedSocket {
  _handle?: StreamHandle | null;
  server?: unknown;
  _server?: unknown;
}

/**
 * Takes `stream` over so that each read lands in the buffer `target` chooses (Node's
 * `onread` option) instead of a fresh 64 KiB chunk per read: a large frame body is then
 * read in place, with no copy, and a read buffer nobody kept is used again. Node takes
 * `onread` only when a Socket is made, and an accepted socket is made by net.Server, so a
 * new Socket wraps the same handle and the old object is dropped unused. This happens
 * before any byte is read or written, in the same turn the connection was handed over.
 *
 * Returns undefined when the stream cannot be taken over (no libuv handle, or bytes
 * already buffered in it): the caller then reads it with 'data' events.
 */
export function takeOverReads(stream: Socket, target: ReadTarget): Socket | undefined {
  const old = stream as unknown as OwnedSocket;
  const handle = old._handle;
  if (handle == null || typeof handle.useUserBuffer !== "function") return undefined;
  if (stream.destroyed || stream.connecting || stream.readableLength > 0 || stream.writableLength > 0) return undefined;
  const taken = new Socket({
    handle: handle as never,
    allowHalfOpen: stream.allowHalfOpen,
    readable: true,
    writable: true,
    manualStart: true,
    onread: {
      buffer: () => target.nextBuffer(),
      callback: (length: number, buffer: Uint8Array) => {
        target.received(buffer as Buffer, length);
      },
    },
  } as ConstructorParameters<typeof Socket>[0]);
  // net.Server counts its connections down as each accepted socket closes.
  const owned = taken as unknown as OwnedSocket;
  owned.server = old.server;
  owned._server = old._server;
  old._server = null;
  return taken;
}
