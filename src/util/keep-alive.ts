/**
 * Keeps the Node.js event loop alive while someone holds it, with one timer for all
 * holders. A pending send() or receive() holds it (zeromq.js: a pending operation keeps the
 * process alive; a socket that is merely bound or connected does not).
 *
 * hold/release happen once per operation that has to wait, which on a busy socket is every
 * message (a REQ waits for each reply), so they allocate nothing: the timer is made once and
 * then only ref()ed and unref()ed. Unref()ed it keeps nothing alive and does not show in
 * process.getActiveResourcesInfo().
 */
export class KeepAlive {
  #holders = 0;
  #timer: NodeJS.Timeout | undefined = undefined;

  hold(): void {
    if (this.#holders++ > 0) return;
    if (this.#timer === undefined) this.#timer = setInterval(noop, 1 << 30);
    else this.#timer.ref();
  }

  release(): void {
    if (this.#holders === 0) return;
    if (--this.#holders === 0) this.#timer!.unref();
  }
}

function noop(): void {}

/** One per thread: holding the loop open is a property of the thread, not of a context. */
export const keepAlive = new KeepAlive();
