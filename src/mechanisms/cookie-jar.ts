import { randomOctets } from "./curve-crypto";

/**
 * The secret "cookie key" of a CURVE server (RFC 26 "The WELCOME Command"): the cookie is
 * Box[C' + s'](K), the server's only memory of a client between WELCOME and INITIATE, so
 * that a flood of HELLOs costs the server no state. "The server MUST discard from its
 * memory the cookie key after a short interval, for example 60 seconds".
 *
 * One jar serves every CURVE server connection of a context. The key rotates every
 * `lifetime` ms, lazily (no timer); the previous key still opens cookies for one more
 * lifetime after it retired, so a HELLO answered just before a rotation still works.
 * A cookie is also bound to its connection: the server keeps the client's public
 * transient key C' from HELLO (public, 32 octets) and INITIATE's cookie must hold it.
 */
export const COOKIE_KEY_LIFETIME = 60_000;

interface Key {
  key: Buffer;
  since: number;
}

export class CookieJar {
  readonly #lifetime: number;
  readonly #now: () => number;
  #current: Key;
  #previous: Key | undefined = undefined;

  constructor(lifetime = COOKIE_KEY_LIFETIME, now: () => number = Date.now) {
    this.#lifetime = lifetime;
    this.#now = now;
    this.#current = { key: randomOctets(32), since: now() };
  }

  /** The key to seal a new cookie with. */
  sealingKey(): Buffer {
    const now = this.#now();
    if (now - this.#current.since >= this.#lifetime) {
      this.#previous = { key: this.#current.key, since: now };
      this.#current = { key: randomOctets(32), since: now };
    }
    return this.#current.key;
  }

  /** The keys a cookie may have been sealed with: the current one, and the previous one while it is fresh. */
  openingKeys(): Buffer[] {
    const keys = [this.#current.key];
    const previous = this.#previous;
    if (previous !== undefined && this.#now() - previous.since < this.#lifetime) keys.push(previous.key);
    else this.#previous = undefined;
    return keys;
  }
}

const jars = new WeakMap<object, CookieJar>();

/** The jar of one context (kept with the context, never in a module-wide slot). */
export function cookieJarFor(context: object): CookieJar {
  let jar = jars.get(context);
  if (jar === undefined) jars.set(context, (jar = new CookieJar()));
  return jar;
}
