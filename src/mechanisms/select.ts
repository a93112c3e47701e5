import type { Context } from "../context";
import { cookieJarFor } from "./cookie-jar";
import { CurveClient } from "./curve-client";
import { curveCrypto, loadCurveCrypto, type CurveCrypto } from "./curve-crypto";
import { parseCurveKey, publicKeyOf } from "./curve-keys";
import { CurveServer } from "./curve-server";
import { GatedMechanism } from "./gated";
import type { Mechanism, MechanismFailure, MechanismOptions, MechanismStatus } from "./mechanism";
import { NullMechanism } from "./null";
import { PlainClient } from "./plain-client";
import { PlainServer } from "./plain-server";
import type { ZapSettings } from "./zap";
import { askZap } from "./zap-client";

/** The socket options that choose and configure a security mechanism (zeromq.js names). */
export interface SecurityOptions {
  plainServer: boolean;
  plainUsername: string | null;
  plainPassword: string | null;
  curveServer: boolean;
  curvePublicKey: string | null;
  curveSecretKey: string | null;
  curveServerKey: string | null;
  zapDomain: string | null;
  zapEnforceDomain: boolean;
  /**
   * libzmq's ZMQ_MECHANISM as the option setters left it (the last of PLAIN/CURVE set wins;
   * socket.securityMechanism). When absent it is inferred from the values above.
   */
  mechanism?: "plain" | "curve" | null;
  /** libzmq's as_server flag, shared by PLAIN and CURVE (set by *Server, cleared by plainUsername/curveServerKey). */
  asServer?: boolean;
}

export type MechanismFactory = (options: MechanismOptions) => Mechanism;

/**
 * Picks the mechanism a connection uses from the socket's security options, as libzmq's
 * engine does: the mechanism named by ZMQ_MECHANISM, server or client by as_server (not
 * by bind/connect). Returns undefined for plain NULL, which the engine makes itself.
 * `context` is where the ZAP handler (inproc://zeromq.zap.01) is looked for, once per
 * connection, when the mechanism asks.
 */
export function mechanismFactory(security: SecurityOptions, context: Context): MechanismFactory | undefined {
  const zap: ZapSettings = { domain: security.zapDomain ?? "", enforceDomain: security.zapEnforceDomain };
  const port = (request: Buffer[]) => askZap(context, request);
  const mechanism = security.mechanism !== undefined ? security.mechanism : inferMechanism(security);
  const asServer = security.asServer ?? (security.plainServer || security.curveServer);
  if (mechanism === "plain") {
    return (options) =>
      new GatedMechanism("PLAIN", asServer, () => (asServer ? new PlainServer(options, zap) : new PlainClient(options, security.plainUsername ?? "", security.plainPassword ?? "")), undefined, port);
  }
  if (mechanism === "curve") {
    return (options) => {
      const crypto = curveCrypto();
      const make = () => curveMechanism(security, asServer, options, crypto ?? curveCrypto()!, context, zap);
      return new GatedMechanism("CURVE", asServer, make, crypto === undefined ? loadCurveCrypto() : undefined, port);
    };
  }
  // NULL: "NULL mechanism only uses ZAP if there's a domain defined" (libzmq null_mechanism_t).
  if (zap.domain === "") return undefined;
  return (options) => new GatedMechanism("NULL", false, () => new NullMechanism(options, zap), undefined, port);
}

function inferMechanism(security: SecurityOptions): "plain" | "curve" | null {
  if (security.curveServer || security.curveServerKey !== null) return "curve";
  if (security.plainServer || security.plainUsername !== null || security.plainPassword !== null) return "plain";
  return null;
}

function curveMechanism(
  security: SecurityOptions,
  asServer: boolean,
  options: MechanismOptions,
  crypto: CurveCrypto,
  context: Context,
  zap: ZapSettings,
): Mechanism {
  const secretKey = key(security.curveSecretKey);
  if (secretKey === undefined) return new Failed("CURVE", asServer, "curveSecretKey is not set");
  // The server checks each vouch names its public key: the one of its secret key, whatever curvePublicKey says.
  if (asServer) return new CurveServer(options, crypto, { publicKey: publicKeyOf(secretKey), secretKey }, cookieJarFor(context), zap);
  const publicKey = key(security.curvePublicKey) ?? publicKeyOf(secretKey);
  const serverKey = key(security.curveServerKey);
  if (serverKey === undefined) return new Failed("CURVE", asServer, "curveServerKey is not set");
  return new CurveClient(options, crypto, { publicKey, secretKey, serverKey });
}

function key(value: string | null): Buffer | undefined {
  return value === null ? undefined : parseCurveKey(value);
}

/** A mechanism that cannot start (keys missing): the handshake fails at once, locally. */
class Failed implements Mechanism {
  readonly name: string;
  readonly asServer: boolean;
  readonly status: MechanismStatus;
  readonly peerMetadata = new Map<string, Buffer>();

  constructor(name: string, asServer: boolean, why: string) {
    this.name = name;
    this.asServer = asServer;
    const failure: MechanismFailure = { kind: "other", code: "EINVAL", message: why };
    this.status = { state: "error", failure };
  }

  nextCommand(): undefined {
    return undefined;
  }

  processCommand(): void {}
}
