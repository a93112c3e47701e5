// A hand-driven ZMTP peer on a raw TCP socket, for tests that must send what no library
// would: it writes greetings and frames as given and collects every frame it receives.
import { once } from "node:events";
import * as net from "node:net";
import type { CurveCrypto } from "../../../src/mechanisms/curve-crypto";
import { CurveMessages } from "../../../src/mechanisms/curve-messages";
import { FrameDecoder } from "../../../src/zmtp/decoder";
import { encodeGreeting, GREETING_SIZE } from "../../../src/zmtp/greeting";
import { frame } from "../engine/harness";
import { handPeer } from "./curve-peer";

export interface Received {
  command: boolean;
  body: Buffer;
}

export class WirePeer {
  readonly socket: net.Socket;
  /** Resolves when the other side has closed the connection (or it failed). */
  readonly closed: Promise<void>;
  #greeting = Buffer.alloc(0);
  #frames: Received[] = [];
  #waiters: (() => void)[] = [];
  readonly #decoder = new FrameDecoder({
    message: (message) => {
      for (const body of message) this.#frames.push({ command: false, body });
      this.#wake();
      return true;
    },
    command: (body) => {
      this.#frames.push({ command: true, body });
      this.#wake();
      return true;
    },
    error: () => this.socket.destroy(),
  });

  constructor(socket: net.Socket) {
    this.socket = socket;
    socket.on("error", () => {});
    this.closed = new Promise((resolve) => socket.once("close", () => resolve()));
    socket.on("data", (chunk: Buffer) => {
      if (this.#greeting.length < GREETING_SIZE) {
        const need = GREETING_SIZE - this.#greeting.length;
        this.#greeting = Buffer.concat([this.#greeting, chunk.subarray(0, need)]);
        chunk = chunk.subarray(need);
        this.#wake();
      }
      if (chunk.length > 0) this.#decoder.write(chunk);
    });
    socket.once("close", () => this.#wake());
  }

  /** Connects to a tcp:// endpoint and sends a greeting for `mechanism` (as-server 0). */
  static async connect(endpoint: string, mechanism: string): Promise<WirePeer> {
    const port = Number(endpoint.slice(endpoint.lastIndexOf(":") + 1));
    const socket = net.connect(port, "127.0.0.1");
    await once(socket, "connect");
    socket.setNoDelay(true);
    const peer = new WirePeer(socket);
    peer.send(encodeGreeting(mechanism, false));
    return peer;
  }

  send(bytes: Buffer): void {
    if (!this.socket.destroyed) this.socket.write(bytes);
  }

  command(body: Buffer): void {
    this.send(frame(0x04, body));
  }

  message(body: Buffer): void {
    this.send(frame(0x00, body));
  }

  /** The next frame received, or undefined once the connection has closed. */
  async next(): Promise<Received | undefined> {
    while (this.#frames.length === 0) {
      if (this.socket.destroyed || this.socket.closed) return undefined;
      await new Promise<void>((resolve) => this.#waiters.push(resolve));
    }
    return this.#frames.shift();
  }

  #wake(): void {
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const wake of waiters) wake();
  }
}

/**
 * Runs a valid CURVE client handshake by hand against a server at `endpoint`, and returns
 * the peer with the MESSAGE codec of a client (nonces from 3 on), for tests that then
 * misbehave.
 */
export async function curveByHand(endpoint: string, crypto: CurveCrypto, serverKey: Buffer, socketType = "PUSH") {
  const peer = await WirePeer.connect(endpoint, "CURVE");
  const hand = handPeer(crypto, crypto.keyPair(), serverKey);
  peer.command(hand.hello());
  const welcome = await peer.next();
  if (welcome === undefined) throw new Error("no WELCOME");
  hand.welcome(welcome.body);
  const metadata = Buffer.concat([Buffer.from("\x0bSocket-Type", "latin1"), Buffer.from([0, 0, 0, socketType.length]), Buffer.from(socketType)]);
  peer.command(hand.initiate({ metadata }));
  const ready = await peer.next();
  if (ready === undefined) throw new Error("no READY");
  const messages = new CurveMessages(crypto, hand.sessionKey(), false, 3, ready.body.subarray(6, 14));
  return { peer, messages };
}
