// One connection attempt over net.Socket, shared by tcp and ipc. It settles exactly once:
//
//   connect() --'connect'--> resolve(stream)            (listeners removed, stream kept)
//       |------'error'-----> reject(mapped error)    \
//       |------timeout-----> reject(ETIMEDOUT)        > the half-made stream is destroyed
//       '------abort-------> reject(ECANCELED)       /
//
// Retrying is the caller's business (libzmq's connecter waits reconnect_ivl and dials again).

import type { Socket } from "node:net";
import { fromSystemError, zmqError, type ZmqError } from "../errors";

const ignore = (): void => {};

export interface DialAttempt {
  /** Opens the stream; may throw synchronously on bad options. */
  connect(): Socket;
  /** The endpoint as given, for errors. */
  address: string;
  /** Milliseconds until ETIMEDOUT; 0 leaves it to the OS. */
  timeout: number;
  /** Maps a system error; defaults to the same code. */
  mapError?: (error: unknown) => ZmqError;
}

export function canceled(address: string): ZmqError {
  return zmqError("ECANCELED", "Operation canceled", address);
}

/** Awaits `work` unless `signal` aborts first (the work's late result is then ignored). */
export function unlessAborted<T>(work: Promise<T>, signal: AbortSignal, address: string): Promise<T> {
  if (signal.aborted) return Promise.reject(canceled(address));
  return new Promise((resolve, reject) => {
    const onAbort = (): void => reject(canceled(address));
    signal.addEventListener("abort", onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
  });
}

export function dialStream(attempt: DialAttempt, signal: AbortSignal): Promise<Socket> {
  const { address } = attempt;
  const mapError = attempt.mapError ?? ((error: unknown) => fromSystemError(error, address));
  if (signal.aborted) return Promise.reject(canceled(address));
  return new Promise((resolve, reject) => {
    let stream: Socket;
    try {
      stream = attempt.connect();
    } catch (error) {
      reject(mapError(error));
      return;
    }
    stream.on("error", ignore);
    stream.unref();
    const onConnect = (): void => {
      detach();
      resolve(stream);
    };
    const onError = (error: unknown): void => fail(mapError(error));
    const onAbort = (): void => fail(canceled(address));
    const timer =
      attempt.timeout > 0 ? setTimeout(() => fail(zmqError("ETIMEDOUT", "Connection timed out", address)), attempt.timeout) : undefined;
    timer?.unref();
    stream.once("connect", onConnect);
    stream.once("error", onError);
    signal.addEventListener("abort", onAbort, { once: true });

    function detach(): void {
      clearTimeout(timer);
      signal.removeEventListener("abort", onAbort);
      stream.off("connect", onConnect);
      stream.off("error", onError);
    }
    function fail(error: ZmqError): void {
      detach();
      stream.destroy();
      reject(error);
    }
  });
}
