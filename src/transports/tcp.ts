// The tcp transport: net.Server / net.Socket with ZeroMQ's socket options.
// - TCP_NODELAY always (ZeroMQ batches itself; Nagle would only add latency).
// - keepalive as libzmq's tune_tcp_keepalives: -1 leaves the OS default, 0 turns it off, 1 turns
//   it on with TCP_KEEPIDLE when given. Node cannot set TCP_KEEPCNT or TCP_KEEPINTVL.
// - The listening endpoint is reported from the bound address, as LAST_ENDPOINT: tcp://0.0.0.0:port
//   for "*", tcp://[::]:port for "*" with ipv6, the picked port for "*" or "0".
// - If the kernel has no IPv6 (EAFNOSUPPORT) an ipv6 bind or dial falls back to IPv4, as libzmq does.

import { connect, createServer, type AddressInfo, type Socket } from "node:net";
import type { ZmqError } from "../errors";
import { AcceptFilter } from "./accept-filter";
import type { TcpEndpoint } from "./endpoint";
import { resolveBindHost, resolveDialHost } from "./resolve";
import { dialStream, unlessAborted } from "./stream-dial";
import { StreamListener, startListening } from "./stream-listener";
import type { DialOptions, Listener, ListenOptions } from "./transport";

interface Keepalive {
  tcpKeepalive: number;
  tcpKeepaliveIdle: number;
}

export async function listenTcp(endpoint: TcpEndpoint, options: ListenOptions): Promise<Listener> {
  try {
    return await listenOnce(endpoint, options);
  } catch (error) {
    if (!options.ipv6 || (error as ZmqError).code !== "EAFNOSUPPORT") throw error;
    return listenOnce(endpoint, { ...options, ipv6: false });
  }
}

async function listenOnce(endpoint: TcpEndpoint, options: ListenOptions): Promise<Listener> {
  const { address } = endpoint;
  const filter = new AcceptFilter(options.tcpAcceptFilter, options.ipv6, address);
  const host = await resolveBindHost(endpoint.host, options.ipv6, address);
  const server = createServer();
  // exclusive: never share the handle through the cluster primary; ipv6Only false: "::" is dual stack.
  await startListening(server, { host, port: endpoint.port, backlog: options.backlog, exclusive: true, ipv6Only: false }, address);
  return new StreamListener(server, formatTcp(server.address() as AddressInfo), {
    accept(stream) {
      if (!filter.accepts(stream.remoteAddress, stream.remoteFamily)) return false;
      setUp(stream, options);
      return true;
    },
    cleanup: async () => {},
  });
}

export async function dialTcp(endpoint: TcpEndpoint, options: DialOptions, signal: AbortSignal): Promise<Socket> {
  try {
    return await dialOnce(endpoint, options, signal);
  } catch (error) {
    if (!options.ipv6 || (error as ZmqError).code !== "EAFNOSUPPORT") throw error;
    return dialOnce(endpoint, { ...options, ipv6: false }, signal);
  }
}

async function dialOnce(endpoint: TcpEndpoint, options: DialOptions, signal: AbortSignal): Promise<Socket> {
  const { address, source } = endpoint;
  const host = await unlessAborted(resolveDialHost(endpoint.host, options.ipv6, address), signal, address);
  const local =
    source === undefined
      ? undefined
      : { localAddress: await unlessAborted(resolveBindHost(source.host, options.ipv6, address), signal, address), localPort: source.port };
  const stream = await dialStream(
    { connect: () => connect({ host, port: endpoint.port, ...local }), address, timeout: options.connectTimeout },
    signal,
  );
  setUp(stream, options);
  return stream;
}

function setUp(stream: Socket, options: Keepalive): void {
  stream.setNoDelay(true);
  if (options.tcpKeepalive === 0) stream.setKeepAlive(false);
  // Node takes the idle time in ms and leaves the OS default when it is 0.
  if (options.tcpKeepalive === 1) stream.setKeepAlive(true, Math.max(options.tcpKeepaliveIdle, 0) * 1000);
}

/** LAST_ENDPOINT text for a bound address: IPv6 in brackets, as libzmq's tcp_address_t::to_string. */
function formatTcp(info: AddressInfo): string {
  return info.family === "IPv6" ? `tcp://[${info.address}]:${info.port}` : `tcp://${info.address}:${info.port}`;
}
