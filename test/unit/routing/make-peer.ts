import type { Message } from "../../../src/message";
import { Peer } from "../../../src/pipe/peer";
import { Pipe } from "../../../src/pipe/pipe";

/** A peer with pipes of the given high-water marks and no transport behind it. */
export function makePeer(name: string, hwm = 0): Peer {
  return new Peer(new Pipe(hwm), new Pipe(hwm), {
    socketType: "TEST",
    identity: Buffer.from(name),
    metadata: new Map(),
    endpoint: `test://${name}`,
  });
}

/** A one-frame message. */
export function msg(text: string): Message {
  return [Buffer.from(text)];
}

/** Everything queued in `pipe`, as strings of the first frame, oldest first (empties it). */
export function drainText(pipe: Pipe): string[] {
  const out: string[] = [];
  for (let m = pipe.read(); m !== undefined; m = pipe.read()) out.push((m[0] as Buffer).toString());
  return out;
}

/** The name a peer was made with. */
export function nameOf(peer: Peer | undefined): string | undefined {
  return peer?.info.identity.toString();
}

/** A small seeded PRNG (mulberry32), so randomised tests repeat exactly. Returns [0, 1). */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 0x1_0000_0000;
  };
}
