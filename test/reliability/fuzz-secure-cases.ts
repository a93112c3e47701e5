// Fuzz cases inside the PLAIN (RFC 24) and CURVE (RFC 26) handshakes. A case is a short
// conversation with a live omq server: each stage is sent only after omq answered the one
// before (WELCOME, READY), and one stage, picked by the case's Prng, is mutated, so mutations
// reach HELLO, INITIATE and the encrypted MESSAGEs, not only the greeting. CURVE boxes are built
// with libsodium (curve-by-hand.ts), so a valid stage really opens on the server.
import { once } from "node:events";
import { connect } from "node:net";
import type { Prng } from "../fuzz/prng";
import { command, frame, frameHeader, greeting } from "../helpers/zmtp";
import { HandClient, RawZmtp, type ClientKeys, type Frame, type Sodium } from "./curve-by-hand";
import { metadata, mutate, someCommand, someFrame, someFrames, writePieces } from "./fuzz-generators";

/** How deep a case got: 0 opening only, 1 INITIATE sent, 2 traffic after READY. */
export type Depth = 0 | 1 | 2;

/** A stage's bytes, built once omq has answered the previous stage (undefined for the first). */
type Stage = (reply: Frame | undefined) => Buffer;

/** A command frame around a body that already starts with its name (as curve-by-hand.ts builds them). */
function asCommand(body: Buffer): Buffer {
  return Buffer.concat([frameHeader(body.length, { command: true }), body]);
}

export const PLAIN_USER = "admin";
export const PLAIN_PASSWORD = "secret";

function plainStages(rng: Prng): Stage[] {
  const credential = (honest: string) => {
    const text = Buffer.from(rng.int(8) === 0 ? rng.bytes(rng.int(300)).toString("latin1") : honest, "latin1");
    return Buffer.concat([Buffer.from([rng.int(10) === 0 ? rng.int(256) : Math.min(text.length, 255)]), text.subarray(0, 255)]);
  };
  return [
    () => Buffer.concat([greeting({ mechanism: "PLAIN" }), command("HELLO", Buffer.concat([credential(PLAIN_USER), credential(PLAIN_PASSWORD)]))]),
    () => Buffer.concat([command(rng.int(10) === 0 ? "READY" : "INITIATE", metadata(rng, "PUSH")), ...someFrames(rng, 6)]),
  ];
}

function curveStages(rng: Prng, s: Sodium, keys: ClientKeys): Stage[] {
  const client = new HandClient(s, keys);
  const sent: Buffer[] = [];
  let nonce = 2;
  const message = (): Buffer => {
    switch (rng.int(8)) {
      case 0: // a replay
        return sent.length > 0 ? frame(sent[rng.int(sent.length)]!) : someFrame(rng);
      case 1: // any nonce at all
        return frame(client.message(rng.bytes(rng.int(100)), rng.int(2 ** 31), rng.int(3) === 0));
      case 2:
        return someFrame(rng);
      case 3: // a command in clear after the handshake
        return someCommand(rng);
      default: {
        const body = client.message(rng.bytes(rng.int(rng.int(10) === 0 ? 5000 : 100)), (nonce += 1 + (rng.int(10) === 0 ? rng.int(1000) : 0)), rng.int(3) === 0);
        sent.push(body);
        return frame(body);
      }
    }
  };
  return [
    () => Buffer.concat([greeting({ mechanism: "CURVE" }), asCommand(client.hello(rng.int(10) === 0 ? rng.int(2 ** 31) : 1))]),
    (welcome) => {
      client.welcome(welcome!.body);
      return asCommand(client.initiate(metadata(rng, "PUSH"), rng.int(10) === 0 ? rng.int(3) : 2));
    },
    (ready) => {
      client.ready(ready!.body);
      return Buffer.concat(Array.from({ length: 1 + rng.int(8) }, message));
    },
  ];
}

/**
 * Runs one PLAIN or CURVE case against `port`; resolves with its depth once the connection is
 * gone. A stage whose reply does not come (omq dropped us) or does not open ends the case.
 */
export async function runSecureCase(
  mechanism: "PLAIN" | "CURVE",
  port: number,
  rng: Prng,
  curve: { s: Sodium; keys: ClientKeys },
): Promise<Depth> {
  const stages = mechanism === "PLAIN" ? plainStages(rng) : curveStages(rng, curve.s, curve.keys);
  const mutated = rng.int(stages.length + 1); // == stages.length: no stage mutated
  const abort = rng.int(4) === 0;
  const socket = connect(port, "127.0.0.1");
  const raw = new RawZmtp(socket, Buffer.alloc(0));
  let depth: Depth = 0;
  try {
    await once(socket, "connect");
    let reply: Frame | undefined;
    for (let i = 0; i < stages.length; i++) {
      depth = i as Depth;
      const bytes = stages[i]!(reply);
      await writePieces(socket, rng, i === mutated ? mutate(rng, bytes, true) : bytes);
      if (i === mutated || i === stages.length - 1) break;
      reply = await raw.next();
      if (reply === undefined) break;
      if (reply.body.toString("latin1", 1, 6) === "ERROR") break;
    }
  } catch {
    // a reply that does not open (omq refused us in its own way), or a connect that failed
  } finally {
    if (abort) socket.destroy();
    else socket.end();
  }
  await raw.closed;
  return depth;
}
