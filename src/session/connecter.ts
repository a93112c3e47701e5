import type { EngineError } from "../engine/engine";
import type { Endpoint } from "../transports/endpoint";
import { dial } from "../transports/transport";
import type { LinkOptions } from "./link-options";
import type { PeerOwner } from "./peer-owner";
import { Session } from "./session";

/**
 * The connecting side of one endpoint: dials, and dials again after a failure or a lost
 * connection, waiting reconnectInterval and doubling up to reconnectMaxInterval (libzmq adds
 * a random jitter below reconnectInterval so that many clients do not retry in lockstep).
 * The session it feeds outlives every connection.
 */
export class Connecter {
  readonly session: Session;
  readonly #owner: PeerOwner;
  readonly #options: LinkOptions;
  readonly #endpoint: Endpoint;
  readonly #address: string;
  #dialing: AbortController | undefined = undefined;
  #timer: NodeJS.Timeout | undefined = undefined;
  #backoff: number;
  #stopped = false;

  constructor(owner: PeerOwner, options: LinkOptions, endpoint: Endpoint, address: string) {
    this.#owner = owner;
    this.#options = options;
    this.#endpoint = endpoint;
    this.#address = address;
    this.#backoff = options.reconnectInterval;
    this.session = new Session(owner, options, address, true);
    this.session.onEngineLost = (error) => this.#lost(error);
    void this.session.closed.then(() => this.#stop());
  }

  start(): void {
    this.#dial();
  }

  /** Closes the session; dialing goes on while it lingers with messages to deliver. */
  close(lingerMs: number): Promise<void> {
    const closed = this.session.close(lingerMs);
    if (this.#timer !== undefined) this.#timer.ref();
    return closed;
  }

  #dial(): void {
    this.#timer = undefined;
    if (this.#stopped) return;
    const controller = new AbortController();
    this.#dialing = controller;
    // libzmq reports every non-blocking connect as delayed first (CONNECT_DELAYED).
    this.#owner.emitEvent("connect:delay", { address: this.#address });
    const o = this.#options;
    dial(this.#endpoint, { ipv6: o.ipv6, tcpKeepalive: o.tcpKeepalive, tcpKeepaliveIdle: o.tcpKeepaliveIdle, connectTimeout: o.connectTimeout }, controller.signal).then(
      (stream) => {
        this.#dialing = undefined;
        if (this.#stopped) return void stream.destroy();
        this.#backoff = this.#options.reconnectInterval;
        this.#owner.emitEvent("connect", { address: this.#address });
        this.session.attach(stream);
      },
      () => {
        if (controller.signal.aborted) return;
        this.#dialing = undefined;
        this.#owner.emitEvent("close", { address: this.#address });
        this.#retry();
      },
    );
  }

  #lost(_error: EngineError | undefined): void {
    this.#owner.emitEvent("disconnect", { address: this.#address });
    this.#retry();
  }

  #retry(): void {
    const base = this.#options.reconnectInterval;
    if (this.#stopped || base < 0) return;
    const jitter = base > 0 ? Math.floor(Math.random() * base) : 0;
    const interval = this.#backoff + jitter;
    const max = this.#options.reconnectMaxInterval;
    if (max > base) this.#backoff = Math.min(this.#backoff * 2, max);
    this.#owner.emitEvent("connect:retry", { address: this.#address, interval });
    this.#timer = setTimeout(() => this.#dial(), interval);
    // Only a session that lingers with undelivered messages keeps the process alive.
    if (!this.session.closing) this.#timer.unref();
  }

  #stop(): void {
    this.#stopped = true;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#dialing?.abort();
    this.#dialing = undefined;
  }
}
