// Two mechanisms talking to each other in memory, with no sockets: each command one side
// produces is handed to the other, and a ZAP request is answered by `zap`, until neither
// has anything more to say. This is the engine's loop without the engine.
import type { Mechanism, MechanismOptions, ZapAsker } from "../../../src/mechanisms/mechanism";
import type { SocketTypeName } from "../../../src/socket-type";

export type ZapHandler = (request: Buffer[]) => Buffer[] | "none";

export interface Transcript {
  /** Every command, in order, with who sent it. */
  commands: { from: "client" | "server"; body: Buffer }[];
  /** The ZAP requests the server made. */
  zapRequests: Buffer[][];
}

export function converse(client: Mechanism, server: Mechanism, zap?: ZapHandler, rounds = 20): Transcript {
  const transcript: Transcript = { commands: [], zapRequests: [] };
  for (let round = 0; round < rounds; round++) {
    let moved = false;
    for (const [from, to, name] of [[client, server, "client"], [server, client, "server"]] as const) {
      for (let body = from.nextCommand(); body !== undefined; body = from.nextCommand()) {
        transcript.commands.push({ from: name, body });
        to.processCommand(body);
        moved = true;
      }
      const asker = from as Mechanism & Partial<ZapAsker>;
      const request = asker.takeZapRequest?.();
      if (request !== undefined) {
        transcript.zapRequests.push(request);
        asker.zapReply!(zap === undefined ? "none" : zap(request));
        moved = true;
      }
    }
    if (!moved) break;
  }
  return transcript;
}

/** A ZAP reply as a handler sends it (RFC 27), delimiter first. */
export function zapReply(status: string, userId = "", metadata: Buffer = Buffer.alloc(0)): Buffer[] {
  return [Buffer.alloc(0), Buffer.from("1.0"), Buffer.from("1"), Buffer.from(status), Buffer.from("text"), Buffer.from(userId), metadata];
}

export function mechanismOptions(socketType: SocketTypeName, extra: Partial<MechanismOptions> = {}): MechanismOptions {
  return { socketType, routingId: undefined, asServer: false, peerAddress: "192.0.2.7", ...extra };
}

/** The failure a mechanism ended with, for assertions. */
export function failureOf(mechanism: Mechanism): Record<string, unknown> | undefined {
  const status = mechanism.status;
  return status.state === "error" ? { ...status.failure } : undefined;
}

export const text = (frames: Buffer[]): string[] => frames.map((frame) => frame.toString("latin1"));
