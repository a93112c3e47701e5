import type { Mechanism } from "../mechanisms/mechanism";
import { NullMechanism } from "../mechanisms/null";
import { EMPTY } from "../message";
import type { PeerInfo } from "../pipe/peer";
import { isCompatible } from "../socket-type";
import { encodeError } from "../zmtp/commands";
import { encodeGreeting, GreetingParser, type Greeting } from "../zmtp/greeting";
import { IDENTITY, SOCKET_TYPE, getProperty } from "../zmtp/metadata";
import { ProtocolError } from "../zmtp/protocol-error";
import { EngineError } from "./engine-error";
import type { EngineOptions } from "./options";

export type GreetingStep =
  | { status: "partial" }
  | { status: "greeted"; greeting: Greeting; rest: Buffer }
  | { status: "failed"; error: EngineError };

export type CommandStep =
  | { status: "continue" }
  | { status: "done"; peer: PeerInfo }
  /** `farewell`: an ERROR command body to send before closing. */
  | { status: "failed"; error: EngineError; farewell?: Buffer };

/**
 * The ZMTP 3.x handshake from the first byte to the peer's metadata, with no I/O
 * (RFC 37 "Overall Behavior"):
 *
 *   1. both peers send a greeting; the mechanisms must match exactly;
 *   2. the mechanism exchanges commands until it is ready (or fails);
 *   3. the peer's metadata is checked: its Socket-Type must be one ours may talk to.
 *
 * The engine sends `greeting` at once, feeds `readGreeting` the raw bytes until the
 * peer's greeting is complete, then feeds `command` each decoded command and sends
 * whatever `outgoing()` returns after every step, then reads `settle()`. When the
 * mechanism waits on outside work (`wait()`: the CURVE crypto library starting, a ZAP
 * handler's verdict, RFC 27), the engine does the same once that work is done.
 */
export class Handshake {
  readonly #options: EngineOptions;
  readonly #mechanism: Mechanism;
  readonly #parser = new GreetingParser();
  /** An ERROR the mechanism produced as it failed: sent as the farewell, not as a command. */
  #farewell: Buffer | undefined = undefined;

  /** `peerAddress`: the peer's IP address, which a ZAP handler is told (RFC 27 "address"). */
  constructor(options: EngineOptions, peerAddress = "") {
    this.#options = options;
    const mechanismOptions = { socketType: options.socketType, routingId: options.routingId, asServer: options.asServer, peerAddress };
    this.#mechanism = options.mechanism?.(mechanismOptions) ?? new NullMechanism(mechanismOptions);
  }

  get mechanism(): Mechanism {
    return this.#mechanism;
  }

  /** Our 64-octet greeting. */
  greeting(): Buffer {
    return encodeGreeting(this.#mechanism.name, this.#mechanism.asServer);
  }

  readGreeting(chunk: Buffer): GreetingStep {
    const progress = this.#parser.feed(chunk);
    switch (progress.status) {
      case "partial":
        return progress;
      case "invalid":
        return { status: "failed", error: EngineError.protocol(progress.error, true) };
      case "complete": {
        const greeting = progress.greeting;
        // RFC 37: "If the mechanism that the peer received does not exactly match the
        // mechanism it sent, it MUST close the connection."
        if (greeting.mechanism !== this.#mechanism.name) {
          const error = new ProtocolError(
            "ERR_ZMTP_MECHANISM_MISMATCH",
            `peer uses mechanism ${JSON.stringify(greeting.mechanism)}, we use ${this.#mechanism.name}`,
          );
          return { status: "failed", error: EngineError.protocol(error, true) };
        }
        return { status: "greeted", greeting, rest: chunk.subarray(progress.consumed) };
      }
      default:
        return progress satisfies never;
    }
  }

  /**
   * The command bodies the mechanism wants sent now. A command it produced as it failed
   * (an ERROR refusing the peer) is kept back as the farewell of the failed step.
   */
  outgoing(): Buffer[] {
    const commands: Buffer[] = [];
    const mechanism = this.#mechanism;
    for (let body = mechanism.nextCommand(); body !== undefined; body = mechanism.nextCommand()) {
      if (mechanism.status.state === "error") {
        this.#farewell = body;
        break;
      }
      commands.push(body);
    }
    return commands;
  }

  command(body: Buffer): CommandStep {
    this.#mechanism.processCommand(body);
    return this.settle();
  }

  /** Where the handshake stands now (after sending `outgoing()`, or after a wait). */
  settle(): CommandStep {
    const status = this.#mechanism.status;
    switch (status.state) {
      case "handshaking":
        return { status: "continue" };
      case "error": {
        const failure = status.failure;
        // No detail for the peer (e.g. no ZAP handler): zeromq.js reports these as handshake:error:other.
        const error = failure.kind === "other" ? new EngineError("io", failure.code, failure.message, true) : EngineError.mechanism(failure);
        return { status: "failed", error, farewell: this.#farewell };
      }
      case "ready":
        return this.#checkPeer();
      default:
        return status satisfies never;
    }
  }

  /** Outside work the mechanism waits for (crypto start-up, a ZAP verdict); see Mechanism.takeWait. */
  wait(): Promise<void> | undefined {
    return this.#mechanism.takeWait?.();
  }

  /** The connection is gone: the mechanism drops pending outside work. */
  dispose(): void {
    this.#mechanism.dispose?.();
  }

  /**
   * RFC 37 "The Socket-Type Property": "The peer SHOULD enforce that the other peer is
   * using a valid socket type ... it SHOULD handle errors by returning an ERROR command,
   * and then disconnecting the peer." (libzmq 4.3 only disconnects.) A peer that sends
   * no Socket-Type at all is refused too.
   */
  #checkPeer(): CommandStep {
    const metadata = this.#mechanism.peerMetadata;
    const socketType = getProperty(metadata, SOCKET_TYPE)?.toString("latin1") ?? "";
    if (!isCompatible(this.#options.socketType, socketType)) {
      const message = socketType === ""
        ? "peer announced no Socket-Type"
        : `peer Socket-Type ${socketType} is not compatible with ${this.#options.socketType}`;
      const error = EngineError.protocol(new ProtocolError("ERR_ZMTP_INVALID_METADATA", message), true);
      return { status: "failed", error, farewell: encodeError("Invalid socket type") };
    }
    return {
      status: "done",
      peer: {
        socketType,
        identity: getProperty(metadata, IDENTITY) ?? EMPTY,
        metadata,
        endpoint: this.#options.endpoint,
      },
    };
  }
}
