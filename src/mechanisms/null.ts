import { encodeReady, ERROR, parseError, READY, splitCommand } from "../zmtp/commands";
import { parseMetadata, type Metadata } from "../zmtp/metadata";
import { ProtocolError } from "../zmtp/protocol-error";
import { peerErrorFailure } from "./error-reason";
import {
  HANDSHAKING,
  READY_STATUS,
  type Mechanism,
  type MechanismFailure,
  type MechanismOptions,
  type MechanismStatus,
} from "./mechanism";
import { basicProperties } from "./properties";

/**
 * The NULL mechanism (RFC 37 "The NULL Security Mechanism"): no authentication, no
 * confidentiality.
 *
 *   null  = ready *message | error
 *   ready = command-size %d5 "READY" metadata
 *   error = command-size %d5 "ERROR" error-reason
 *
 * Both peers send READY at once without waiting for the other's (as libzmq does; the
 * RFC's client/server order only matters to a server that validates first). The
 * handshake is complete when READY has been both sent and received. The peer's
 * Socket-Type is checked by the engine, which does so for every mechanism.
 */
export class NullMechanism implements Mechanism {
  readonly name = "NULL";
  /** RFC 37: "When a peer uses the NULL security mechanism, the as-server field MUST be zero." */
  readonly asServer = false;
  readonly #options: MechanismOptions;
  #readySent = false;
  #readyReceived = false;
  #status: MechanismStatus = HANDSHAKING;
  #peerMetadata: Metadata = new Map();

  constructor(options: MechanismOptions) {
    this.#options = options;
  }

  get status(): MechanismStatus {
    return this.#status;
  }

  get peerMetadata(): Metadata {
    return this.#peerMetadata;
  }

  nextCommand(): Buffer | undefined {
    if (this.#readySent || this.#status.state === "error") return undefined;
    this.#readySent = true;
    this.#update();
    return encodeReady(basicProperties(this.#options));
  }

  processCommand(body: Buffer): void {
    if (this.#status.state === "error") return;
    if (this.#readyReceived) {
      return this.#fail({ kind: "protocol", code: "ERR_ZMTP_UNEXPECTED_COMMAND", message: "command after READY during the NULL handshake" });
    }
    const command = splitCommand(body);
    if (command instanceof ProtocolError) return this.#fail(protocol(command));
    switch (command.name) {
      case READY: {
        const metadata = parseMetadata(command.data);
        if (metadata instanceof ProtocolError) return this.#fail(protocol(metadata));
        this.#peerMetadata = metadata;
        this.#readyReceived = true;
        return this.#update();
      }
      case ERROR: {
        const reason = parseError(command.data);
        if (reason instanceof ProtocolError) return this.#fail(protocol(reason));
        return this.#fail(peerErrorFailure(reason));
      }
      default:
        return this.#fail({
          kind: "protocol",
          code: "ERR_ZMTP_UNEXPECTED_COMMAND",
          message: `unexpected ${command.name} command during the NULL handshake`,
        });
    }
  }

  #update(): void {
    if (this.#readySent && this.#readyReceived) this.#status = READY_STATUS;
  }

  #fail(failure: MechanismFailure): void {
    this.#status = { state: "error", failure };
  }
}

function protocol(error: ProtocolError): MechanismFailure {
  return { kind: "protocol", code: error.code, message: error.message };
}
