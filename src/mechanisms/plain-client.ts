import { encodeCommand, ERROR, parseError, READY, splitCommand } from "../zmtp/commands";
import { encodeMetadata, parseMetadata, type Metadata } from "../zmtp/metadata";
import { ProtocolError } from "../zmtp/protocol-error";
import { peerErrorFailure } from "./error-reason";
import {
  HANDSHAKING,
  protocolFailure,
  READY_STATUS,
  type Mechanism,
  type MechanismFailure,
  type MechanismOptions,
  type MechanismStatus,
} from "./mechanism";
import { LIBZMQ_PLAIN_ERROR } from "./plain-server";
import { basicProperties } from "./properties";

/**
 * The client side of PLAIN (RFC 24):
 *
 *   plain = C:hello ( S:welcome | S:error )
 *           C:initiate ( S:ready | S:error )
 *   hello = command-size %d5 "HELLO" username password
 *
 * States, one line each:
 * - hello: HELLO is the next command to send.
 * - welcome: HELLO sent; waiting for WELCOME (or ERROR).
 * - initiate: WELCOME received; INITIATE (our metadata) is next.
 * - ready: INITIATE sent; waiting for READY (or ERROR).
 * - done: READY received. "The client MAY send messages after receiving a READY command."
 */
type State = "hello" | "welcome" | "initiate" | "ready" | "done";

export class PlainClient implements Mechanism {
  readonly name = "PLAIN";
  readonly asServer = false;
  readonly #options: MechanismOptions;
  readonly #username: Buffer;
  readonly #password: Buffer;
  #state: State = "hello";
  #status: MechanismStatus = HANDSHAKING;
  #peerMetadata: Metadata = new Map();

  /** `username` and `password`: at most 255 octets each (the socket options check). */
  constructor(options: MechanismOptions, username: string, password: string) {
    this.#options = options;
    this.#username = Buffer.from(username, "utf8").subarray(0, 255);
    this.#password = Buffer.from(password, "utf8").subarray(0, 255);
  }

  get status(): MechanismStatus {
    return this.#status;
  }

  get peerMetadata(): Metadata {
    return this.#peerMetadata;
  }

  nextCommand(): Buffer | undefined {
    if (this.#status.state === "error") return undefined;
    if (this.#state === "hello") {
      this.#state = "welcome";
      const user = this.#username;
      const pass = this.#password;
      const data = Buffer.concat([Buffer.from([user.length]), user, Buffer.from([pass.length]), pass]);
      return encodeCommand("HELLO", data);
    }
    if (this.#state === "initiate") {
      this.#state = "ready";
      return encodeCommand("INITIATE", encodeMetadata(basicProperties(this.#options)));
    }
    return undefined;
  }

  processCommand(body: Buffer): void {
    if (this.#status.state === "error") return;
    // libzmq 4.3's PLAIN server refuses with "^RROR" + reason (see plain-server.ts).
    if (body.subarray(0, 5).equals(LIBZMQ_PLAIN_ERROR)) body = Buffer.concat([Buffer.from("\x05E", "latin1"), body.subarray(1)]);
    const command = splitCommand(body);
    if (command instanceof ProtocolError) return this.#fail(protocolFailure(command.code, command.message));
    if (command.name === "WELCOME" && this.#state === "welcome") {
      // libzmq: a WELCOME with anything after its name is malformed.
      if (command.data.length !== 0) return this.#fail(protocolFailure("ERR_ZMTP_MALFORMED_COMMAND_WELCOME", "WELCOME with data"));
      this.#state = "initiate";
      return;
    }
    if (command.name === READY && this.#state === "ready") {
      const metadata = parseMetadata(command.data);
      if (metadata instanceof ProtocolError) return this.#fail(protocolFailure(metadata.code, metadata.message));
      this.#peerMetadata = metadata;
      this.#state = "done";
      this.#status = READY_STATUS;
      return;
    }
    if (command.name === ERROR && (this.#state === "welcome" || this.#state === "ready")) {
      const reason = parseError(command.data);
      if (reason instanceof ProtocolError) return this.#fail(protocolFailure(reason.code, reason.message));
      return this.#fail(peerErrorFailure(reason));
    }
    this.#fail(protocolFailure("ERR_ZMTP_UNEXPECTED_COMMAND", `unexpected ${command.name} in the PLAIN handshake`));
  }

  #fail(failure: MechanismFailure): void {
    this.#status = { state: "error", failure };
  }
}
