import type { Socket as NetSocket } from "node:net";
import type { Listener as TransportListener } from "../transports/transport";
import type { LinkOptions } from "./link-options";
import type { PeerOwner } from "./peer-owner";
import { Session } from "./session";

/**
 * The bound side of one endpoint: a transport listener plus one session per accepted
 * connection. Unbinding stops accepting and closes the sessions it accepted, as libzmq does.
 */
export class Listener {
  readonly endpoint: string;
  readonly #owner: PeerOwner;
  readonly #options: LinkOptions;
  readonly #transport: TransportListener;
  readonly #sessions = new Set<Session>();

  constructor(owner: PeerOwner, options: LinkOptions, transport: TransportListener) {
    this.#owner = owner;
    this.#options = options;
    this.#transport = transport;
    this.endpoint = transport.endpoint;
    transport.onConnection = (stream) => this.#accept(stream);
  }

  #accept(stream: NetSocket): void {
    this.#owner.emitEvent("accept", { address: this.endpoint });
    const session = new Session(this.#owner, this.#options, this.endpoint, false);
    this.#sessions.add(session);
    session.onEngineLost = () => {
      this.#owner.emitEvent("disconnect", { address: this.endpoint });
      session.destroy();
    };
    void session.closed.then(() => this.#sessions.delete(session));
    session.attach(stream);
  }

  /** Stops accepting, then closes every accepted session with the given linger. */
  async close(lingerMs: number): Promise<void> {
    const stopped = this.#transport.close();
    const sessions = [...this.#sessions].map((s) => s.close(lingerMs));
    await Promise.all([stopped, ...sessions]);
    this.#owner.emitEvent("close", { address: this.endpoint });
  }
}
