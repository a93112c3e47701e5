import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Message } from "../../src/message";
import { FrameDecoder } from "../../src/zmtp/decoder";
import { FrameEncoder } from "../../src/zmtp/encoder";
import { RecordingSink } from "../unit/zmtp/recording-sink";
import { Prng } from "./prng";

const SEED = 0x5eed;
const ROUNDS = 300;
const SIZES = [0, 1, 7, 255, 256, 300, 4096, 9000, 20_000];

/** A random valid stream of messages and commands, and what decoding it must give. */
function randomStream(prng: Prng): { bytes: Buffer; expected: string[] } {
  const encoder = new FrameEncoder({ batchSize: 256 + prng.int(8192) });
  const reference = new RecordingSink();
  for (let i = 0, n = 1 + prng.int(20); i < n; i++) {
    if (prng.int(5) === 0) {
      const body = Buffer.concat([Buffer.from([4]), Buffer.from("PING"), prng.bytes(prng.int(18))]);
      encoder.command(body);
      reference.command(body);
    } else {
      const message: Message = Array.from({ length: 1 + prng.int(4) }, () => prng.bytes(SIZES[prng.int(SIZES.length)]));
      encoder.message(message);
      reference.message(message);
    }
  }
  return { bytes: Buffer.concat(encoder.take()), expected: reference.summary() };
}

/** Feeds `pieces`; asserts the decoder neither throws nor reports more than one error, nor decodes after it. */
function feedChecked(pieces: Buffer[], maxMessageSize: number): RecordingSink {
  const sink = new RecordingSink();
  let decodedAtError = -1;
  const decoder = new FrameDecoder(
    {
      message: (m) => sink.message(m),
      command: (b) => sink.command(b),
      error: (e) => {
        decodedAtError = sink.decoded.length;
        sink.error(e);
      },
    },
    { maxMessageSize },
  );
  for (const piece of pieces) decoder.write(piece);
  assert.ok(sink.errors.length <= 1, "at most one error");
  if (decodedAtError >= 0) assert.equal(sink.decoded.length, decodedAtError, "nothing decoded after an error");
  return sink;
}

describe("FrameDecoder fuzz", () => {
  it(`decodes ${ROUNDS} random valid streams identically in random splits`, () => {
    const prng = new Prng(SEED);
    for (let round = 0; round < ROUNDS; round++) {
      const { bytes, expected } = randomStream(prng);
      const sink = feedChecked(prng.split(bytes, 1 + prng.int(prng.int(2) === 0 ? 64 : 20_000)), -1);
      assert.equal(sink.errors.length, 0, `round ${round}`);
      assert.deepEqual(sink.summary(), expected, `round ${round}`);
    }
  });

  it(`survives ${ROUNDS} corrupted streams: one error at most, bounded memory`, () => {
    const prng = new Prng(SEED + 1);
    const limit = 64 * 1024;
    for (let round = 0; round < ROUNDS; round++) {
      const { bytes } = randomStream(prng);
      const corrupted = Buffer.from(bytes);
      for (let i = 0, flips = 1 + prng.int(8); i < flips; i++) corrupted[prng.int(corrupted.length)] = prng.int(256);
      const sink = feedChecked(prng.split(corrupted, 1 + prng.int(5000)), limit);
      for (const d of sink.decoded) {
        const frames = "message" in d ? d.message : [d.command];
        for (const f of frames) assert.ok(f.length <= limit, "no frame over maxMessageSize");
      }
    }
  });

  it(`survives ${ROUNDS} streams of random bytes`, () => {
    const prng = new Prng(SEED + 2);
    for (let round = 0; round < ROUNDS; round++) {
      feedChecked(prng.split(prng.bytes(1 + prng.int(4000)), 1 + prng.int(300)), prng.int(2) === 0 ? -1 : 1024);
    }
  });
});
