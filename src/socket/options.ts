import { emitWarning } from "node:process";
import { zmqError } from "../errors";
import { parseCurveKey } from "../mechanisms/curve-keys";
import { z85Encode } from "../util/z85";

/**
 * Socket options as a table of descriptors (not a switch): each has a type, a default,
 * an access mode and, where libzmq rejects values, a check. Accessors are put on the
 * socket classes' prototypes from this table, so options are plain properties, as in
 * zeromq.js v6 (../../shared/docs/zeromq-js-api.md §3).
 */
type OptionType = "int" | "bool" | "string" | "id" | "mechanism" | "verbosity" | "credential" | "curveKey";

export interface OptionSpec {
  type: OptionType;
  default: unknown;
  access?: "rw" | "ro" | "wo";
  /** A number below this is EINVAL (libzmq's range check). */
  min?: number;
  /** Changing it after bind/connect takes effect only on the next one: warn, as zeromq.js does. */
  live?: boolean;
  /** Stores the (checked) value and what depends on it; without it the value is stored under its name. */
  apply?: (values: Record<string, unknown>, value: unknown) => void;
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
  ...SECURITY_OPTIONS(),
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

/**
 * The security options, with libzmq's rules (options.cpp): one ZMQ_MECHANISM and one
 * as_server flag shared by PLAIN and CURVE, set by whichever option came last.
 * plainServer/curveServer read back as `as_server && mechanism is theirs`; a username,
 * password or CURVE key selects its mechanism; plainUsername/curveServerKey make us a
 * client. CURVE keys are stored as Z85 whether given as 40 characters or 32 bytes.
 * (libzmq keeps the old username when it is set to null; omq forgets it.)
 */
function SECURITY_OPTIONS(): Record<string, OptionSpec> {
  const mechanism = (values: Record<string, unknown>, mechanism: "plain" | "curve" | null, asServer?: boolean) => {
    const server = asServer ?? values.securityAsServer === true;
    values.securityMechanism = mechanism;
    values.securityAsServer = server;
    values.plainServer = server && mechanism === "plain";
    values.curveServer = server && mechanism === "curve";
  };
  const credential = (name: string): OptionSpec => ({
    type: "credential",
    default: null,
    apply: (values, text) => {
      values[name] = text;
      mechanism(values, text === null ? null : "plain", text === null ? undefined : false);
    },
  });
  const key = (name: string, asServer?: false): OptionSpec => ({
    type: "curveKey",
    default: null,
    apply: (values, z85) => {
      values[name] = z85;
      mechanism(values, "curve", asServer);
    },
  });
  return {
    plainServer: { type: "bool", default: false, apply: (values, on) => mechanism(values, on === true ? "plain" : null, on === true) },
    plainUsername: credential("plainUsername"),
    plainPassword: credential("plainPassword"),
    curveServer: { type: "bool", default: false, apply: (values, on) => mechanism(values, on === true ? "curve" : null, on === true) },
    curvePublicKey: key("curvePublicKey"),
    curveSecretKey: key("curveSecretKey"),
    curveServerKey: key("curveServerKey", false),
  };
}

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

/** Write-only, but zeromq.js warns when it changes after bind/connect (it is not in its "immediate" list). */
const woWarn = (spec: OptionSpec): OptionSpec => ({ ...wo(spec), live: false });
/** ZMQ_INVERT_MATCHING (PUB, SUB, XPUB). */
export const INVERT_MATCHING_OPTION = { invertMatching: bool() } satisfies Record<string, OptionSpec>;
/** ZMQ_XPUB_NODROP (PUB, XPUB). */
export const NO_DROP_OPTION = { noDrop: woWarn(bool()) } satisfies Record<string, OptionSpec>;
/** XPUB only: ZMQ_XPUB_MANUAL, ZMQ_XPUB_WELCOME_MSG, and ZMQ_XPUB_VERBOSE/VERBOSER as one `verbosity`. */
export const XPUBLISHER_OPTIONS = {
  manual: woWarn(bool()),
  welcomeMessage: woWarn(str()),
  verbosity: wo({ type: "verbosity", default: null }),
} satisfies Record<string, OptionSpec>;

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
export interface InvertMatchingOption { invertMatching: boolean }
export interface NoDropOption { noDrop: boolean }
export interface XPublisherOptions { manual: boolean; welcomeMessage: string | null; verbosity: null | "allSubs" | "allSubsUnsubs" }

/** The live values of one socket's options, plus what reading/writing them needs. */
export class OptionStore {
  readonly values: Record<string, unknown> = Object.create(null);
  /** Set by the socket: closed sockets refuse option access (ENOTSOCK). */
  closed = false;
  /** Set by the socket once it has bound or connected: later changes to most options warn. */
  active = false;
  /** Copies of the options read on every send/receive that waits, kept in fields (hot path). */
  sendTimeout = -1;
  receiveTimeout = -1;
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
        if (spec.apply !== undefined) spec.apply(store.values, coerce(spec, value));
        else store.values[name] = coerce(spec, value);
        if (name === "sendTimeout" || name === "receiveTimeout") store[name] = store.values[name] as number;
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
    case "credential": {
      // ZMQ_PLAIN_USERNAME/PASSWORD: null selects NULL; otherwise 1 to 255 octets.
      if (value === null) return null;
      if (typeof value !== "string" && !Buffer.isBuffer(value)) throw new TypeError("Option value must be a string or buffer");
      const length = Buffer.byteLength(value);
      if (length < 1 || length > 255) throw zmqError("EINVAL");
      return typeof value === "string" ? value : value.toString("utf8");
    }
    case "curveKey": {
      // ZMQ_CURVE_*KEY: 32 octets, or 40 Z85 characters; anything else (null too) is EINVAL.
      if (value === null) throw zmqError("EINVAL");
      if (typeof value !== "string" && !Buffer.isBuffer(value)) throw new TypeError("Option value must be a string or buffer");
      const key = parseCurveKey(value);
      if (key === undefined) throw zmqError("EINVAL");
      return z85Encode(key);
    }
    case "mechanism":
    case "verbosity":
      return value;
  }
}
