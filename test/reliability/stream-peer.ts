// The parent's handle on a stream-peer-child.ts process: starts it (optionally through a
// launcher such as `ip netns exec <ns>`), records the socket events it reports, asks it
// for its counts, and kills it afterwards.
import { spawn, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import type { LibName } from "../../bench/libs";
import { bounded } from "./support";
import type { StreamStats } from "./sequenced-stream";

export interface PeerConfig {
  lib: LibName;
  role: "push" | "pull";
  bind?: string;
  connect?: string;
  /** Socket options (zeromq.js names), given to the constructor. */
  options: Record<string, number>;
}

export interface PeerStats extends StreamStats {
  sent: number;
}

export type ToChild = { kind: "stats"; id: number } | { kind: "received"; id: number; count: number };

export type ToParent =
  | { kind: "ready"; endpoint: string }
  | { kind: "event"; type: string; at: number }
  | { kind: "reply"; id: number; value: PeerStats };

export interface PeerEvent {
  type: string;
  /** Date.now() in the child when the event was emitted. */
  at: number;
}

const CHILD = join(__dirname, "stream-peer-child.js");
const WAIT_MS = 30000;

export class StreamPeer {
  readonly child: ChildProcess;
  /** The endpoint it bound or connected to. */
  endpoint = "";
  readonly events: PeerEvent[] = [];
  readonly #exited: Promise<void>;
  readonly #replies = new Map<number, (value: PeerStats) => void>();
  readonly #eventWaiters = new Set<() => void>();
  #nextId = 0;

  /** Starts a peer; `launcher` is a command that runs the rest of its arguments (e.g. ["ip", "netns", "exec", ns]). */
  static async start(config: PeerConfig, launcher: string[] = []): Promise<StreamPeer> {
    const command = [...launcher, process.execPath, CHILD, JSON.stringify(config)];
    const peer = new StreamPeer(spawn(command[0]!, command.slice(1), { stdio: ["ignore", "inherit", "inherit", "ipc"] }));
    const ready = new Promise<void>((resolve, reject) => {
      peer.child.on("message", (message: ToParent) => {
        if (message.kind !== "ready") return;
        peer.endpoint = message.endpoint;
        resolve();
      });
      void peer.#exited.then(() => reject(new Error(`${config.role} peer exited before it was ready`)));
    });
    await bounded(ready, WAIT_MS, `${config.lib} ${config.role} peer did not start`);
    return peer;
  }

  private constructor(child: ChildProcess) {
    this.child = child;
    this.#exited = new Promise((resolve) => child.once("exit", () => resolve()));
    child.on("message", (message: ToParent) => {
      if (message.kind === "event") {
        this.events.push({ type: message.type, at: message.at });
        for (const wake of [...this.#eventWaiters]) wake();
      } else if (message.kind === "reply") {
        this.#replies.get(message.id)?.(message.value);
        this.#replies.delete(message.id);
      }
    });
  }

  /** A mark in the event history: `event(type, mark)` only looks at what came after it. */
  mark(): number {
    return this.events.length;
  }

  /** The first `type` event after `mark`, waiting for it if need be (bounded). */
  event(type: string, mark: number): Promise<PeerEvent> {
    const find = () => this.events.slice(mark).find((event) => event.type === type);
    const found = new Promise<PeerEvent>((resolve) => {
      const check = () => {
        const event = find();
        if (event === undefined) return;
        this.#eventWaiters.delete(check);
        resolve(event);
      };
      this.#eventWaiters.add(check);
      check();
    });
    return bounded(found, WAIT_MS, `no "${type}" event`);
  }

  stats(): Promise<PeerStats> {
    return this.#ask({ kind: "stats", id: 0 });
  }

  /** Resolves (with the counts) once the receiving peer has received `count` messages in all. */
  received(count: number): Promise<PeerStats> {
    return bounded(this.#ask({ kind: "received", id: 0, count }), WAIT_MS, `fewer than ${count} messages received`);
  }

  /** SIGKILL (which also ends a SIGSTOPped process): nothing the peer does at exit matters to the tests. */
  async kill(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.child.kill("SIGKILL");
    await this.#exited;
  }

  /** Sends a request (its id filled in here) and resolves with the reply. */
  #ask(request: ToChild): Promise<PeerStats> {
    const id = ++this.#nextId;
    return new Promise((resolve, reject) => {
      this.#replies.set(id, resolve);
      this.child.send({ ...request, id }, (error) => error && reject(error));
    });
  }
}
