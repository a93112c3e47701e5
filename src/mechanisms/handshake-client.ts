import { ERROR, parseError, READY, splitCommand } from "../zmtp/commands";
import type { Metadata } from "../zmtp/metadata";
import { ProtocolError } from "../zmtp/protocol-error";
import { peerErrorFailure } from "./error-reason";
import { HANDSHAKING, protocolFailure, READY_STATUS, type Mechanism, type MechanismFailure, type MechanismOptions, type MechanismStatus } from "./mechanism";

/**
 * The client side that PLAIN (RFC 24) and CurveZMQ (RFC 26) share:
 *
 *   C:hello ( S:welcome | S:error ) C:initiate ( S:ready | S:error )
 *
 * States, one line each:
 * - hello: HELLO is the next command to send.
 * - welcome: HELLO sent; waiting for WELCOME (or ERROR).
 * - initiate: WELCOME accepted; INITIATE is next.
 * - ready: INITIATE sent; waiting for READY (or ERROR).
 * - done: READY accepted. "The client MAY send messages after receiving a READY command."
 *
 * A subclass builds and reads the four commands; a malformed one calls `fail`.
 */
type State = "hello" | "welcome" | "initiate" | "ready" | "done";

export abstract class HandshakeClient implements Mechanism {
  abstract readonly name: string;
  readonly asServer = false;
  protected readonly options: MechanismOptions;
  #state: State = "hello";
  #status: MechanismStatus = HANDSHAKING;
  #peerMetadata: Metadata = new Map();

  constructor(options: MechanismOptions) {
    this.options = options;
  }

  get status(): MechanismStatus {
    return this.#status;
  }

  get peerMetadata(): Metadata {
    return this.#peerMetadata;
  }

  nextCommand(): Buffer | undefined {
    if (this.failed) return undefined;
    if (this.#state === "hello") {
      this.#state = "welcome";
      return this.hello();
    }
    if (this.#state === "initiate") {
      this.#state = "ready";
      return this.initiate();
    }
    return undefined;
  }

  processCommand(body: Buffer): void {
    if (this.failed) return;
    const command = splitCommand(body);
    if (command instanceof ProtocolError) return this.fail(protocolFailure(command.code, command.message));
    if (command.name === "WELCOME" && this.#state === "welcome") {
      this.welcome(command.data);
      if (!this.failed) this.#state = "initiate";
      return;
    }
    if (command.name === READY && this.#state === "ready") {
      const metadata = this.ready(command.data);
      if (metadata === undefined) return;
      this.#peerMetadata = metadata;
      this.#state = "done";
      this.#status = READY_STATUS;
      return;
    }
    if (command.name === ERROR && (this.#state === "welcome" || this.#state === "ready")) {
      const reason = parseError(command.data);
      if (reason instanceof ProtocolError) return this.fail(protocolFailure(reason.code, reason.message));
      return this.fail(peerErrorFailure(reason));
    }
    this.fail(protocolFailure("ERR_ZMTP_UNEXPECTED_COMMAND", `unexpected ${command.name} in the ${this.name} handshake`));
  }

  protected abstract hello(): Buffer;
  /** Reads WELCOME's data; `fail`s if it is not acceptable. */
  protected abstract welcome(data: Buffer): void;
  protected abstract initiate(): Buffer;
  /** Reads READY's data: the server's metadata, or undefined after a `fail`. */
  protected abstract ready(data: Buffer): Metadata | undefined;

  protected get failed(): boolean {
    return this.#status.state === "error";
  }

  protected fail(failure: MechanismFailure): void {
    this.#status = { state: "error", failure };
  }
}
