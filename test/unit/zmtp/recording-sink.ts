import type { Message } from "../../../src/message";
import type { DecoderSink } from "../../../src/zmtp/decoder";
import type { ProtocolError } from "../../../src/zmtp/protocol-error";

export type Decoded = { message: Message } | { command: Buffer };

/** A DecoderSink that records everything, optionally refusing (returning false) every time. */
export class RecordingSink implements DecoderSink {
  readonly decoded: Decoded[] = [];
  readonly errors: ProtocolError[] = [];
  accept = true;

  message(msg: Message): boolean {
    this.decoded.push({ message: msg });
    return this.accept;
  }

  command(body: Buffer): boolean {
    this.decoded.push({ command: body });
    return this.accept;
  }

  error(err: ProtocolError): void {
    this.errors.push(err);
  }

  /** A printable form for deepEqual: messages as hex arrays, commands as "cmd:hex". */
  summary(): string[] {
    return this.decoded.map((d) =>
      "message" in d ? d.message.map((f) => f.toString("hex")).join("|") : `cmd:${d.command.toString("hex")}`,
    );
  }
}
