import type { Metadata } from "../zmtp/metadata";
import { HANDSHAKING, READY_STATUS, type MechanismFailure, type MechanismOptions, type MechanismStatus, type ZapAsker } from "./mechanism";
import { NO_HANDLER, readZapReply, refusal, withZapProperties, zapRequest, type ZapSettings } from "./zap";

/**
 * What the PLAIN and CURVE servers share: the handshake status and the ZAP round trip
 * (RFC 27) that decides whether the client is admitted. The subclass asks (`askZap`) once
 * it holds the client's credentials and hears the outcome through `verdict`; refused, it
 * sends `sendRefusal()` as its next command, which ends the handshake.
 */
export abstract class ZapServer implements ZapAsker {
  readonly asServer = true;
  protected readonly options: MechanismOptions;
  protected readonly zap: ZapSettings;
  /** The client's own properties, from its INITIATE. */
  protected clientMetadata: Metadata = new Map();
  #status: MechanismStatus = HANDSHAKING;
  #awaiting = false;
  #zapRequest: Buffer[] | undefined = undefined;
  #verdict: { userId: Buffer; metadata: Metadata } | undefined = undefined;
  #refusal: { error: Buffer; failure: MechanismFailure } | undefined = undefined;

  constructor(options: MechanismOptions, zap: ZapSettings) {
    this.options = options;
    this.zap = zap;
  }

  get status(): MechanismStatus {
    return this.#status;
  }

  /** The client's properties, with the handler's User-Id and metadata in front. */
  get peerMetadata(): Metadata {
    return withZapProperties(this.clientMetadata, this.#verdict);
  }

  takeZapRequest(): Buffer[] | undefined {
    const request = this.#zapRequest;
    this.#zapRequest = undefined;
    return request;
  }

  zapReply(reply: Buffer[] | "none"): void {
    if (!this.#awaiting || this.failed) return;
    this.#awaiting = false;
    if (reply === "none") return this.admitsWithoutHandler() ? this.verdict("admitted") : this.fail(NO_HANDLER);
    const verdict = readZapReply(reply);
    if ("kind" in verdict) return this.fail(verdict);
    if (verdict.status === 200) {
      this.#verdict = verdict;
      return this.verdict("admitted");
    }
    const { failure, error } = refusal(verdict.status);
    if (error === undefined) return this.fail(failure);
    this.#refusal = { error: this.refusalCommand(error), failure };
    this.verdict("refused");
  }

  protected get failed(): boolean {
    return this.#status.state === "error";
  }

  protected fail(failure: MechanismFailure): void {
    this.#status = { state: "error", failure };
  }

  /** The last handshake command is out: traffic may flow. */
  protected succeed(): void {
    this.#status = READY_STATUS;
  }

  protected askZap(mechanism: "PLAIN" | "CURVE", credentials: Buffer[]): void {
    this.#awaiting = true;
    this.#zapRequest = zapRequest(mechanism, this.zap, this.options, credentials);
  }

  /** The refusal's ERROR command, to send last: the handshake has failed. */
  protected sendRefusal(): Buffer {
    const { error, failure } = this.#refusal!;
    this.fail(failure);
    return error;
  }

  /** With no handler bound: libzmq's PLAIN refuses every client, its CURVE admits them (unless ZMQ_ZAP_ENFORCE_DOMAIN). */
  protected abstract admitsWithoutHandler(): boolean;

  /** The handler has decided; the subclass moves on (READY or WELCOME next, or the refusal). */
  protected abstract verdict(outcome: "admitted" | "refused"): void;

  /** The ERROR command a refusal sends, as `refusal()` encodes it; PLAIN rewrites it (plain-server.ts). */
  protected refusalCommand(error: Buffer): Buffer {
    return error;
  }
}
