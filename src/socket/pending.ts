import { keepAlive } from "../util/keep-alive";

/**
 * A send() or receive() that could not complete at once. At most one per direction per
 * socket (zeromq.js: a second one throws EBUSY), so JS code cannot build a hidden queue
 * past the high-water mark. While it waits it keeps the process alive.
 */
export class Pending<T> {
  readonly resolve: (value: T) => void;
  readonly reject: (error: unknown) => void;
  /** The message a pending send still has to queue. */
  readonly message: unknown;
  #timer: NodeJS.Timeout | undefined = undefined;

  constructor(resolve: (value: T) => void, reject: (error: unknown) => void, message: unknown, timeoutMs: number, onTimeout: () => void) {
    this.resolve = resolve;
    this.reject = reject;
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
