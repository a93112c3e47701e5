/**
 * Keeps the Node.js event loop alive while someone holds it, with one timer for all
 * holders. A pending send() or receive() holds it (zeromq.js: a pending operation keeps the
 * process alive; a socket that is merely bound or connected does not).
 *
 * hold/release happen once per operation that has to wait, which on a busy socket is every
 * message, so letting go is put off to the check phase: a release followed by a hold in the
 * same turn costs two counter updates, and the timer is made and cleared once per spell of
 * waiting, not once per message. Nothing is left behind once no one holds it.
 */
export class KeepAlive {
  #holders = 0;
  #timer: NodeJS.Timeout | undefined = undefined;
  #refed = false;
  #checkScheduled = false;

  hold(): void {
    if (this.#holders++ > 0 || this.#refed) return;
    this.#refed = true;
    this.#timer = setInterval(noop, 1 << 30);
  }

  release(): void {
    if (this.#holders === 0) return;
    if (--this.#holders > 0 || this.#checkScheduled) return;
    this.#checkScheduled = true;
    setImmediate(this.#check);
  }

  readonly #check = (): void => {
    this.#checkScheduled = false;
    if (this.#holders > 0 || !this.#refed) return;
    this.#refed = false;
    clearInterval(this.#timer);
    this.#timer = undefined;
  };
}

function noop(): void {}

/** One per thread: holding the loop open is a property of the thread, not of a context. */
export const keepAlive = new KeepAlive();
