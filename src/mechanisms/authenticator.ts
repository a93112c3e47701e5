import type { Context } from "../context";
import { defaultContext } from "../context";
import { EMPTY } from "../message";
import { Router } from "../socket/router";
import { z85Encode } from "../util/z85";
import { parseCurveKey } from "./curve-keys";
import { ZAP_ENDPOINT, ZAP_VERSION } from "./zap";

/**
 * A ready-made ZAP handler (RFC 27), in the manner of czmq's zauth and pyzmq's
 * Authenticator: it binds inproc://zeromq.zap.01 in a context and answers every
 * handshake of that context's PLAIN and CURVE servers (and NULL sockets with a zapDomain):
 *
 *   const auth = new Authenticator({ context }).allow("127.0.0.1").plain({ admin: "secret" });
 *   await auth.start();
 *
 * - Addresses: with an allow list, only those addresses pass; otherwise the deny list is
 *   refused. Then, by mechanism:
 * - NULL passes; PLAIN needs a username whose password matches (user id = username);
 *   CURVE needs a client key in the allowed set, or `curve("*")` (user id = the key in Z85).
 * - Anything else is refused with status 400. Domains are not told apart.
 */
export class Authenticator {
  readonly #context: Context;
  readonly #allowed = new Set<string>();
  readonly #denied = new Set<string>();
  readonly #passwords = new Map<string, string>();
  readonly #curveKeys = new Set<string>();
  #anyCurveKey = false;
  #router: Router | undefined = undefined;
  #loop: Promise<void> | undefined = undefined;

  constructor(options: { context?: Context } = {}) {
    this.#context = options.context ?? defaultContext();
  }

  /** Only these IP addresses may connect. */
  allow(...addresses: string[]): this {
    for (const address of addresses) this.#allowed.add(address);
    return this;
  }

  /** These IP addresses may not connect (ignored once there is an allow list). */
  deny(...addresses: string[]): this {
    for (const address of addresses) this.#denied.add(address);
    return this;
  }

  /** PLAIN users, username → password (added to those already known). */
  plain(passwords: Record<string, string> | ReadonlyMap<string, string>): this {
    const entries = passwords instanceof Map ? passwords.entries() : Object.entries(passwords);
    for (const [user, password] of entries) this.#passwords.set(user, password);
    return this;
  }

  /** CURVE clients allowed, by public key (40 Z85 characters or 32 bytes); "*" allows any client. */
  curve(keys: Iterable<string | Uint8Array> | "*"): this {
    if (keys === "*") {
      this.#anyCurveKey = true;
      return this;
    }
    for (const key of keys) {
      const raw = parseCurveKey(key);
      if (raw === undefined) throw new RangeError("a CURVE key is 40 Z85 characters or 32 bytes");
      this.#curveKeys.add(z85Encode(raw));
    }
    return this;
  }

  /** Binds the ZAP endpoint (EADDRINUSE if another handler has it) and starts answering. */
  async start(): Promise<void> {
    if (this.#router !== undefined) return;
    const router = new Router({ context: this.#context, linger: 0 });
    try {
      await router.bind(`inproc://${ZAP_ENDPOINT}`);
    } catch (error) {
      router.close();
      throw error;
    }
    this.#router = router;
    this.#loop = this.#serve(router);
  }

  /** Stops answering and unbinds; resolves once the loop has ended. */
  async close(): Promise<void> {
    this.#router?.close();
    await this.#loop;
  }

  async #serve(router: Router): Promise<void> {
    while (!router.closed) {
      let request: Buffer[];
      try {
        request = await router.receive();
      } catch {
        return; // closed
      }
      // [routing id, delimiter, version, request id, domain, address, identity, mechanism, credentials...]
      const [id, delimiter, version, requestId, , address, , mechanism, ...credentials] = request;
      if (id === undefined || delimiter?.length !== 0 || requestId === undefined || mechanism === undefined) continue;
      const [status, text, userId] =
        version?.toString("latin1") !== ZAP_VERSION
          ? (["500", "Version not supported", ""] as const)
          : this.#decide(address?.toString("latin1") ?? "", mechanism.toString("latin1"), credentials);
      try {
        await router.send([id, EMPTY, ZAP_VERSION, requestId, status, text, userId, EMPTY]);
      } catch {
        return;
      }
    }
  }

  #decide(address: string, mechanism: string, credentials: Buffer[]): readonly [string, string, string] {
    const refused = (why: string) => ["400", why, ""] as const;
    if (this.#allowed.size > 0 ? !this.#allowed.has(address) : this.#denied.has(address)) return refused("Address not allowed");
    switch (mechanism) {
      case "NULL":
        return ["200", "OK", ""];
      case "PLAIN": {
        const user = credentials[0]?.toString("utf8") ?? "";
        const known = this.#passwords.get(user);
        if (known === undefined || known !== credentials[1]?.toString("utf8")) return refused("Invalid username or password");
        return ["200", "OK", user];
      }
      case "CURVE": {
        const key = credentials[0];
        if (key === undefined || key.length !== 32) return refused("Invalid client key");
        const z85 = z85Encode(key);
        if (!this.#anyCurveKey && !this.#curveKeys.has(z85)) return refused("Unknown client key");
        return ["200", "OK", z85];
      }
      default:
        return refused("Security mechanism not supported");
    }
  }
}
