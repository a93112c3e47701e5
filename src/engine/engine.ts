import type { Socket } from "node:net";
import type { Message } from "../message";
import type { PeerInfo } from "../pipe/peer";
import { CANCEL, encodePing, encodePong, parsePing, PING, splitCommand, SUBSCRIBE } from "../zmtp/commands";
import { FrameDecoder, type DecoderSink } from "../zmtp/decoder";
import { ProtocolError } from "../zmtp/protocol-error";
import { EngineError } from "./engine-error";
import { FrameWriter, WRITE_CAP } from "./frame-writer";
import { Handshake } from "./handshake";
import { Heartbeat } from "./heartbeat";
import type { EngineHost, EngineLink } from "./host";
import type { EngineOptions } from "./options";

export type { EngineOptions } from "./options";
export type { EngineHost, EngineLink } from "./host";
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
  | { name: "ready" | "closing"; link: EngineLink };

/**
 * One live byte stream, from greeting to close. Peer faults end this connection only:
 * they reach the host as an EngineError, never as an exception or an 'error' event.
 */
export class Engine {
  readonly #stream: Socket;
  readonly #options: EngineOptions;
  readonly #host: EngineHost;
  readonly #handshake: Handshake;
  readonly #writer: FrameWriter;
  readonly #decoder: FrameDecoder;
  readonly #heartbeat: Heartbeat;
  #phase: Phase = { name: "new" };
  #peer: PeerInfo | undefined = undefined;
  #peerMinor = 1;
  /** A message the full inbound pipe refused; delivered first when it has room again. */
  #held: Message | undefined = undefined;
  /** The peer ended its side while we still held input for a full inbound pipe. */
  #peerEnded = false;
  #handshakeTimer: NodeJS.Timeout | undefined = undefined;
  #lingerTimer: NodeJS.Timeout | undefined = undefined;

  constructor(stream: Socket, options: EngineOptions, host: EngineHost) {
    this.#stream = stream;
    this.#options = options;
    this.#host = host;
    this.#handshake = new Handshake(options);
    this.#writer = new FrameWriter(stream);
    const sink: DecoderSink = {
      message: (message) => this.#onMessage(message),
      command: (body) => this.#onCommand(body),
      error: (error) => this.#end(EngineError.protocol(error, this.#phase.name !== "ready")),
    };
    this.#decoder = new FrameDecoder(sink, { maxMessageSize: options.maxMessageSize });
    this.#heartbeat = new Heartbeat(options.heartbeatInterval, options.heartbeatTimeout, options.heartbeatTimeToLive, {
      ping: (ttl) => this.#sendCommand(encodePing(ttl)),
      expired: (reason) => this.#end(new EngineError("heartbeat-timeout", "ETIMEDOUT", reason, false)),
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
    if (stream.destroyed) return this.#end(new EngineError("io", "ECONNRESET", "stream closed before start", true));
    stream.setNoDelay(true);
    stream.unref();
    const limit = this.#options.handshakeInterval;
    if (limit > 0) {
      this.#handshakeTimer = setTimeout(this.#onHandshakeTimeout, limit);
      this.#handshakeTimer.unref();
    }
    this.#writer.writeRaw(this.#handshake.greeting());
    stream.on("data", this.#onData);
  }

  /**
   * Stops reading, flushes what the outbound pipe holds, then ends the stream. After
   * `lingerMs` (-1 = no limit, 0 = at once) the stream is destroyed instead.
   */
  close(lingerMs: number): void {
    const phase = this.#phase;
    if (phase.name === "closing" || phase.name === "closed") return;
    if (phase.name !== "ready" || lingerMs === 0) return this.#end(undefined);
    this.#phase = { name: "closing", link: phase.link };
    this.#stream.pause();
    this.#decoder.close();
    this.#heartbeat.stop();
    this.#held = undefined;
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
    this.#sendHandshakeCommands();
    if (step.rest.length > 0) this.#decoder.write(step.rest);
  }

  #sendHandshakeCommands(): void {
    for (const body of this.#handshake.outgoing()) this.#writer.command(body);
    this.#writer.flush();
  }

  #onMessage(message: Message): boolean {
    const phase = this.#phase;
    if (phase.name === "ready") {
      if (phase.link.inbound.write(message)) return true;
      // The pipe is at its high-water mark: keep this message, stop reading (DESIGN.md, 24.7).
      this.#held = message;
      this.#stream.pause();
      return false;
    }
    if (phase.name === "handshake") {
      const error = new ProtocolError("ERR_ZMTP_UNSPECIFIED", "message frame before the handshake completed");
      this.#end(EngineError.protocol(error, true));
    }
    return false;
  }

  #onCommand(body: Buffer): boolean {
    const phase = this.#phase.name;
    if (phase === "ready") return this.#trafficCommand(body);
    if (phase !== "handshake") return false;
    const step = this.#handshake.command(body);
    this.#sendHandshakeCommands();
    if (step.status === "continue") return true;
    if (step.status === "failed") {
      this.#end(step.error, step.farewell);
      return false;
    }
    return this.#attach(step.peer);
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
    this.#phase = { name: "ready", link };
    link.inbound.onWritable = this.#onInboundWritable;
    const type = this.#options.socketType;
    this.#writer.attach(link.outbound, (type === "SUB" || type === "XSUB") && this.#peerMinor >= 1);
    this.#heartbeat.start();
    return true;
  }

  /** Commands after the handshake: PING is answered, subscriptions become messages, the rest is ignored (as libzmq does). */
  #trafficCommand(body: Buffer): boolean {
    const command = splitCommand(body);
    if (command instanceof ProtocolError) return this.#protocolFault(command);
    switch (command.name) {
      case PING: {
        const ping = parsePing(command.data);
        if (ping instanceof ProtocolError) return this.#protocolFault(ping);
        this.#heartbeat.peerPing(ping.ttl);
        // RFC 37: "When a peer receives a PING command it SHALL respond with a PONG command
        // that echoes the ping-context". Like libzmq, we keep at most a write's worth queued.
        if (this.#writer.pendingBytes < WRITE_CAP) this.#sendCommand(encodePong(ping.context));
        return true;
      }
      case SUBSCRIBE:
        return this.#subscription(1, command.data);
      case CANCEL:
        return this.#subscription(0, command.data);
      default:
        return true;
    }
  }

  /**
   * A ZMTP 3.1 SUBSCRIBE/CANCEL reaches the socket as the ZMTP 3.0 message (1 or 0, then
   * the topic), so publishers see one form from every peer. Only PUB and XPUB take them.
   */
  #subscription(prefix: 0 | 1, topic: Buffer): boolean {
    const type = this.#options.socketType;
    if (type !== "PUB" && type !== "XPUB") return true;
    const frame = Buffer.allocUnsafe(1 + topic.length);
    frame[0] = prefix;
    topic.copy(frame, 1);
    return this.#onMessage([frame]);
  }

  #sendCommand(body: Buffer): void {
    this.#writer.command(body);
    this.#writer.schedule();
  }

  #protocolFault(error: ProtocolError): false {
    this.#end(EngineError.protocol(error, false));
    return false;
  }

  readonly #onInboundWritable = (): void => {
    const phase = this.#phase;
    if (phase.name !== "ready") return;
    const held = this.#held;
    if (held !== undefined) {
      if (!phase.link.inbound.write(held)) return;
      this.#held = undefined;
    }
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
        if (!this.#decoder.midMessage) return this.#end(undefined);
        return this.#end(EngineError.protocol(new ProtocolError("EPROTO", "connection closed in the middle of a message"), false));
      case "closing":
        return this.#end(undefined);
      default:
        return this.#end(new EngineError("io", "ECONNRESET", "connection closed by the peer during the handshake", true));
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

  readonly #onFinish = (): void => {
    if (this.#phase.name === "closing") this.#end(undefined);
  };

  readonly #onFlushed = (): void => {
    if (this.#phase.name !== "closing") return;
    this.#writer.close();
    this.#stream.end();
  };

  readonly #onLinger = (): void => {
    this.#lingerTimer = undefined;
    this.#end(undefined);
  };

  readonly #onHandshakeTimeout = (): void => {
    this.#handshakeTimer = undefined;
    const limit = this.#options.handshakeInterval;
    this.#end(new EngineError("handshake-timeout", "ETIMEDOUT", `no handshake within ${limit} ms`, true));
  };

  /**
   * The one way out: clears timers, detaches from the pipes, closes the stream (sending
   * `farewell`, an ERROR command, first) and tells the host, once.
   */
  #end(error: EngineError | undefined, farewell?: Buffer): void {
    const phase = this.#phase;
    if (phase.name === "closed") return;
    this.#phase = { name: "closed" };
    clearTimeout(this.#handshakeTimer);
    clearTimeout(this.#lingerTimer);
    this.#heartbeat.stop();
    this.#decoder.close();
    this.#held = undefined;
    if ((phase.name === "ready" || phase.name === "closing") && phase.link.inbound.onWritable === this.#onInboundWritable) {
      phase.link.inbound.onWritable = undefined;
    }
    const stream = this.#stream;
    if (farewell !== undefined && stream.writable) {
      this.#writer.command(farewell);
      this.#writer.flush();
      this.#writer.close();
      stream.pause();
      stream.once("finish", () => stream.destroy());
      stream.end();
    } else {
      this.#writer.close();
      stream.destroy();
    }
    this.#host.engineClosed(this, error);
  }
}
