import { encodeCommand, encodeReady, splitCommand } from "../zmtp/commands";
import { parseMetadata } from "../zmtp/metadata";
import { ProtocolError } from "../zmtp/protocol-error";
import { protocolFailure, type Mechanism } from "./mechanism";
import { basicProperties } from "./properties";
import { ZapServer } from "./zap-server";

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

export class PlainServer extends ZapServer implements Mechanism {
  readonly name = "PLAIN";
  #state: State = "hello";

  nextCommand(): Buffer | undefined {
    if (this.failed) return undefined;
    switch (this.#state) {
      case "welcome":
        this.#state = "initiate";
        return encodeCommand("WELCOME");
      case "refused":
        return this.sendRefusal();
      case "ready":
        this.#state = "done";
        this.succeed();
        return encodeReady(basicProperties(this.options));
      default:
        return undefined;
    }
  }

  processCommand(body: Buffer): void {
    if (this.failed) return;
    const command = splitCommand(body);
    if (command instanceof ProtocolError) return this.fail(protocolFailure(command.code, command.message));
    if (this.#state === "hello" && command.name === "HELLO") return this.#hello(command.data);
    if (this.#state === "initiate" && command.name === "INITIATE") {
      const metadata = parseMetadata(command.data);
      if (metadata instanceof ProtocolError) return this.fail(protocolFailure(metadata.code, metadata.message));
      this.clientMetadata = metadata;
      this.#state = "ready";
      return;
    }
    this.fail(protocolFailure("ERR_ZMTP_UNEXPECTED_COMMAND", `unexpected ${command.name} in the PLAIN handshake`));
  }

  protected admitsWithoutHandler(): boolean {
    return false;
  }

  protected verdict(outcome: "admitted" | "refused"): void {
    this.#state = outcome === "admitted" ? "welcome" : "refused";
  }

  protected override refusalCommand(error: Buffer): Buffer {
    return Buffer.concat([LIBZMQ_PLAIN_ERROR, error.subarray(6)]);
  }

  /** hello = username password; each "OCTET *VCHAR", and nothing may follow. */
  #hello(data: Buffer): void {
    const malformed = (why: string) => this.fail(protocolFailure("ERR_ZMTP_MALFORMED_COMMAND_HELLO", `PLAIN HELLO: ${why}`));
    if (data.length < 1) return malformed("no username");
    const userEnd = 1 + data[0]!;
    if (userEnd > data.length) return malformed("username overruns the command");
    if (userEnd >= data.length) return malformed("no password");
    const passEnd = userEnd + 1 + data[userEnd]!;
    if (passEnd !== data.length) return malformed(passEnd > data.length ? "password overruns the command" : "data after the password");
    const username = Buffer.from(data.subarray(1, userEnd));
    const password = Buffer.from(data.subarray(userEnd + 1, passEnd));
    this.#state = "zap";
    this.askZap("PLAIN", [username, password]);
  }
}
