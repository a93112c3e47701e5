import { keepAlive } from "../util/keep-alive";

/** The resolving functions of the promise being made: `capture` is one shared executor, so no closure is made per operation. */
let capturedResolve: (value: never) => void;
let capturedReject: (error: unknown) => void;
function capture(resolve: (value: never) => void, reject: (error: unknown) => void): void {
  capturedResolve = resolve;
  capturedReject = reject;
}

/**
 * A send() or receive() that could not complete at once. At most one per direction per
 * socket (zeromq.js: a second one throws EBUSY), so JS code cannot build a hidden queue
 * past the high-water mark. While it waits it keeps the process alive.
 */
export class Pending<T> {
  /** What the caller awaits. */
  readonly promise: Promise<T>;
  readonly resolve: (value: T) => void;
  readonly reject: (error: unknown) => void;
  /** The message a pending send still has to queue. */
  readonly message: unknown;
  #timer: NodeJS.Timeout | undefined = undefined;

  constructor(message: unknown, timeoutMs: number, onTimeout: () => void) {
    this.promise = new Promise<T>(capture);
    this.resolve = capturedResolve as (value: T) => void;
    this.reject = capturedReject;
    this.message = message;
    if (timeoutMs > 0) this.#timer = setTimeout(onTimeout, timeoutMs);
    keepAlive.hold();
  }

  /** Stops the timer and lets go of the event loop; call exactly once, before settling. */
  finish(): void {
    clearTimeout(this.#timer);
    keepAlive.release();
  }
}
