import { zmqError } from "../errors";
import { deferred, type Deferred } from "../util/deferred";
import { accessForProxy, Socket, type ProxyAccess } from "./socket";

/**
 * zeromq.js `Proxy`: forwards messages both ways between two sockets (the steerable proxy
 * of libzmq: run, pause, resume, terminate). While it runs, the application's calls on
 * either socket throw EBUSY; when it ends both sockets are closed and run() resolves.
 * Each direction is a loop of receive → send, so a send that waits (HWM) holds back its
 * receive: memory stays bounded by the sockets' high-water marks.
 */
export class Proxy<F extends Socket = Socket, B extends Socket = Socket> {
  readonly frontEnd: F;
  readonly backEnd: B;
  #running = false;
  #paused: Deferred<void> | undefined = undefined;

  constructor(frontEnd: F, backEnd: B) {
    if (typeof frontEnd !== "object" || frontEnd === null) throw new TypeError("Front-end must be a socket object");
    if (typeof backEnd !== "object" || backEnd === null) throw new TypeError("Back-end must be a socket object");
    if (!(frontEnd instanceof Socket) || !(backEnd instanceof Socket)) throw new Error("Invalid argument");
    this.frontEnd = frontEnd;
    this.backEnd = backEnd;
  }

  async run(): Promise<void> {
    const front = accessForProxy(this.frontEnd);
    const back = accessForProxy(this.backEnd);
    if (!front.linked) throw zmqError("EINVAL", "Front-end socket must be bound or connected");
    if (!back.linked) throw zmqError("EINVAL", "Back-end socket must be bound or connected");
    this.#running = true;
    front.block(true);
    back.block(true);
    try {
      await Promise.all([this.#forward(front, back), this.#forward(back, front)]);
    } finally {
      this.#running = false;
      front.block(false);
      back.block(false);
      this.frontEnd.close();
      this.backEnd.close();
    }
  }

  pause(): void {
    this.#checkRunning();
    this.#paused ??= deferred<void>();
  }

  resume(): void {
    this.#checkRunning();
    this.#paused?.resolve();
    this.#paused = undefined;
  }

  /** Stops forwarding; run() resolves once both sockets are closed. */
  terminate(): void {
    this.#checkRunning();
    this.resume();
    this.frontEnd.close();
    this.backEnd.close();
  }

  async #forward(from: ProxyAccess, to: ProxyAccess): Promise<void> {
    const ends = (error: unknown) => {
      // The loop ends when a socket closes (terminate, or the application closed it).
      if (this.frontEnd.closed || this.backEnd.closed) return;
      throw error;
    };
    while (!this.frontEnd.closed && !this.backEnd.closed) {
      if (this.#paused !== undefined) await this.#paused.promise;
      let message;
      try {
        message = await from.receive();
        await to.send(message);
      } catch (error) {
        return ends(error);
      }
    }
  }

  #checkRunning(): void {
    if (!this.#running) throw zmqError("EBADF");
  }
}
