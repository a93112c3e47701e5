/**
 * Keeps the Node.js event loop alive while someone holds it, with one ref'd timer for all
 * holders. A pending send() or receive() holds it (zeromq.js: a pending operation keeps the
 * process alive; a socket that is merely bound or connected does not).
 */
export class KeepAlive {
  #holders = 0;
  #timer: NodeJS.Timeout | undefined = undefined;

  hold(): void {
    if (this.#holders++ === 0) this.#timer = setInterval(noop, 1 << 30);
  }

  release(): void {
    if (this.#holders === 0) return;
    if (--this.#holders === 0) {
      clearInterval(this.#timer);
      this.#timer = undefined;
    }
  }
}

function noop(): void {}

/** One per thread: holding the loop open is a property of the thread, not of a context. */
export const keepAlive = new KeepAlive();
