// The Listener over a net.Server, shared by tcp and ipc: listens once, hands each accepted
// stream (already set up) to onConnection, and closes idempotently.
//
// Close: server.close() stops accepting at once. Node emits the server's 'close' only after
// every accepted connection has ended, but accepted streams belong to their sessions, not to
// the listener, so close() does not wait for them: it resolves once the listening handle is
// closed and the transport's own cleanup (ipc: removing the socket file) is done.

import type { Server, Socket, ListenOptions as NetListenOptions } from "node:net";
import { fromSystemError, type ZmqError } from "../errors";
import type { Listener } from "./transport";

export interface StreamListenerHooks {
  /** Sets an accepted stream up; returns false to drop it at once (the accept filter). */
  accept(stream: Socket): boolean;
  /** Runs once after the server has stopped accepting. */
  cleanup(): Promise<void>;
}

const ignore = (): void => {};

export class StreamListener implements Listener {
  readonly endpoint: string;
  /** Until the owner replaces it, a connection has nobody to serve it and is closed. */
  onConnection: (stream: Socket) => void = (stream) => stream.destroy();
  /** A failed accept (EMFILE, ECONNABORTED): the listener keeps going, as libzmq's does. */
  onAcceptError: (error: ZmqError) => void = ignore;
  #server: Server;
  #hooks: StreamListenerHooks;
  #closed: Promise<void> | undefined;

  constructor(server: Server, endpoint: string, hooks: StreamListenerHooks) {
    this.endpoint = endpoint;
    this.#server = server;
    this.#hooks = hooks;
    server.on("connection", (stream: Socket) => this.#accept(stream));
    server.on("error", (error) => this.onAcceptError(fromSystemError(error, endpoint)));
  }

  close(): Promise<void> {
    this.#closed ??= this.#close();
    return this.#closed;
  }

  async #close(): Promise<void> {
    this.#server.close();
    await this.#hooks.cleanup();
  }

  #accept(stream: Socket): void {
    stream.on("error", ignore);
    stream.unref();
    if (this.#closed !== undefined || !this.#hooks.accept(stream)) {
      stream.destroy();
      return;
    }
    this.onConnection(stream);
  }
}

/** Starts `server` listening, unref'd; rejects with the system error as a ZmqError for `address`. */
export function startListening(server: Server, options: NetListenOptions, address: string): Promise<void> {
  server.unref();
  return new Promise((resolve, reject) => {
    const onError = (error: Error): void => {
      server.off("listening", onListening);
      reject(fromSystemError(error, address));
    };
    const onListening = (): void => {
      server.off("error", onError);
      resolve();
    };
    server.once("error", onError);
    server.once("listening", onListening);
    try {
      server.listen(options);
    } catch (error) {
      server.off("error", onError);
      server.off("listening", onListening);
      reject(fromSystemError(error, address));
    }
  });
}
