// The lazy-pirate client ("Client-Side Reliability", chapter 4 of the ZeroMQ guide): a REQ
// socket gives no reliability of its own, so the client waits a bounded time for each
// reply, and when none comes it throws the socket away, opens a fresh one and sends the
// request again, up to a number of retries, before it gives up on the server.
//
// Why a fresh socket: REQ is a strict send/receive state machine, and a REQ whose reply was
// lost waits for it forever (a second send is EFSM). A new socket starts clean, and a late
// reply to the old one can never be mistaken for the answer to a newer request.
//
// The server may see a request more than once (its reply was lost, not its work): requests
// should be idempotent, or the server must remember what it answered.
import type { Zmq } from "../../bench/libs";

export interface LazyPirateOptions {
  /** How long to wait for a reply, in ms, before trying again. */
  timeout: number;
  /** How many times to send a request again before giving up. */
  retries: number;
}

export class LazyPirateClient {
  /** Requests sent again so far (each one a timeout). */
  retried = 0;
  readonly #zmq: Zmq;
  readonly #endpoint: string;
  readonly #options: LazyPirateOptions;
  #socket: InstanceType<Zmq["Request"]> | undefined = undefined;

  constructor(zmq: Zmq, endpoint: string, options: LazyPirateOptions) {
    this.#zmq = zmq;
    this.#endpoint = endpoint;
    this.#options = options;
  }

  /** Sends `request` and resolves with its reply; rejects once every retry has timed out. */
  async request(request: string | Buffer | Array<string | Buffer>): Promise<Buffer[]> {
    for (let attempt = 0; attempt <= this.#options.retries; attempt++) {
      if (attempt > 0) this.retried++;
      const socket = (this.#socket ??= this.#open());
      try {
        await socket.send(request);
        return await socket.receive();
      } catch (error) {
        if ((error as { code?: string }).code !== "EAGAIN") throw error;
        socket.close(); // stuck waiting for a reply that is not coming: start over
        this.#socket = undefined;
      }
    }
    throw new Error(`no reply after ${this.#options.retries + 1} attempts: the server seems to be offline`);
  }

  close(): void {
    this.#socket?.close();
    this.#socket = undefined;
  }

  #open(): InstanceType<Zmq["Request"]> {
    const { timeout } = this.#options;
    // linger 0: a request the old socket never delivered must not go out after we gave up on it.
    const socket = new this.#zmq.Request({ receiveTimeout: timeout, sendTimeout: timeout, linger: 0 });
    socket.connect(this.#endpoint);
    return socket;
  }
}
