import type { Message } from "../message";
import { Pipe } from "../pipe/pipe";
import { encodeCancel, encodeSubscribe } from "../zmtp/commands";
import type { Mechanism, MechanismFailure } from "./mechanism";

type Encrypting = Required<Pick<Mechanism, "encodeFrame" | "decodeFrame">>;

/**
 * The outbound side of an encrypting mechanism (CURVE), between the socket's outbound
 * pipe and the frame writer. The writer reads this pipe as it reads any other; each read
 * hands it one MESSAGE box as a one-frame message, so every box goes out as its own
 * frame with no flags, exactly as libzmq 4.3 sends them (MORE travels inside the box).
 *
 * Frames are encrypted when the writer reads them, never earlier, so boxes reach the wire
 * in the order of their nonces (RFC 26: an out-of-order nonce kills the connection) and
 * the socket's pipe keeps its own high-water mark: nothing piles up here. Commands of
 * ours (PING, PONG) wait in `#commands` and go out, encrypted, before the next message.
 */
export class CipherPipe extends Pipe {
  readonly #mechanism: Encrypting;
  readonly #plain: Pipe;
  /** Subscriptions go as SUBSCRIBE/CANCEL commands (SUB/XSUB to a ZMTP 3.1 peer). */
  readonly #subscriptionCommands: boolean;
  #commands: Buffer[] = [];
  /** Boxes of the message being sent, not yet read. */
  #boxes: Buffer[] = [];

  constructor(mechanism: Encrypting, plain: Pipe, subscriptionCommands: boolean) {
    super(0);
    this.#mechanism = mechanism;
    this.#plain = plain;
    this.#subscriptionCommands = subscriptionCommands;
    plain.onReadable = () => this.onReadable?.();
  }

  override get length(): number {
    return this.#boxes.length + this.#commands.length + this.#plain.length;
  }

  /** Queues one of our commands; the writer must be told (schedule) to pick it up. */
  command(body: Buffer): void {
    this.#commands.push(body);
  }

  override read(): Message | undefined {
    if (this.#boxes.length > 0) return [this.#boxes.shift()!];
    const command = this.#commands.shift();
    if (command !== undefined) return [this.#mechanism.encodeFrame(command, false, true)];
    const message = this.#plain.read();
    if (message === undefined) return undefined;
    const subscription = this.#subscriptionCommands ? subscriptionCommand(message) : undefined;
    if (subscription !== undefined) return [this.#mechanism.encodeFrame(subscription, false, true)];
    const last = message.length - 1;
    for (let i = 0; i < last; i++) this.#boxes.push(this.#mechanism.encodeFrame(message[i]!, true));
    const final = this.#mechanism.encodeFrame(message[last]!, false);
    if (last === 0) return [final];
    this.#boxes.push(final);
    return [this.#boxes.shift()!];
  }

  /** Stops relaying the socket pipe's signal. */
  detach(): void {
    this.#plain.onReadable = undefined;
    this.onReadable = undefined;
  }
}

/**
 * RFC 37 "The Publish-Subscribe Pattern": the socket writes a subscription as the ZMTP 3.0
 * message (1 or 0, then the topic); a ZMTP 3.1 peer gets SUBSCRIBE or CANCEL instead.
 */
function subscriptionCommand(message: Message): Buffer | undefined {
  const first = message[0];
  if (message.length !== 1 || first === undefined || first.length === 0 || first[0]! > 1) return undefined;
  return first[0] === 1 ? encodeSubscribe(first.subarray(1)) : encodeCancel(first.subarray(1));
}

/** What one box from the peer held. */
export type Opened =
  | { kind: "message"; message: Message }
  | { kind: "command"; body: Buffer }
  /** A frame of a message whose last frame is still to come. */
  | { kind: "partial" }
  | { kind: "fault"; failure: MechanismFailure };

/**
 * The inbound side: each frame from the peer is one MESSAGE box; its payload flags say
 * whether more frames of the message follow, or whether it is a command (PING, SUBSCRIBE).
 */
export class BoxOpener {
  readonly #mechanism: Encrypting;
  #parts: Buffer[] | undefined = undefined;

  constructor(mechanism: Encrypting) {
    this.#mechanism = mechanism;
  }

  /** A message is being assembled: the stream ending now would cut it. */
  get midMessage(): boolean {
    return this.#parts !== undefined;
  }

  open(body: Buffer): Opened {
    const decoded = this.#mechanism.decodeFrame(body);
    if ("kind" in decoded) return { kind: "fault", failure: decoded };
    if (decoded.command) {
      if (this.#parts !== undefined) return { kind: "fault", failure: { kind: "protocol", code: "EPROTO", message: "command inside a multipart message" } };
      return { kind: "command", body: decoded.frame };
    }
    if (decoded.more) {
      (this.#parts ??= []).push(decoded.frame);
      return { kind: "partial" };
    }
    const parts = this.#parts;
    this.#parts = undefined;
    if (parts === undefined) return { kind: "message", message: [decoded.frame] };
    parts.push(decoded.frame);
    return { kind: "message", message: parts };
  }
}
