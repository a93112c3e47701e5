// A numbered stream of multipart messages and the check at the receiving end: what the
// fault tests assert about PUSH/PULL (README "Guarantees"): every message arrives whole or
// not at all, in order, never twice. Losses are counted, not forbidden: a connection that
// dies takes what was in flight with it.

/** Frames per message: the sequence number, then parts that each repeat it, so a torn or mixed message shows. */
export const FRAMES = 4;

/** Message `seq`: ["<seq>", "<seq>/1", "<seq>/2", <payload of `payload` bytes, all (seq & 0xff)>]. */
export function sequenced(seq: number, payload = 64): Buffer[] {
  const message = [Buffer.from(String(seq))];
  for (let part = 1; part < FRAMES - 1; part++) message.push(Buffer.from(`${seq}/${part}`));
  message.push(Buffer.alloc(payload, seq & 0xff));
  return message;
}

export interface StreamStats {
  received: number;
  /** The highest sequence number seen, -1 before the first. */
  last: number;
  /** Numbers skipped over (lost with a connection). */
  lost: number;
  /** Messages whose number was not above the last one: duplicates or reordering. */
  outOfOrder: number;
  /** Messages that were not exactly what `sequenced` built: torn multipart or corrupted content. */
  malformed: number;
}

/** Checks each received message against the sequence; only counts, so that a test can report figures before it asserts. */
export class SequenceCheck {
  readonly stats: StreamStats = { received: 0, last: -1, lost: 0, outOfOrder: 0, malformed: 0 };

  /** Takes one message; returns its sequence number (NaN when malformed). */
  accept(message: Buffer[]): number {
    const stats = this.stats;
    stats.received++;
    const seq = wellFormed(message);
    if (Number.isNaN(seq)) {
      stats.malformed++;
      return seq;
    }
    if (seq <= stats.last) stats.outOfOrder++;
    else {
      stats.lost += seq - stats.last - 1;
      stats.last = seq;
    }
    return seq;
  }
}

function wellFormed(message: Buffer[]): number {
  if (message.length !== FRAMES) return NaN;
  const text = message[0]!.toString();
  const seq = Number(text);
  if (!/^\d+$/.test(text)) return NaN;
  for (let part = 1; part < FRAMES - 1; part++) if (message[part]!.toString() !== `${seq}/${part}`) return NaN;
  const payload = message[FRAMES - 1]!;
  for (const byte of payload) if (byte !== (seq & 0xff)) return NaN;
  return seq;
}
