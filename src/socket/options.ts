import { emitWarning } from "node:process";
import { zmqError } from "../errors";

/**
 * Socket options as a table of descriptors (not a switch): each has a type, a default,
 * an access mode and, where libzmq rejects values, a check. Accessors are put on the
 * socket classes' prototypes from this table, so options are plain properties, as in
 * zeromq.js v6 (../../shared/docs/zeromq-js-api.md §3).
 */
type OptionType = "int" | "bool" | "string" | "id" | "mechanism" | "verbosity";

export interface OptionSpec {
  type: OptionType;
  default: unknown;
  access?: "rw" | "ro" | "wo";
  /** A number below this is EINVAL (libzmq's range check). */
  min?: number;
  /** Changing it after bind/connect takes effect only on the next one: warn, as zeromq.js does. */
  live?: boolean;
}

const int = (def: number, min = -1, live = false): OptionSpec => ({ type: "int", default: def, min, live });
const bool = (def = false, live = false): OptionSpec => ({ type: "bool", default: def, live });
const str = (): OptionSpec => ({ type: "string", default: null });
const wo = (spec: OptionSpec): OptionSpec => ({ ...spec, access: "wo", live: true });

/** Options every socket has. */
export const COMMON_OPTIONS = {
  affinity: int(0, 0),
  rate: int(100, 1),
  recoveryInterval: int(10000, 0),
  linger: int(-1, -1, true),
  reconnectInterval: int(100, -1),
  backlog: int(100, 0),
  reconnectMaxInterval: int(0, 0),
  maxMessageSize: int(-1, -1),
  lastEndpoint: { type: "string", default: null, access: "ro" },
  tcpKeepalive: int(-1, -1),
  tcpKeepaliveCount: int(-1, -1),
  tcpKeepaliveIdle: int(-1, -1),
  tcpKeepaliveInterval: int(-1, -1),
  tcpAcceptFilter: str(),
  immediate: bool(),
  ipv6: bool(),
  securityMechanism: { type: "mechanism", default: null, access: "ro" },
  plainServer: bool(),
  plainUsername: str(),
  plainPassword: str(),
  curveServer: bool(),
  curvePublicKey: str(),
  curveSecretKey: str(),
  curveServerKey: str(),
  zapDomain: str(),
  typeOfService: int(0, 0),
  handshakeInterval: int(30000, 0),
  socksProxy: str(),
  heartbeatInterval: int(0, 0),
  heartbeatTimeToLive: int(0, 0),
  heartbeatTimeout: int(-1, -1),
  connectTimeout: int(0, 0),
  tcpMaxRetransmitTimeout: int(0, 0),
  multicastMaxTransportDataUnit: int(1500, 1),
  interface: str(),
  zapEnforceDomain: bool(),
  loopbackFastPath: bool(),
} satisfies Record<string, OptionSpec>;

/** Options of sockets that can send (zeromq.js "W-classes"). */
export const WRITABLE_OPTIONS = {
  sendBufferSize: int(-1, -1),
  sendHighWaterMark: int(1000, 0, true),
  sendTimeout: int(-1, -1, true),
  multicastHops: int(1, -1),
} satisfies Record<string, OptionSpec>;

/** Options of sockets that can receive (zeromq.js "R-classes"). */
export const READABLE_OPTIONS = {
  receiveBufferSize: int(-1, -1),
  receiveHighWaterMark: int(1000, 0, true),
  receiveTimeout: int(-1, -1, true),
} satisfies Record<string, OptionSpec>;

export const ROUTING_ID_OPTION = { routingId: { type: "id", default: null } } satisfies Record<string, OptionSpec>;
export const CONFLATE_OPTION = { conflate: wo(bool()) } satisfies Record<string, OptionSpec>;

export const PROBE_ROUTER_OPTION = { probeRouter: wo(bool()) } satisfies Record<string, OptionSpec>;
export const REQUEST_OPTIONS = { correlate: wo(bool()), relaxed: wo(bool()) } satisfies Record<string, OptionSpec>;
export const ROUTER_OPTIONS = { mandatory: bool(false, true), handover: wo(bool()) } satisfies Record<string, OptionSpec>;

export interface CommonOptions {
  affinity: number; rate: number; recoveryInterval: number; linger: number;
  reconnectInterval: number; backlog: number; reconnectMaxInterval: number; maxMessageSize: number;
  readonly lastEndpoint: string | null;
  tcpKeepalive: number; tcpKeepaliveCount: number; tcpKeepaliveIdle: number; tcpKeepaliveInterval: number;
  tcpAcceptFilter: string | null; immediate: boolean; ipv6: boolean;
  readonly securityMechanism: null | "plain" | "curve" | "gssapi";
  plainServer: boolean; plainUsername: string | null; plainPassword: string | null;
  curveServer: boolean; curvePublicKey: string | null; curveSecretKey: string | null; curveServerKey: string | null;
  zapDomain: string | null; typeOfService: number; handshakeInterval: number; socksProxy: string | null;
  heartbeatInterval: number; heartbeatTimeToLive: number; heartbeatTimeout: number;
  connectTimeout: number; tcpMaxRetransmitTimeout: number; multicastMaxTransportDataUnit: number;
  interface: string | null; zapEnforceDomain: boolean; loopbackFastPath: boolean;
}
export interface WritableOptions { sendBufferSize: number; sendHighWaterMark: number; sendTimeout: number; multicastHops: number }
export interface ReadableOptions { receiveBufferSize: number; receiveHighWaterMark: number; receiveTimeout: number }
export interface RoutingIdOption { routingId: string | null }
export interface ConflateOption { conflate: boolean }
export interface ProbeRouterOption { probeRouter: boolean }
export interface RequestOptions { correlate: boolean; relaxed: boolean }
export interface RouterOptions { mandatory: boolean; handover: boolean }

/** The live values of one socket's options, plus what reading/writing them needs. */
export class OptionStore {
  readonly values: Record<string, unknown> = Object.create(null);
  /** Set by the socket: closed sockets refuse option access (ENOTSOCK). */
  closed = false;
  /** Set by the socket once it has bound or connected: later changes to most options warn. */
  active = false;
}

const stores = new WeakMap<object, OptionStore>();

export function optionStore(owner: object): OptionStore {
  let store = stores.get(owner);
  if (store === undefined) stores.set(owner, (store = new OptionStore()));
  return store;
}

/** Puts accessors for `specs` on `prototype`; values live in each instance's OptionStore. */
export function defineOptions(prototype: object, specs: Record<string, OptionSpec>): void {
  for (const [name, spec] of Object.entries(specs)) {
    const descriptor: PropertyDescriptor = { configurable: true, enumerable: true };
    if (spec.access !== "wo") {
      descriptor.get = function (this: object) {
        const store = optionStore(this);
        if (store.closed) throw zmqError("ENOTSOCK");
        const value = name in store.values ? store.values[name] : spec.default;
        return Buffer.isBuffer(value) ? value.toString("utf8") : value;
      };
    }
    if (spec.access !== "ro") {
      descriptor.set = function (this: object, value: unknown) {
        const store = optionStore(this);
        if (store.closed) throw zmqError("ENOTSOCK");
        store.values[name] = coerce(spec, value);
        if (store.active && !spec.live) emitWarning("Socket option will not take effect until next connect/bind.");
      };
    }
    Object.defineProperty(prototype, name, descriptor);
  }
}

/** Reads an option's value (or default) without the closed check: for omq's own use. */
export function optionValue<T>(owner: object, name: string, specs: Record<string, OptionSpec>): T {
  const store = optionStore(owner);
  return (name in store.values ? store.values[name] : specs[name]?.default) as T;
}

function coerce(spec: OptionSpec, value: unknown): unknown {
  switch (spec.type) {
    case "int": {
      if (typeof value !== "number" || Number.isNaN(value)) throw new TypeError("Option value must be a number");
      const n = Math.trunc(value);
      if (n < (spec.min ?? -1) || n > 2 ** 53) throw zmqError("EINVAL");
      return n;
    }
    case "bool":
      if (typeof value !== "boolean") throw new TypeError("Option value must be a boolean");
      return value;
    case "string":
      if (value === null) return null;
      if (typeof value === "string") return value;
      if (Buffer.isBuffer(value)) return value.toString("utf8");
      throw new TypeError("Option value must be a string or buffer");
    case "id":
      // libzmq: a routing id is 1..255 bytes; null is EINVAL (zeromq-js-api.md §2.1).
      if (value === null) throw zmqError("EINVAL");
      if (typeof value !== "string" && !Buffer.isBuffer(value)) throw new TypeError("Option value must be a string or buffer");
      if (Buffer.byteLength(value) < 1 || Buffer.byteLength(value) > 255) throw zmqError("EINVAL");
      // Kept as bytes for the wire; the getter reads it back as a string (zeromq.js).
      return typeof value === "string" ? Buffer.from(value, "utf8") : Buffer.from(value);
    case "mechanism":
    case "verbosity":
      return value;
  }
}
