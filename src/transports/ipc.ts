// The ipc transport: Unix domain stream sockets.
//
// Bind, as libzmq's ipc_listener:
// - "ipc://*" binds a fresh path, <tmpdir>/omq-XXXXXX/socket, in a directory made for it, and
//   removes both on close. (libzmq uses $TMPDIR/$TEMPDIR/$TMP and, when none is set, a
//   directory relative to the working directory; we use os.tmpdir(), which falls back to /tmp.)
// - A socket file left at the path by an earlier run is removed before binding, so a restarted
//   server does not fail with EADDRINUSE. Like libzmq this also takes the path over from a live
//   listener. Unlike libzmq we only remove sockets: a regular file at the path is left alone and
//   the bind fails with EADDRINUSE, rather than deleting a file the user may care about.
// - "ipc://@name" is the Linux abstract namespace: a leading NUL, no file at all.
// - On close the socket file is removed (libzmq 4.3.5 leaves it behind). libuv already unlinks
//   the path when it closes a pipe server; we remove it too, if it is still the file we bound,
//   so as not to depend on that. A limit we cannot lift: after a takeover, closing the first
//   listener makes libuv unlink the path, which by then names the second listener's socket.

import { lstat, mkdtemp, rmdir, stat, unlink } from "node:fs/promises";
import { connect, createServer, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fromSystemError, zmqError, type ZmqError } from "../errors";
import { MAX_IPC_PATH_BYTES, type IpcEndpoint } from "./endpoint";
import { dialStream } from "./stream-dial";
import { StreamListener, startListening } from "./stream-listener";
import type { DialOptions, Listener, ListenOptions } from "./transport";

/** Where the socket lives: a file (with the directory made for "ipc://*"), or an abstract name. */
type Place = { kind: "file"; path: string; tempDir?: string } | { kind: "abstract"; name: string };

export async function listenIpc(endpoint: IpcEndpoint, options: ListenOptions): Promise<Listener> {
  const place = await choosePlace(endpoint);
  try {
    if (place.kind === "file") await removeStaleSocket(place.path);
    const server = createServer();
    const listening = startListening(server, { path: socketPath(place), backlog: options.backlog, exclusive: true }, endpoint.address);
    await listening.catch(async (error: ZmqError) => {
      throw place.kind === "file" ? await unmaskMissingDirectory(error, place.path) : error;
    });
    // Build the listener before awaiting anything else, so no connection or error finds the
    // server without its handlers.
    const bound = place.kind === "file" ? identity(place.path) : Promise.resolve(undefined);
    return new StreamListener(server, format(place), {
      accept: () => true,
      cleanup: async () => removePlace(place, await bound),
    });
  } catch (error) {
    if (place.kind === "file" && place.tempDir !== undefined) await rmdir(place.tempDir).catch(() => {});
    throw error;
  }
}

export function dialIpc(endpoint: IpcEndpoint, options: DialOptions, signal: AbortSignal): Promise<Socket> {
  const place: Place = endpoint.abstract ? { kind: "abstract", name: endpoint.path } : { kind: "file", path: endpoint.path };
  return dialStream(
    {
      connect: () => connect({ path: socketPath(place) }),
      address: endpoint.address,
      timeout: options.connectTimeout,
      mapError: (error) => dialError(error, endpoint.address),
    },
    signal,
  );
}

async function choosePlace(endpoint: IpcEndpoint): Promise<Place> {
  if (endpoint.abstract) return { kind: "abstract", name: endpoint.path };
  if (endpoint.path !== "*") return { kind: "file", path: endpoint.path };
  const tempDir = await mkdtemp(join(tmpdir(), "omq-")).catch((error: unknown) => {
    throw fromSystemError(error, endpoint.address);
  });
  const path = join(tempDir, "socket");
  if (Buffer.byteLength(path) > MAX_IPC_PATH_BYTES) {
    await rmdir(tempDir).catch(() => {});
    throw zmqError("ENAMETOOLONG", undefined, endpoint.address);
  }
  return { kind: "file", path, tempDir };
}

function socketPath(place: Place): string {
  return place.kind === "abstract" ? `\0${place.name}` : place.path;
}

/** LAST_ENDPOINT text, as libzmq's ipc_address_t::to_string. */
function format(place: Place): string {
  return place.kind === "abstract" ? `ipc://@${place.name}` : `ipc://${place.path}`;
}

async function removeStaleSocket(path: string): Promise<void> {
  const stats = await lstat(path).catch(() => undefined);
  if (stats?.isSocket()) await unlink(path).catch(() => {});
}

/** Device and inode of the bound socket file, to recognise it at close. */
async function identity(path: string): Promise<string | undefined> {
  const stats = await lstat(path).catch(() => undefined);
  return stats === undefined ? undefined : `${stats.dev}:${stats.ino}`;
}

async function removePlace(place: Place, bound: string | undefined): Promise<void> {
  if (place.kind === "abstract") return;
  // Another listener may have taken the path over since; its file is not ours to remove.
  if (bound !== undefined && (await identity(place.path)) === bound) await unlink(place.path).catch(() => {});
  if (place.tempDir !== undefined) await rmdir(place.tempDir).catch(() => {});
}

/** libuv reports ENOENT from bind() as EACCES (for Windows' sake); libzmq reports ENOENT. */
async function unmaskMissingDirectory(error: ZmqError, path: string): Promise<ZmqError> {
  if (error.code !== "EACCES") return error;
  const parent = await stat(dirname(path)).catch((reason: NodeJS.ErrnoException) => reason.code);
  return parent === "ENOENT" ? zmqError("ENOENT", "No such file or directory", error.address) : error;
}

/** A path with no socket behind it means nobody is listening: report it as a refused connection. */
function dialError(error: unknown, address: string): ZmqError {
  const code = (error as NodeJS.ErrnoException)?.code;
  return code === "ENOENT" ? zmqError("ECONNREFUSED", undefined, address) : fromSystemError(error, address);
}
