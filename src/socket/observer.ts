import { EventEmitter } from "node:events";
import { zmqError } from "../errors";
import type { EventFields, EventName } from "../session/peer-owner";
import { RingQueue } from "../util/ring-queue";
import { deferred, type Deferred } from "../util/deferred";
import { keepAlive } from "../util/keep-alive";

export type Event = { type: EventName } & EventFields;

/** Events kept for a reader that is not reading: beyond this the oldest are dropped (memory stays bounded). */
const MAX_QUEUED_EVENTS = 1000;

/**
 * `socket.events` (zeromq.js Observer): the socket's monitor events, read with receive() /
 * `for await`, or, after the first on(), emitted on an EventEmitter. When the socket closes
 * the last event is `end` and the observer closes itself. An observer in use keeps the
 * process alive (zeromq.js): while a receive() waits, and in emitter mode until it closes.
 */
export class Observer {
  readonly #queue = new RingQueue<Event>();
  #waiting: Deferred<Event> | undefined = undefined;
  #emitter: EventEmitter | undefined = undefined;
  #closed = false;

  constructor(_socket: object) {}

  get closed(): boolean {
    return this.#closed;
  }

  /** @internal Called by the socket for each event. */
  push(type: EventName, fields: EventFields): void {
    if (this.#closed) return;
    const event: Event = { type, ...fields };
    if (this.#emitter !== undefined) this.#emitter.emit(type, event);
    else if (this.#waiting !== undefined) {
      const waiting = this.#waiting;
      this.#waiting = undefined;
      keepAlive.release();
      waiting.resolve(event);
    } else {
      if (this.#queue.length >= MAX_QUEUED_EVENTS) this.#queue.shift();
      this.#queue.push(event);
    }
    if (type === "end") this.#finish();
  }

  receive(): Promise<Event> {
    if (this.#emitter !== undefined) {
      throw new Error("Observer is in event emitter mode. After a call to events.on() it is not possible to read events with events.receive().");
    }
    const queued = this.#queue.shift();
    if (queued !== undefined) return Promise.resolve(queued);
    if (this.#closed) throw zmqError("EBADF");
    if (this.#waiting !== undefined) {
      throw zmqError("EBUSY", "Observer is busy reading; only one receive operation may be in progress at any time");
    }
    this.#waiting = deferred<Event>();
    keepAlive.hold();
    return this.#waiting.promise;
  }

  on(type: EventName, listener: (event: Event) => void): EventEmitter {
    if (this.#emitter === undefined) {
      if (this.#closed) throw zmqError("EBADF");
      this.#emitter = new EventEmitter();
      keepAlive.hold();
      for (let event = this.#queue.shift(); event !== undefined; event = this.#queue.shift()) {
        queueMicrotask(() => this.#emitter!.emit(event!.type, event));
      }
    }
    return this.#emitter.on(type, listener);
  }

  off(type: EventName, listener: (event: Event) => void): EventEmitter | undefined {
    return this.#emitter?.off(type, listener);
  }

  close(): void {
    if (this.#closed) return;
    const waiting = this.#waiting;
    this.#finish();
    waiting?.reject(zmqError("ENOTSOCK"));
  }

  /** Closed: lets go of the event loop. */
  #finish(): void {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#waiting !== undefined || this.#emitter !== undefined) keepAlive.release();
    this.#waiting = undefined;
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<Event, undefined> {
    while (!this.#closed || this.#queue.length > 0) {
      const event = await this.receive();
      yield event;
      if (event.type === "end") return undefined;
    }
    return undefined;
  }
}
