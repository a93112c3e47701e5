import type { Metadata } from "../zmtp/metadata";
import {
  HANDSHAKING,
  protocolFailure,
  type DecodedFrame,
  type Mechanism,
  type MechanismFailure,
  type MechanismStatus,
  type ZapAsker,
} from "./mechanism";
import type { ZapAnswer, ZapCall } from "./zap-client";

/** How a gated mechanism reaches the ZAP handler (zap-client.ts `askZap`, bound to a context). */
export type ZapPort = (request: Buffer[]) => ZapCall;

/** At most this many peer commands wait while the crypto library starts (a CURVE peer sends one). */
const MAX_EARLY_COMMANDS = 4;

/**
 * A mechanism whose handshake may wait on work outside it, done here so that the
 * mechanisms stay pure state machines (STYLE.md 5):
 *
 * - the crypto library starting (`ready`): until it has, the mechanism does not exist yet
 *   (`make` needs the library); the peer's first commands wait and are replayed;
 * - the ZAP handler's verdict: a request the mechanism makes (ZapAsker) goes to the
 *   handler through `zap`, and the answer comes back through `zapReply`.
 *
 * The engine calls `takeWait()` after each step and, once the promise settles, asks the
 * mechanism for its next commands and status again.
 */
export class GatedMechanism implements Mechanism {
  readonly name: string;
  readonly asServer: boolean;
  encodeFrame?: (frame: Buffer, more: boolean, command?: boolean) => Buffer;
  decodeFrame?: (body: Buffer) => DecodedFrame | MechanismFailure;
  readonly #make: () => Mechanism;
  readonly #zap: ZapPort;
  #inner: Mechanism | undefined = undefined;
  #ready: Promise<unknown> | undefined;
  #early: Buffer[] = [];
  #call: ZapCall | undefined = undefined;
  #failure: MechanismFailure | undefined = undefined;
  #disposed = false;

  /** `ready`: settles once `make` can run (undefined: it can now). */
  constructor(name: string, asServer: boolean, make: () => Mechanism, ready: Promise<unknown> | undefined, zap: ZapPort) {
    this.name = name;
    this.asServer = asServer;
    this.#make = make;
    this.#zap = zap;
    this.#ready = ready;
    if (ready === undefined) this.#create();
  }

  get status(): MechanismStatus {
    if (this.#failure !== undefined) return { state: "error", failure: this.#failure };
    return this.#inner?.status ?? HANDSHAKING;
  }

  get peerMetadata(): Metadata {
    return this.#inner?.peerMetadata ?? new Map();
  }

  nextCommand(): Buffer | undefined {
    return this.#failure === undefined ? this.#inner?.nextCommand() : undefined;
  }

  processCommand(body: Buffer): void {
    if (this.#failure !== undefined) return;
    if (this.#inner !== undefined) return this.#inner.processCommand(body);
    if (this.#early.length >= MAX_EARLY_COMMANDS) {
      this.#failure = protocolFailure("ERR_ZMTP_UNEXPECTED_COMMAND", "too many commands before the handshake could start");
      return;
    }
    this.#early.push(body);
  }

  takeWait(): Promise<void> | undefined {
    if (this.#failure !== undefined || this.#disposed) return undefined;
    const ready = this.#ready;
    if (ready !== undefined) {
      this.#ready = undefined;
      return ready.then(
        () => this.#create(),
        (error: unknown) => {
          this.#failure = { kind: "other", code: "ENOTSUP", message: `the CURVE crypto library did not start: ${String(error)}` };
        },
      );
    }
    const asker = this.#inner as (Mechanism & Partial<ZapAsker>) | undefined;
    const request = asker?.takeZapRequest?.();
    if (request === undefined) return undefined;
    const call = this.#zap(request);
    this.#call = call;
    return call.answer.then((answer) => this.#answer(asker as ZapAsker, answer));
  }

  dispose(): void {
    this.#disposed = true;
    this.#call?.cancel();
    this.#call = undefined;
  }

  #answer(asker: ZapAsker, answer: ZapAnswer): void {
    this.#call = undefined;
    if (this.#disposed) return;
    if (answer === "gone") {
      this.#failure = protocolFailure("ERR_ZAP_UNSPECIFIED", "the ZAP handler went away before it replied");
      return;
    }
    asker.zapReply(answer);
  }

  #create(): void {
    if (this.#disposed) return;
    const inner = this.#make();
    this.#inner = inner;
    if (inner.encodeFrame !== undefined) this.encodeFrame = inner.encodeFrame.bind(inner);
    if (inner.decodeFrame !== undefined) this.decodeFrame = inner.decodeFrame.bind(inner);
    const early = this.#early;
    this.#early = [];
    for (const body of early) inner.processCommand(body);
  }
}
