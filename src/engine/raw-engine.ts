import type { Socket } from "node:net";
import { EMPTY } from "../message";
import type { PeerInfo } from "../pipe/peer";
import type { Connection } from "./connection";
import type { EngineHost, EngineLink } from "./host";

/**
 * The engine of a STREAM socket (libzmq's raw mode): no greeting, no framing. The peer is
 * ready at once; each chunk read becomes a one-frame message and each message's frames are
 * written as they are. An empty message is the connect and disconnect notice in, and a
 * request to close the connection out (after what was queued before it).
 */
export class RawEngine implements Connection {
  readonly #stream: Socket;
  readonly #host: EngineHost;
  readonly #endpoint: string;
  #link: EngineLink | undefined = undefined;
  #closed = false;
  #ending = false;
  #lingerTimer: NodeJS.Timeout | undefined = undefined;

  constructor(stream: Socket, endpoint: string, host: EngineHost) {
    this.#stream = stream;
    this.#endpoint = endpoint;
    this.#host = host;
  }

  start(): void {
    const stream = this.#stream;
    stream.on("error", () => this.#end());
    stream.on("close", () => this.#end());
    stream.on("end", () => this.#end());
    if (stream.destroyed) return this.#end();
    const info: PeerInfo = { socketType: "STREAM", identity: EMPTY, metadata: new Map(), endpoint: this.#endpoint };
    const link = this.#host.engineReady(this, info);
    if (link === undefined) return this.#end();
    this.#link = link;
    link.inbound.write([EMPTY]);
    link.inbound.onWritable = () => stream.resume();
    link.outbound.onReadable = () => this.#flush();
    stream.on("data", (chunk: Buffer) => {
      if (!link.inbound.write([chunk])) stream.pause();
    });
    this.#flush();
  }

  /** Flushes what is queued, then closes; after lingerMs (0: at once) destroys instead. */
  close(lingerMs: number): void {
    if (this.#closed) return;
    if (lingerMs === 0 || this.#link === undefined) return this.#end();
    if (lingerMs > 0) this.#lingerTimer = setTimeout(() => this.#end(), lingerMs);
    this.#ending = true;
    this.#flush();
  }

  destroy(): void {
    this.#end();
  }

  #flush(): void {
    const link = this.#link;
    if (link === undefined || this.#closed) return;
    for (let message = link.outbound.read(); message !== undefined; message = link.outbound.read()) {
      if (message.every((frame) => frame.length === 0)) return this.#finish();
      for (const frame of message) this.#stream.write(frame);
    }
    if (this.#ending) this.#finish();
  }

  #finish(): void {
    this.#stream.end(() => this.#end());
  }

  #end(): void {
    if (this.#closed) return;
    this.#closed = true;
    clearTimeout(this.#lingerTimer);
    const link = this.#link;
    if (link !== undefined) {
      link.outbound.onReadable = undefined;
      link.inbound.onWritable = undefined;
      link.inbound.write([EMPTY]);
    }
    this.#stream.destroy();
    this.#host.engineClosed(this, undefined);
  }
}
