/**
 * ZMTP heartbeats (RFC 37 "Connection Heartbeating"), with libzmq's timers
 * (zmtp_engine.cpp) and zeromq.js's option semantics:
 *
 * - every `interval` ms send a PING carrying our TTL (`ttl` ms, sent in deciseconds);
 * - after sending a PING, if no traffic at all arrives within `timeout` ms the peer is
 *   dead ("A peer SHOULD consider the connection dead ... If it sends a PING command and
 *   does not receive any traffic within some timeout");
 * - when the peer's PING carries a TTL, no traffic within it means the peer is dead too
 *   ("If it receives a PING command with a non-zero TTL and then does not receive any
 *   further traffic within that TTL"); and, unlike libzmq, the TTL keeps running after
 *   that traffic: libzmq cancels it and waits for the next PING, so a link that goes silent
 *   after a data frame (no PING will ever come again) is never timed out by the TTL. Here
 *   TTL-long silence after any traffic is caught, within one to two TTLs;
 * - "a peer SHOULD treat any incoming traffic (not just a PONG reply) as a sign of life":
 *   `received()` on every chunk cancels both deadlines;
 * - while our own reading is paused (the socket's inbound pipe is full), the peer's silence is
 *   ours, not its: no deadline expires then (libzmq does expire, and so drops a slow consumer's
 *   live peers; libzmq issues #3937, #4767). Reading again restarts the deadlines.
 *
 * All timers are unref()ed: heartbeats never keep a process alive.
 */
export interface HeartbeatActions {
  /** Send a PING with this TTL in deciseconds. */
  ping(ttl: number): void;
  /** The peer is dead. */
  expired(reason: string): void;
}

export class Heartbeat {
  readonly #interval: number;
  readonly #timeout: number;
  /** Our TTL in deciseconds, as the PING carries it. */
  readonly #ttl: number;
  readonly #actions: HeartbeatActions;
  #pingTimer: NodeJS.Timeout | undefined = undefined;
  #timeoutTimer: NodeJS.Timeout | undefined = undefined;
  #ttlTimer: NodeJS.Timeout | undefined = undefined;
  /** The TTL of the peer's latest PING, in ms. */
  #peerTtl = 0;
  /** Traffic arrived since the TTL timer was (re)armed: a flag rather than a timer reset per chunk. */
  #trafficInTtl = false;
  #readingPaused = false;

  /** `timeout` -1 = `interval` (libzmq's default), 0 = no timeout. */
  constructor(interval: number, timeout: number, ttl: number, actions: HeartbeatActions) {
    this.#interval = interval > 0 ? interval : 0;
    this.#timeout = timeout < 0 ? this.#interval : timeout;
    this.#ttl = ttl > 0 ? Math.min(0xffff, Math.floor(ttl / 100)) : 0;
    this.#actions = actions;
  }

  /** Starts sending PINGs (after the handshake). */
  start(): void {
    if (this.#interval === 0 || this.#pingTimer !== undefined) return;
    this.#pingTimer = setInterval(this.#onPingTime, this.#interval);
    this.#pingTimer.unref();
  }

  /** Traffic arrived: the peer is alive. */
  received(): void {
    if (this.#timeoutTimer !== undefined) {
      clearTimeout(this.#timeoutTimer);
      this.#timeoutTimer = undefined;
    }
    this.#trafficInTtl = true;
  }

  /** We stopped reading (back-pressure): silence from now on proves nothing. */
  pausedReading(): void {
    this.#readingPaused = true;
  }

  /** We read again: the deadlines start afresh. */
  resumedReading(): void {
    this.#readingPaused = false;
    this.received();
  }

  /** The peer sent a PING with this TTL (deciseconds); call after `received()`. */
  peerPing(ttl: number): void {
    if (ttl === 0) return;
    this.#peerTtl = ttl * 100;
    if (this.#ttlTimer === undefined) this.#armTtl();
  }

  #armTtl(): void {
    this.#trafficInTtl = false;
    this.#ttlTimer = setTimeout(this.#onTtl, this.#peerTtl);
    this.#ttlTimer.unref();
  }

  stop(): void {
    clearInterval(this.#pingTimer);
    clearTimeout(this.#timeoutTimer);
    clearTimeout(this.#ttlTimer);
    this.#pingTimer = this.#timeoutTimer = this.#ttlTimer = undefined;
  }

  readonly #onPingTime = (): void => {
    this.#actions.ping(this.#ttl);
    if (this.#timeout > 0 && this.#timeoutTimer === undefined) {
      this.#timeoutTimer = setTimeout(this.#onTimeout, this.#timeout);
      this.#timeoutTimer.unref();
    }
  };

  readonly #onTimeout = (): void => {
    this.#timeoutTimer = undefined;
    if (this.#readingPaused) return;
    this.#actions.expired(`no traffic within ${this.#timeout} ms of a PING`);
  };

  readonly #onTtl = (): void => {
    this.#ttlTimer = undefined;
    if (this.#trafficInTtl || this.#readingPaused) return this.#armTtl();
    this.#actions.expired("no traffic within the peer's heartbeat TTL");
  };
}
