// Generators shared by the fuzzer's cases (fuzz-cases.ts for NULL, fuzz-secure-cases.ts for
// PLAIN and CURVE): metadata, commands and frames that are mostly well-formed and sometimes
// lie, and the mutations applied to a stage of a case. All draw from the case's own Prng.
import type { Socket as NetSocket } from "node:net";
import type { Prng } from "../fuzz/prng";
import { command, frame, frameHeader } from "../helpers/zmtp";

export const TYPES = ["PUSH", "DEALER", "REQ", "PAIR", "PULL", "ROUTER", "SUB", "XPUB", "", "push", "DEALER\0"];
const COMMANDS = ["READY", "PING", "PONG", "ERROR", "SUBSCRIBE", "CANCEL", "HELLO", "INITIATE", "MESSAGE", "", "X".repeat(255)];

function property(rng: Prng, name: string, value: Buffer): Buffer {
  const size = Buffer.alloc(4);
  // Mostly honest lengths; sometimes a lie that overruns or underruns.
  size.writeUInt32BE(rng.int(8) === 0 ? rng.int(2 ** 32) >>> 0 : value.length);
  const n = Buffer.from(name, "latin1");
  return Buffer.concat([Buffer.from([rng.int(10) === 0 ? rng.int(256) : n.length]), n, size, value]);
}

/** Metadata with a Socket-Type (`socketType` three times in four when given, else any) and up to two more properties. */
export function metadata(rng: Prng, socketType?: string): Buffer {
  const props: Buffer[] = [];
  const type = socketType !== undefined && rng.int(4) !== 0 ? socketType : TYPES[rng.int(TYPES.length)]!;
  if (rng.int(6) !== 0) props.push(property(rng, "Socket-Type", Buffer.from(type, "latin1")));
  for (let i = rng.int(3); i > 0; i--) {
    const name = ["Identity", "Resource", "__proto__", "constructor", "X-Any"][rng.int(5)]!;
    props.push(property(rng, name, rng.bytes(rng.int(300))));
  }
  return Buffer.concat(props);
}

export function someCommand(rng: Prng): Buffer {
  const name = COMMANDS[rng.int(COMMANDS.length)]!;
  if (name === "READY") return command(name, metadata(rng));
  if (name === "PING") return command(name, Buffer.concat([Buffer.from([rng.int(256), rng.int(256)]), rng.bytes(rng.int(20))]));
  return command(name, rng.bytes(rng.int(64)));
}

export function someFrame(rng: Prng): Buffer {
  switch (rng.int(6)) {
    case 0: // an absurd declared size, a few bytes of body
      return Buffer.concat([frameHeader(BigInt(rng.int(2 ** 31)) * BigInt(rng.int(2 ** 31) + 1), { long: true, more: rng.int(2) === 0 }), rng.bytes(rng.int(32))]);
    case 1:
      return Buffer.concat([Buffer.from([rng.int(256)]), rng.bytes(rng.int(16))]); // random flags
    case 2:
      return someCommand(rng);
    default:
      return frame(rng.bytes(rng.int(rng.int(10) === 0 ? 70000 : 200)), rng.int(3) === 0);
  }
}

export function someFrames(rng: Prng, most: number): Buffer[] {
  return Array.from({ length: rng.int(most + 1) }, () => someFrame(rng));
}

/**
 * Truncates, flips bits in, or appends noise to `bytes`; one time in four (unless `always`)
 * leaves them whole.
 */
export function mutate(rng: Prng, bytes: Buffer, always = false): Buffer {
  const mutation = always ? rng.int(3) : rng.int(4);
  if (mutation === 0 && bytes.length > 0) return bytes.subarray(0, rng.int(bytes.length));
  if (mutation === 1) {
    const copy = Buffer.from(bytes);
    for (let i = 1 + rng.int(4); i > 0 && copy.length > 0; i--) copy[rng.int(copy.length)]! ^= 1 << rng.int(8);
    return copy;
  }
  if (mutation === 2) return Buffer.concat([bytes, rng.bytes(rng.int(64))]);
  return bytes;
}

/** Writes `bytes` whole or cut into random pieces. */
export function writePieces(socket: NetSocket, rng: Prng, bytes: Buffer): Promise<void> {
  return writeInTurn(socket, rng.int(2) === 0 ? [bytes] : rng.split(bytes, 1 + rng.int(100)));
}

/** Writes `pieces` in order, letting the first ones arrive on their own (later ones coalesce, which the kernel may do anyway). */
export async function writeInTurn(socket: NetSocket, pieces: Buffer[]): Promise<void> {
  for (let i = 0; i < pieces.length; i++) {
    if (socket.destroyed) return;
    socket.write(pieces[i]!);
    if (i < 8) await new Promise((next) => setImmediate(next));
  }
}
