// ZMTP bytes built by hand, straight from the RFCs, for tests that play a (bad) peer over a
// raw socket. Nothing here comes from omq's codec, so a codec bug cannot hide a test bug.
//
// RFC 23/37 greeting (64 octets): signature = %xFF padding(8) %x7F; version = %x03 %x01;
// mechanism = 20 octets, null padded; as-server = %x00 | %x01; filler = 31 %x00.
// Frames: flags (bit 2 COMMAND, bit 1 LONG, bit 0 MORE), then a 1-octet or 8-octet
// (network order) size, then the body.
import { connect, type Socket as NetSocket } from "node:net";

export function greeting(options: { mechanism?: string; major?: number; minor?: number; asServer?: boolean } = {}): Buffer {
  const g = Buffer.alloc(64);
  g[0] = 0xff;
  g[9] = 0x7f;
  g[10] = options.major ?? 3;
  g[11] = options.minor ?? 1;
  g.write(options.mechanism ?? "NULL", 12, 20, "latin1");
  g[32] = options.asServer ? 1 : 0;
  return g;
}

/** A frame header: short (1-octet size) when it fits and `long` is not forced. */
export function frameHeader(size: bigint | number, flags: { more?: boolean; command?: boolean; long?: boolean } = {}): Buffer {
  const n = BigInt(size);
  const long = flags.long === true || n > 255n;
  const flagByte = (flags.command ? 0x04 : 0) | (long ? 0x02 : 0) | (flags.more ? 0x01 : 0);
  if (!long) return Buffer.from([flagByte, Number(n)]);
  const header = Buffer.alloc(9);
  header[0] = flagByte;
  header.writeBigUInt64BE(n, 1);
  return header;
}

/** A message frame. */
export function frame(body: Buffer | string, more = false): Buffer {
  const bytes = typeof body === "string" ? Buffer.from(body) : body;
  return Buffer.concat([frameHeader(bytes.length, { more }), bytes]);
}

/** A command frame: command-name (short-size + name) then data. */
export function command(name: string, data: Buffer = Buffer.alloc(0)): Buffer {
  const body = Buffer.concat([Buffer.from([name.length]), Buffer.from(name, "latin1"), data]);
  return Buffer.concat([frameHeader(body.length, { command: true }), body]);
}

/** NULL mechanism READY: `0x04 <len> 0x05 "READY" 0x0B "Socket-Type" 0x00 0x00 0x00 0x04 "PUSH"`. */
export function ready(socketType: string): Buffer {
  const name = Buffer.from("Socket-Type", "latin1");
  const value = Buffer.from(socketType, "latin1");
  const size = Buffer.alloc(4);
  size.writeUInt32BE(value.length);
  return command("READY", Buffer.concat([Buffer.from([name.length]), name, size, value]));
}

/** Greeting + READY: everything a NULL-mechanism peer sends before its first message. */
export function handshake(socketType: string): Buffer {
  return Buffer.concat([greeting(), ready(socketType)]);
}

/** A raw TCP (or ipc) connection playing the peer, recording what it receives and when it closes. */
export class RawPeer {
  readonly socket: NetSocket;
  readonly connected: Promise<void>;
  /** Resolves when the connection is closed (by either end); never rejects. */
  readonly closed: Promise<void>;
  received = Buffer.alloc(0);
  error: Error | undefined = undefined;

  constructor(endpoint: string) {
    this.socket = endpoint.startsWith("ipc://") ? connect(endpoint.slice("ipc://".length)) : connect(tcpTarget(endpoint));
    this.socket.on("data", (chunk: Buffer) => {
      if (this.received.length < 1 << 16) this.received = Buffer.concat([this.received, chunk]);
    });
    this.socket.on("error", (error) => (this.error = error));
    this.connected = new Promise((resolve, reject) => {
      this.socket.once("connect", () => resolve());
      this.socket.once("close", () => reject(new Error(`raw peer could not connect to ${endpoint}: ${this.error?.message}`)));
    });
    this.connected.catch(() => {});
    this.closed = new Promise((resolve) => this.socket.once("close", () => resolve()));
  }

  /** Writes; resolves once the bytes are handed to the kernel (or the peer has gone, which is fine here). */
  write(bytes: Buffer): Promise<void> {
    return new Promise((resolve) => {
      if (this.socket.destroyed) return resolve();
      this.socket.write(bytes, () => resolve());
    });
  }

  /** Resolves once at least `n` bytes have arrived (e.g. the peer's 64-octet greeting), or rejects if the connection closes first. */
  receivedAtLeast(n: number): Promise<Buffer> {
    return new Promise((resolve, reject) => {
      const check = () => {
        if (this.received.length >= n) {
          cleanup();
          resolve(this.received);
        }
      };
      const onClose = () => {
        cleanup();
        reject(new Error(`connection closed after ${this.received.length} of ${n} bytes`));
      };
      const cleanup = () => {
        this.socket.off("data", check);
        this.socket.off("close", onClose);
      };
      this.socket.on("data", check);
      this.socket.on("close", onClose);
      queueMicrotask(check);
    });
  }

  destroy(): void {
    this.socket.destroy();
  }
}

function tcpTarget(endpoint: string): { host: string; port: number } {
  const match = /^tcp:\/\/(.+):(\d+)$/.exec(endpoint);
  if (match === null) throw new Error(`not a tcp endpoint: ${endpoint}`);
  const host = match[1]!.replace(/^\[(.*)\]$/, "$1");
  return { host: host === "0.0.0.0" || host === "*" ? "127.0.0.1" : host, port: Number(match[2]) };
}
