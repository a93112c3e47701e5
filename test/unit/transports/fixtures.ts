// Shared helpers for the transport tests: libzmq's default options, bind/connect by endpoint
// string, and waiting for events without timers.

import assert from "node:assert/strict";
import { once } from "node:events";
import { createServer, type Socket } from "node:net";
import { parseEndpoint } from "../../../src/transports/endpoint";
import { dial, listen, type DialOptions, type Listener, type ListenOptions } from "../../../src/transports/transport";

export const LISTEN: ListenOptions = { ipv6: false, backlog: 100, tcpKeepalive: -1, tcpKeepaliveIdle: -1 };
export const DIAL: DialOptions = { ipv6: false, tcpKeepalive: -1, tcpKeepaliveIdle: -1, connectTimeout: 0 };

export function bind(address: string, options: Partial<ListenOptions> = {}): Promise<Listener> {
  return listen(parseEndpoint(address, "bind"), { ...LISTEN, ...options });
}

export function connect(address: string, options: Partial<DialOptions> = {}, signal: AbortSignal = new AbortController().signal): Promise<Socket> {
  return dial(parseEndpoint(address, "connect"), { ...DIAL, ...options }, signal);
}

/** The next stream the listener accepts. */
export function nextConnection(listener: Listener): Promise<Socket> {
  return new Promise((resolve) => {
    listener.onConnection = resolve;
  });
}

/** Connects to a listener and returns both ends. */
export async function pair(listener: Listener, address = listener.endpoint, options: Partial<DialOptions> = {}): Promise<[Socket, Socket]> {
  const accepted = nextConnection(listener);
  const dialed = await connect(address, options);
  return [dialed, await accepted];
}

/** Sends bytes each way, proving the two ends are joined. */
export async function assertJoined(a: Socket, b: Socket): Promise<void> {
  a.write("ping");
  assert.equal(String((await once(b, "data"))[0]), "ping");
  b.write("pong");
  assert.equal(String((await once(a, "data"))[0]), "pong");
}

/** Destroys streams and waits until each has closed. */
export async function destroyAll(...streams: Socket[]): Promise<void> {
  await Promise.all(
    streams.map((stream) => {
      if (stream.closed) return;
      const closed = once(stream, "close");
      stream.destroy();
      return closed;
    }),
  );
}

/** Rejects like a transport call, returning the ZmqError for inspection. */
export async function rejection(promise: Promise<unknown>): Promise<{ code: string; errno: number; address?: string }> {
  try {
    await promise;
  } catch (error) {
    return error as { code: string; errno: number; address?: string };
  }
  assert.fail("expected a rejection");
}

/** Whether `host` can be bound here (IPv6 may be missing from containers and CI). */
export async function canListenOn(host: string): Promise<boolean> {
  const server = createServer();
  server.unref();
  try {
    server.listen(0, host);
    await once(server, "listening");
    server.close();
    return true;
  } catch {
    return false;
  }
}

/** A port that was free a moment ago (nothing listens on it). */
export async function freePort(): Promise<number> {
  const listener = await bind("tcp://127.0.0.1:*");
  await listener.close();
  return Number(listener.endpoint.split(":").pop());
}
