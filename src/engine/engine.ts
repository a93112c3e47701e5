import type { Socket } from "node:net";
import { EMPTY, type Message } from "../message";
import type { PeerInfo } from "../pipe/peer";
import { encodePing } from "../zmtp/commands";
import { FrameDecoder, type DecoderSink } from "../zmtp/decoder";
import { ProtocolError } from "../zmtp/protocol-error";
import { EngineError } from "./engine-error";
import { FrameWriter, WRITE_CAP } from "./frame-writer";
import { Handshake, type CommandStep } from "./handshake";
import { BoxOpener, CipherPipe } from "../mechanisms/encrypted-traffic";
import type { Connection } from "./connection";
import { Heartbeat } from "./heartbeat";
import { Inbound, type InboundOwner } from "./inbound";
import { takeOverReads, type ReadTarget } from "./stream-reads";
import type { EngineHost, EngineLink } from "./host";
import type { EngineOptions } from "./options";

export type { EngineOptions } from "./options";
export type { EngineHost, EngineLink } from "./host";
export type { Connection } from "./connection";
export { EngineError } from "./engine-error";

/**
 * The engine's life, one line per phase:
 * - new: constructed; start() sends our greeting and moves to greeting.
 * - greeting: reading the peer's 64-octet greeting (RFC 37 "Version Negotiation").
 * - handshake: the mechanism exchanges commands; on success the host gets engineReady().
 * - ready: messages flow between the stream and the host's pipes; PING/PONG answered.
 * - closing: close() was called: input ignored, outbound pipe flushed, then the stream ended.
 * - closed: the stream is destroyed (or ending) and the host has had engineClosed().
 */
type Phase =
  | { name: "new" | "greeting" | "handshake" | "closed" }
  | { name: "ready" | "closing"; link: EngineLink; inbound: Inbound };

/**
 * One live byte stream, from greeting to close. Peer faults end this connection only:
 * they reach the host as an EngineError, never as an exception or an 'error' event.
 */
export class Engine implements Connection {
  readonly #stream: Socket;
  /** Reads land in buffers we choose (stream-reads.ts); false: the stream emits 'data'. */
  readonly #readsInPlace: boolean;
  /** The buffer reads land in unless the decoder asks for a body in place; replaced once something keeps it. */
  #readBuffer: Buffer = EMPTY;
  readonly #options: EngineOptions;
  readonly #host: EngineHost;
  readonly #handshake: Handshake;
  readonly #writer: FrameWriter;
  readonly #decoder: FrameDecoder;
  readonly #heartbeat: Heartbeat;
  #phase: Phase = { name: "new" };
  #peer: PeerInfo | undefined = undefined;
  #peerMinor = 1;
  /** The peer ended its side while we still held input for a full inbound pipe. */
  #peerEnded = false;
  #handshakeTimer: NodeJS.Timeout | undefined = undefined;
  #lingerTimer: NodeJS.Timeout | undefined = undefined;
  /** The mechanism waits on outside work (crypto start-up, a ZAP verdict). */
  #waiting = false;
  /** With an encrypting mechanism (CURVE), every frame after the handshake is a box. */
  #cipher: CipherPipe | undefined = undefined;
  /** Why the engine ended, reported to the host once the stream has closed. */
  #closeError: EngineError | undefined = undefined;

  constructor(stream: Socket, options: EngineOptions, host: EngineHost) {
    this.#options = options;
    this.#host = host;
    const sink: DecoderSink = {
      message: (message) => this.#onMessage(message),
      command: (body) => this.#onCommand(body),
      error: (error) => this.#end(EngineError.protocol(error, this.#phase.name !== "ready")),
    };
    this.#decoder = new FrameDecoder(sink, { maxMessageSize: handshakeLimit(options.maxMessageSize) });
    const taken = takeOverReads(stream, this.#reads);
    this.#readsInPlace = taken !== undefined;
    this.#stream = taken ?? stream;
    this.#handshake = new Handshake(options, this.#stream.remoteAddress ?? "");
    this.#writer = new FrameWriter(this.#stream);
    this.#heartbeat = new Heartbeat(options.heartbeatInterval, options.heartbeatTimeout, options.heartbeatTimeToLive, {
      ping: (ttl) => this.#sendCommand(encodePing(ttl)),
      expired: (reason) => this.#end(EngineError.heartbeatTimeout(reason)),
    });
  }

  /** The peer's metadata, once the handshake is done. */
  get peer(): PeerInfo | undefined {
    return this.#peer;
  }

  /** Sends our greeting and starts reading. */
  start(): void {
    if (this.#phase.name !== "new") return;
    this.#phase = { name: "greeting" };
    const stream = this.#stream;
    stream.on("error", this.#onError);
    stream.on("end", this.#onEnd);
    stream.on("close", this.#onClose);
    stream.on("finish", this.#onFinish);
    if (stream.destroyed) return this.#end(EngineError.peerLeft());
    stream.setNoDelay(true);
    stream.unref();
    const limit = this.#options.handshakeInterval;
    if (limit > 0) {
      this.#handshakeTimer = setTimeout(this.#onHandshakeTimeout, limit);
      this.#handshakeTimer.unref();
    }
    this.#writer.writeRaw(this.#handshake.greeting());
    if (this.#readsInPlace) stream.resume();
    else stream.on("data", this.#onData);
  }

  /**
   * Stops reading, flushes what the outbound pipe holds, then ends the stream. After
   * `lingerMs` (-1 = no limit, 0 = at once) the stream is destroyed instead.
   */
  close(lingerMs: number): void {
    const phase = this.#phase;
    if (phase.name === "closing" || phase.name === "closed") return;
    // Nothing of ours to flush before the handshake; nobody to flush to once the peer left.
    if (phase.name !== "ready" || lingerMs === 0 || this.#peerEnded || this.#stream.writableEnded) return this.#end(undefined);
    this.#phase = { name: "closing", link: phase.link, inbound: phase.inbound };
    this.#stream.pause();
    this.#decoder.close();
    this.#heartbeat.stop();
    phase.inbound.drop();
    if (lingerMs > 0) {
      this.#lingerTimer = setTimeout(this.#onLinger, lingerMs);
      this.#lingerTimer.unref();
    }
    this.#writer.onIdle = this.#onFlushed;
    this.#writer.flush();
  }

  /** Drops the connection at once, discarding anything unsent. */
  destroy(): void {
    this.#end(undefined);
  }

  readonly #reads: ReadTarget = {
    nextBuffer: () => {
      const inPlace = this.#decoder.readBuffer();
      if (inPlace !== undefined) return inPlace;
      if (this.#readBuffer.length === 0 || this.#decoder.keepsChunk) this.#readBuffer = Buffer.allocUnsafe(READ_SIZE);
      return this.#readBuffer;
    },
    received: (buffer, length) => {
      if (buffer === this.#readBuffer) return this.#onData(buffer.subarray(0, length));
      this.#heartbeat.received();
      this.#decoder.received(length);
    },
  };

  readonly #onData = (chunk: Buffer): void => {
    this.#heartbeat.received();
    const phase = this.#phase.name;
    if (phase === "ready" || phase === "handshake") this.#decoder.write(chunk);
    else if (phase === "greeting") this.#readGreeting(chunk);
  };

  #readGreeting(chunk: Buffer): void {
    const step = this.#handshake.readGreeting(chunk);
    if (step.status === "partial") return;
    if (step.status === "failed") return this.#end(step.error);
    this.#peerMinor = step.greeting.minor;
    this.#phase = { name: "handshake" };
    if (!this.#handshakeStep(this.#handshake.settle())) return;
    if (step.rest.length > 0) this.#decoder.write(step.rest);
  }

  /** After each handshake step (greeting, command, outside work done): send what is due, then fail, attach or go on. */
  #handshakeStep(step: CommandStep): boolean {
    if (step.status === "continue") {
      this.#sendHandshakeCommands();
      step = this.#handshake.settle();
    }
    if (step.status === "failed") {
      this.#end(step.error, step.farewell);
      return false;
    }
    if (step.status === "done") return this.#attach(step.peer);
    if (!this.#waiting) this.#awaitMechanism();
    return true;
  }

  /** The mechanism waits on outside work: once it is done, the handshake goes on from where it stands. */
  #awaitMechanism(): void {
    const wait = this.#handshake.wait();
    if (wait === undefined) return;
    this.#waiting = true;
    wait
      .then(() => {
        this.#waiting = false;
        if (this.#phase.name === "handshake") this.#handshakeStep(this.#handshake.settle());
      })
      .catch((error: unknown) => this.#end(EngineError.io(error, true)));
  }

  #sendHandshakeCommands(): void {
    for (const body of this.#handshake.outgoing()) this.#writer.command(body);
    this.#writer.flush();
  }

  #onMessage(message: Message): boolean {
    const phase = this.#phase;
    if (phase.name === "ready") return phase.inbound.message(message);
    if (phase.name === "handshake") {
      const error = new ProtocolError("ERR_ZMTP_UNSPECIFIED", "message frame before the handshake completed");
      this.#end(EngineError.protocol(error, true));
    }
    return false;
  }

  #onCommand(body: Buffer): boolean {
    const phase = this.#phase;
    if (phase.name === "ready") return phase.inbound.command(body);
    if (phase.name !== "handshake") return false;
    return this.#handshakeStep(this.#handshake.command(body));
  }

  #attach(peer: PeerInfo): boolean {
    clearTimeout(this.#handshakeTimer);
    this.#handshakeTimer = undefined;
    this.#peer = peer;
    const link = this.#host.engineReady(this, peer);
    if (this.#phase.name !== "handshake") return false; // closed from inside engineReady
    if (link === undefined) {
      this.#end(undefined);
      return false;
    }
    const type = this.#options.socketType;
    const subscriptionCommands = (type === "SUB" || type === "XSUB") && this.#peerMinor >= 1;
    const { encodeFrame, decodeFrame } = this.#handshake.mechanism;
    let opener: BoxOpener | undefined;
    if (encodeFrame !== undefined && decodeFrame !== undefined) {
      const mechanism = { encodeFrame, decodeFrame };
      this.#cipher = new CipherPipe(mechanism, link.outbound, subscriptionCommands);
      opener = new BoxOpener(mechanism);
    }
    this.#phase = { name: "ready", link, inbound: new Inbound(link.inbound, opener, type, this.#inboundOwner) };
    this.#decoder.maxMessageSize = this.#options.maxMessageSize;
    link.inbound.onWritable = this.#onInboundWritable;
    if (this.#cipher !== undefined) this.#writer.attach(this.#cipher, false);
    else this.#writer.attach(link.outbound, subscriptionCommands);
    this.#heartbeat.start();
    return true;
  }

  readonly #inboundOwner: InboundOwner = {
    pause: () => {
      this.#stream.pause();
      this.#heartbeat.pausedReading();
    },
    pinged: (ttl, pong) => {
      this.#heartbeat.peerPing(ttl);
      // Like libzmq, which keeps one PONG pending, a peer cannot make us queue PONGs without bound.
      if (this.#writer.pendingBytes < WRITE_CAP) this.#sendCommand(pong);
    },
    fault: (error) => this.#end(error),
  };

  #sendCommand(body: Buffer): void {
    if (this.#cipher !== undefined) this.#cipher.command(body);
    else this.#writer.command(body);
    this.#writer.schedule();
  }

  readonly #onInboundWritable = (): void => {
    const phase = this.#phase;
    if (phase.name !== "ready" || !phase.inbound.retry()) return;
    this.#heartbeat.resumedReading();
    this.#decoder.resume();
    if (this.#phase.name !== "ready" || this.#decoder.stopped) return;
    if (this.#peerEnded) this.#peerGone();
    else this.#stream.resume();
  };

  readonly #onEnd = (): void => {
    if (this.#phase.name === "ready" && this.#decoder.stopped) this.#peerEnded = true;
    else this.#peerGone();
  };

  /** The peer closed its side and every byte it sent has been decoded. */
  #peerGone(): void {
    switch (this.#phase.name) {
      case "closed":
        return;
      case "ready":
        return this.#end(this.#decoder.midMessage || this.#phase.inbound.midMessage ? EngineError.truncated() : undefined);
      case "closing":
        return this.#end(undefined);
      default:
        return this.#end(EngineError.peerLeft());
    }
  }

  readonly #onClose = (): void => {
    if (this.#peerEnded) return; // still delivering what the peer sent before it left
    this.#peerGone();
  };

  readonly #onError = (error: Error): void => {
    const phase = this.#phase.name;
    this.#end(EngineError.io(error, phase === "new" || phase === "greeting" || phase === "handshake"));
  };

  /** Our FIN is out after close(): the stream can go (its 'close' then ends the engine). */
  readonly #onFinish = (): void => {
    if (this.#phase.name === "closing") this.#stream.destroy();
  };

  readonly #onFlushed = (): void => {
    if (this.#phase.name !== "closing") return;
    this.#writer.close();
    if (this.#stream.writableFinished) return this.#end(undefined);
    this.#stream.end(); // 'finish' follows once the kernel has it all
  };

  readonly #onLinger = (): void => {
    this.#lingerTimer = undefined;
    this.#end(undefined);
  };

  readonly #onHandshakeTimeout = (): void => {
    this.#handshakeTimer = undefined;
    this.#end(EngineError.handshakeTimeout(this.#options.handshakeInterval));
  };

  /**
   * The one way out: clears timers, detaches from the pipes, closes the stream (sending
   * `farewell`, an ERROR command, first) and tells the host, once, when the stream has
   * closed, so that a closed engine leaves no handle or request behind.
   */
  #end(error: EngineError | undefined, farewell?: Buffer): void {
    const phase = this.#phase;
    if (phase.name === "closed") return;
    this.#phase = { name: "closed" };
    clearTimeout(this.#handshakeTimer);
    clearTimeout(this.#lingerTimer);
    this.#heartbeat.stop();
    this.#decoder.close();
    if (phase.name === "ready" || phase.name === "closing") phase.inbound.drop();
    this.#handshake.dispose();
    this.#cipher?.detach();
    if ((phase.name === "ready" || phase.name === "closing") && phase.link.inbound.onWritable === this.#onInboundWritable) {
      phase.link.inbound.onWritable = undefined;
    }
    this.#closeError = error;
    if (farewell !== undefined) this.#writer.closeWith(farewell);
    else if (error?.kind === "heartbeat-timeout") this.#abort();
    else this.#writer.close(true);
    if (this.#stream.closed) this.#notifyClosed();
    else this.#stream.once("close", this.#notifyClosed);
  }

  /**
   * A peer that heartbeats declared dead is dropped with an RST (SO_LINGER 0), unlike libzmq,
   * which closes normally: a normal close leaves the kernel retransmitting what we had
   * written, and if the link comes back, the peer's still-open old connection receives those
   * messages after the ones our next connection carried (test/reliability/silent-network).
   */
  #abort(): void {
    this.#writer.close();
    try {
      this.#stream.resetAndDestroy();
    } catch {
      this.#stream.destroy(); // not TCP (ipc): nothing is retransmitted
    }
  }

  readonly #notifyClosed = (): void => {
    this.#host.engineClosed(this, this.#closeError);
  };
}

/**
 * RFC 37 "Security Considerations": "a peer MAY allocate memory to a connection only after
 * the security handshake is complete". Until then frames are limited to HANDSHAKE_FRAME_MAX
 * (or maxMessageSize if smaller, which libzmq applies to handshake commands too), so an
 * unauthenticated peer cannot make us gather gigabytes.
 */
export const HANDSHAKE_FRAME_MAX = 64 * 1024;

/** Size of the shared read buffer: Node's own read size. */
const READ_SIZE = 64 * 1024;

function handshakeLimit(maxMessageSize: number): number {
  return maxMessageSize >= 0 ? Math.min(maxMessageSize, HANDSHAKE_FRAME_MAX) : HANDSHAKE_FRAME_MAX;
}
