import { encodeCommand } from "../zmtp/commands";
import { encodeMetadata, parseMetadata, type Metadata } from "../zmtp/metadata";
import { ProtocolError } from "../zmtp/protocol-error";
import { HandshakeClient } from "./handshake-client";
import { protocolFailure, type MechanismOptions } from "./mechanism";
import { LIBZMQ_PLAIN_ERROR } from "./plain-server";
import { basicProperties } from "./properties";

/**
 * The client side of PLAIN (RFC 24); the handshake's shape is HandshakeClient's.
 *
 *   hello = command-size %d5 "HELLO" username password
 */
export class PlainClient extends HandshakeClient {
  readonly name = "PLAIN";
  readonly #username: Buffer;
  readonly #password: Buffer;

  /** `username` and `password`: at most 255 octets each (the socket options check). */
  constructor(options: MechanismOptions, username: string, password: string) {
    super(options);
    this.#username = Buffer.from(username, "utf8").subarray(0, 255);
    this.#password = Buffer.from(password, "utf8").subarray(0, 255);
  }

  override processCommand(body: Buffer): void {
    // libzmq 4.3's PLAIN server refuses with "^RROR" + reason (see plain-server.ts).
    if (body.subarray(0, 5).equals(LIBZMQ_PLAIN_ERROR)) body = Buffer.concat([Buffer.from("\x05E", "latin1"), body.subarray(1)]);
    super.processCommand(body);
  }

  protected hello(): Buffer {
    const user = this.#username;
    const pass = this.#password;
    return encodeCommand("HELLO", Buffer.concat([Buffer.from([user.length]), user, Buffer.from([pass.length]), pass]));
  }

  protected welcome(data: Buffer): void {
    // libzmq: a WELCOME with anything after its name is malformed.
    if (data.length !== 0) this.fail(protocolFailure("ERR_ZMTP_MALFORMED_COMMAND_WELCOME", "WELCOME with data"));
  }

  protected initiate(): Buffer {
    return encodeCommand("INITIATE", encodeMetadata(basicProperties(this.options)));
  }

  protected ready(data: Buffer): Metadata | undefined {
    const metadata = parseMetadata(data);
    if (!(metadata instanceof ProtocolError)) return metadata;
    this.fail(protocolFailure(metadata.code, metadata.message));
    return undefined;
  }
}
