import type { Message } from "../message";
import type { Pipe } from "../pipe/pipe";
import type { SocketTypeName } from "../socket-type";
import type { BoxOpener } from "../mechanisms/encrypted-traffic";
import { EngineError } from "./engine-error";
import { readTrafficCommand } from "./traffic-command";

/** What the inbound path asks of its engine. */
export interface InboundOwner {
  /** The pipe is full and holds a message back: stop reading the stream. */
  pause(): void;
  /** The peer sent PING (`ttl` in deciseconds, 0 = none); `pong` answers it. */
  pinged(ttl: number, pong: Buffer): void;
  /** The peer broke the rules: end the connection. */
  fault(error: EngineError): void;
}

/**
 * The ready phase's inbound path: decoded messages and commands go to the socket's pipe,
 * through a BoxOpener first under CURVE. Each call returns false when the decoder must
 * stop: the pipe is full (the message is held until `retry()`) or the peer is at fault.
 */
export class Inbound {
  readonly #pipe: Pipe;
  readonly #opener: BoxOpener | undefined;
  readonly #socketType: SocketTypeName;
  readonly #owner: InboundOwner;
  /** A message the full pipe refused; delivered first when it has room again. */
  #held: Message | undefined = undefined;

  constructor(pipe: Pipe, opener: BoxOpener | undefined, socketType: SocketTypeName, owner: InboundOwner) {
    this.#pipe = pipe;
    this.#opener = opener;
    this.#socketType = socketType;
    this.#owner = owner;
  }

  /** Part of a CURVE message is held: the stream ending now would truncate it. */
  get midMessage(): boolean {
    return this.#opener?.midMessage ?? false;
  }

  message(message: Message): boolean {
    if (this.#opener === undefined) return this.#deliver(message);
    return message.length === 1 ? this.#openBox(message[0]!) : this.#boxFault("MORE flag on a CURVE frame");
  }

  command(body: Buffer): boolean {
    // Under CURVE, libzmq opens every frame as a box, command-flagged or not.
    return this.#opener !== undefined ? this.#openBox(body) : this.#trafficCommand(body);
  }

  /** The pipe has room again: true once the held message (if any) is in and reading may go on. */
  retry(): boolean {
    const held = this.#held;
    if (held === undefined) return true;
    const pipe = this.#pipe;
    if (!pipe.write(held) && !pipe.closed && !pipe.ended) return false;
    this.#held = undefined;
    return true;
  }

  /** Forgets the held message (the engine is closing). */
  drop(): void {
    this.#held = undefined;
  }

  /** One message for the socket; false (and the message held) when its pipe is full. */
  #deliver(message: Message): boolean {
    const pipe = this.#pipe;
    if (pipe.write(message)) return true;
    // Nobody will read this pipe again (the socket is closing): drop the input but keep
    // reading, so the peer is never blocked while our outbound side still flushes.
    if (pipe.closed || pipe.ended) return true;
    // The pipe is at its high-water mark: keep this message, stop reading (DESIGN.md, 24.7).
    this.#held = message;
    this.#owner.pause();
    return false;
  }

  /**
   * CURVE after the handshake: each frame is a MESSAGE box (RFC 26), sent by libzmq as a
   * frame with no flags. What it holds is handled as if the peer had sent it in the clear.
   */
  #openBox(body: Buffer): boolean {
    const opened = this.#opener!.open(body);
    switch (opened.kind) {
      case "partial":
        return true;
      case "message":
        return this.#deliver(opened.message);
      case "command":
        return this.#trafficCommand(opened.body);
      case "fault":
        return this.#boxFault(opened.failure.message, opened.failure.kind === "protocol" ? opened.failure.code : "EPROTO");
      default:
        return opened satisfies never;
    }
  }

  #boxFault(message: string, code = "ERR_ZMTP_MALFORMED_COMMAND_MESSAGE"): false {
    this.#owner.fault(new EngineError("protocol", code, message, false));
    return false;
  }

  #trafficCommand(body: Buffer): boolean {
    const command = readTrafficCommand(body, this.#socketType);
    switch (command.action) {
      case "ignore":
        return true;
      case "pong":
        this.#owner.pinged(command.ttl, command.body);
        return true;
      case "deliver":
        return this.#deliver(command.message);
      case "fault":
        this.#owner.fault(EngineError.protocol(command.error, false));
        return false;
      default:
        return command satisfies never;
    }
  }
}
