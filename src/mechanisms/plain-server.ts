import { encodeCommand, encodeReady, splitCommand } from "../zmtp/commands";
import { parseMetadata, type Metadata } from "../zmtp/metadata";
import { ProtocolError } from "../zmtp/protocol-error";
import {
  HANDSHAKING,
  protocolFailure,
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
 * The server side of PLAIN (RFC 24): "The client authenticates itself to the server by
 * sending a HELLO command. The server accepts or rejects this authentication. If it
 * accepts it, it replies with a WELCOME command."
 *
 * The decision is the ZAP handler's (RFC 27: mechanism "PLAIN", credentials username and
 * password). libzmq 4.3 refuses every PLAIN client when no handler is bound ("there is no
 * point to PLAIN if ZAP is not set up"): the handshake fails with no detail (EFAULT).
 *
 * A refusal goes to the peer as libzmq 4.3 sends it, which is not quite an ERROR command:
 * libzmq's PLAIN declares its prefix as the C string "\x05ERROR", and C reads "\x05E"
 * as the single character 0x5E, so the body is "^RROR" + reason. libzmq's PLAIN client
 * only recognises that form (a proper ERROR is an "unexpected command" to it), so we
 * send it too; PlainClient accepts both.
 *
 * States, one line each:
 * - hello: waiting for HELLO.
 * - zap: HELLO parsed; waiting for the handler's verdict.
 * - welcome: admitted; WELCOME is next. refused: ERROR "400"/"500" is next, then failure.
 * - initiate: WELCOME sent; waiting for INITIATE (the client's metadata).
 * - ready: INITIATE parsed; READY is next. done: READY sent.
 */
type State = "hello" | "zap" | "welcome" | "refused" | "initiate" | "ready" | "done";

/** What libzmq 4.3's PLAIN sends in place of "\x05ERROR" (see above). */
export const LIBZMQ_PLAIN_ERROR = Buffer.from("^RROR", "latin1");

export class PlainServer implements Mechanism, ZapAsker {
  readonly name = "PLAIN";
  readonly asServer = true;
  readonly #options: MechanismOptions;
  readonly #zap: ZapSettings;
  #state: State = "hello";
  #status: MechanismStatus = HANDSHAKING;
  #peerMetadata: Metadata = new Map();
  #zapRequest: Buffer[] | undefined = undefined;
  #verdict: { userId: Buffer; metadata: Metadata } | undefined = undefined;
  #refusal: { error: Buffer; failure: MechanismFailure } | undefined = undefined;

  constructor(options: MechanismOptions, zap: ZapSettings) {
    this.#options = options;
    this.#zap = zap;
  }

  get status(): MechanismStatus {
    return this.#status;
  }

  /** The client's INITIATE properties, with the handler's User-Id and metadata in front. */
  get peerMetadata(): Metadata {
    return withZapProperties(this.#peerMetadata, this.#verdict);
  }

  nextCommand(): Buffer | undefined {
    if (this.#status.state === "error") return undefined;
    switch (this.#state) {
      case "welcome":
        this.#state = "initiate";
        return encodeCommand("WELCOME");
      case "refused": {
        const { error, failure } = this.#refusal!;
        this.#fail(failure);
        return error;
      }
      case "ready":
        this.#state = "done";
        this.#status = READY_STATUS;
        return encodeReady(basicProperties(this.#options));
      default:
        return undefined;
    }
  }

  processCommand(body: Buffer): void {
    if (this.#status.state === "error") return;
    const command = splitCommand(body);
    if (command instanceof ProtocolError) return this.#fail(protocolFailure(command.code, command.message));
    if (this.#state === "hello" && command.name === "HELLO") return this.#hello(command.data);
    if (this.#state === "initiate" && command.name === "INITIATE") {
      const metadata = parseMetadata(command.data);
      if (metadata instanceof ProtocolError) return this.#fail(protocolFailure(metadata.code, metadata.message));
      this.#peerMetadata = metadata;
      this.#state = "ready";
      return;
    }
    this.#fail(protocolFailure("ERR_ZMTP_UNEXPECTED_COMMAND", `unexpected ${command.name} in the PLAIN handshake`));
  }

  takeZapRequest(): Buffer[] | undefined {
    const request = this.#zapRequest;
    this.#zapRequest = undefined;
    return request;
  }

  zapReply(reply: Buffer[] | "none"): void {
    if (this.#state !== "zap" || this.#status.state === "error") return;
    if (reply === "none") return this.#fail(NO_HANDLER);
    const verdict = readZapReply(reply);
    if ("kind" in verdict) return this.#fail(verdict);
    if (verdict.status === 200) {
      this.#verdict = verdict;
      this.#state = "welcome";
      return;
    }
    const { failure, error } = refusal(verdict.status);
    if (error === undefined) return this.#fail(failure);
    this.#refusal = { error: Buffer.concat([LIBZMQ_PLAIN_ERROR, error.subarray(6)]), failure };
    this.#state = "refused";
  }

  /** hello = username password; each "OCTET *VCHAR", and nothing may follow. */
  #hello(data: Buffer): void {
    const malformed = (why: string) => this.#fail(protocolFailure("ERR_ZMTP_MALFORMED_COMMAND_HELLO", `PLAIN HELLO: ${why}`));
    if (data.length < 1) return malformed("no username");
    const userEnd = 1 + data[0]!;
    if (userEnd > data.length) return malformed("username overruns the command");
    if (userEnd >= data.length) return malformed("no password");
    const passEnd = userEnd + 1 + data[userEnd]!;
    if (passEnd !== data.length) return malformed(passEnd > data.length ? "password overruns the command" : "data after the password");
    const username = Buffer.from(data.subarray(1, userEnd));
    const password = Buffer.from(data.subarray(userEnd + 1, passEnd));
    this.#state = "zap";
    this.#zapRequest = zapRequest("PLAIN", this.#zap, this.#options, [username, password]);
  }

  #fail(failure: MechanismFailure): void {
    this.#status = { state: "error", failure };
  }
}
