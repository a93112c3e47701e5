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
  type ZapAsker,
} from "./mechanism";
import { basicProperties } from "./properties";
import { NO_HANDLER, readZapReply, refusal, withZapProperties, zapRequest, type ZapSettings } from "./zap";

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
 *
 * With a ZAP domain set (libzmq: "NULL mechanism only uses ZAP if there's a domain
 * defined"), our READY waits for the handler's verdict on the peer's address; a refusal
 * sends ERROR with the status instead (none for 300), as libzmq's null_mechanism_t does.
 */
export class NullMechanism implements Mechanism, ZapAsker {
  readonly name = "NULL";
  /** RFC 37: "When a peer uses the NULL security mechanism, the as-server field MUST be zero." */
  readonly asServer = false;
  readonly #options: MechanismOptions;
  #readySent = false;
  #readyReceived = false;
  #status: MechanismStatus = HANDSHAKING;
  #peerMetadata: Metadata = new Map();
  readonly #zap: ZapSettings | undefined;
  /** ask: the request is still to be made; asked: waiting for the reply; done: READY may go. */
  #zapPhase: "ask" | "asked" | "done";
  #zapRequest: Buffer[] | undefined = undefined;
  #zapVerdict: { userId: Buffer; metadata: Metadata } | undefined = undefined;
  /** An ERROR to send (ZAP refused with 400 or 500), after which the handshake has failed. */
  #refusal: { error: Buffer; failure: MechanismFailure } | undefined = undefined;

  constructor(options: MechanismOptions, zap?: ZapSettings) {
    this.#options = options;
    this.#zap = zap !== undefined && zap.domain !== "" ? zap : undefined;
    this.#zapPhase = this.#zap === undefined ? "done" : "ask";
  }

  get status(): MechanismStatus {
    return this.#status;
  }

  get peerMetadata(): Metadata {
    return withZapProperties(this.#peerMetadata, this.#zapVerdict);
  }

  nextCommand(): Buffer | undefined {
    if (this.#refusal !== undefined) {
      const { error, failure } = this.#refusal;
      this.#refusal = undefined;
      this.#fail(failure);
      return error;
    }
    if (this.#readySent || this.#status.state === "error") return undefined;
    if (this.#zapPhase === "ask") {
      this.#zapPhase = "asked";
      this.#zapRequest = zapRequest("NULL", this.#zap!, this.#options, []);
    }
    if (this.#zapPhase !== "done") return undefined;
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

  takeZapRequest(): Buffer[] | undefined {
    const request = this.#zapRequest;
    this.#zapRequest = undefined;
    return request;
  }

  zapReply(reply: Buffer[] | "none"): void {
    if (this.#zapPhase !== "asked" || this.#status.state === "error") return;
    this.#zapPhase = "done";
    if (reply === "none") {
      // libzmq: no handler is a failure only with ZMQ_ZAP_ENFORCE_DOMAIN.
      if (this.#zap!.enforceDomain) this.#fail(NO_HANDLER);
      return;
    }
    const verdict = readZapReply(reply);
    if ("kind" in verdict) return this.#fail(verdict);
    if (verdict.status === 200) {
      this.#zapVerdict = verdict;
      return;
    }
    const { failure, error } = refusal(verdict.status);
    if (error === undefined) this.#fail(failure);
    else this.#refusal = { error, failure };
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
