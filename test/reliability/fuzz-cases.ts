// The ZMTP fuzzer shared by `npm run fuzz` (scripts/fuzz.js) and the fixed-seed sample in
// npm test (fuzz-sample.test.ts). Each case is a byte stream built from its own seed, so a
// failing case replays alone: generated greetings, NULL handshakes, commands and frames, then
// mutated (truncated, bit-flipped, spliced with noise), cut into random pieces and written to a
// live omq listener (a PULL and a ROUTER bound on tcp) over a raw connection, many at once.
import { connect } from "node:net";
import { Prng } from "../fuzz/prng";
import { command, frame, frameHeader, greeting } from "../helpers/zmtp";
import { bounded, liveBytes, pool, zmq } from "./support";

const TYPES = ["PUSH", "DEALER", "REQ", "PAIR", "PULL", "ROUTER", "SUB", "XPUB", "", "push", "DEALER\0"];
const MECHANISMS = ["NULL", "NULL", "NULL", "PLAIN", "CURVE", "", "NULLX", "\xff\xff"];
const COMMANDS = ["READY", "PING", "PONG", "ERROR", "SUBSCRIBE", "CANCEL", "HELLO", "INITIATE", "", "X".repeat(255)];

function property(rng: Prng, name: string, value: Buffer): Buffer {
  const size = Buffer.alloc(4);
  // Mostly honest lengths; sometimes a lie that overruns or underruns.
  size.writeUInt32BE(rng.int(8) === 0 ? rng.int(2 ** 32) >>> 0 : value.length);
  const n = Buffer.from(name, "latin1");
  return Buffer.concat([Buffer.from([rng.int(10) === 0 ? rng.int(256) : n.length]), n, size, value]);
}

function metadata(rng: Prng): Buffer {
  const props: Buffer[] = [];
  if (rng.int(6) !== 0) props.push(property(rng, "Socket-Type", Buffer.from(TYPES[rng.int(TYPES.length)]!, "latin1")));
  for (let i = rng.int(3); i > 0; i--) {
    const name = ["Identity", "Resource", "__proto__", "constructor", "X-Any"][rng.int(5)]!;
    props.push(property(rng, name, rng.bytes(rng.int(300))));
  }
  return Buffer.concat(props);
}

function someCommand(rng: Prng): Buffer {
  const name = COMMANDS[rng.int(COMMANDS.length)]!;
  if (name === "READY") return command(name, metadata(rng));
  if (name === "PING") return command(name, Buffer.concat([Buffer.from([rng.int(256), rng.int(256)]), rng.bytes(rng.int(20))]));
  return command(name, rng.bytes(rng.int(64)));
}

function someFrame(rng: Prng): Buffer {
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

/** The bytes of one case. */
export function caseBytes(seed: number, index: number): { bytes: Buffer; pieces: Buffer[]; abort: boolean } {
  const rng = new Prng((seed * 0x9e3779b1 + index * 0x85ebca6b) >>> 0);
  const parts: Buffer[] = [];
  const kind = rng.int(10);
  if (kind === 0) parts.push(rng.bytes(rng.int(200))); // noise
  else {
    const g = greeting({ mechanism: MECHANISMS[rng.int(MECHANISMS.length)], major: rng.int(5) === 0 ? rng.int(256) : 3, minor: rng.int(3), asServer: rng.int(4) === 0 });
    if (rng.int(8) === 0) g[rng.int(64)] = rng.int(256);
    parts.push(g);
    if (kind > 2) parts.push(command("READY", metadata(rng)));
    for (let i = rng.int(8); i > 0; i--) parts.push(someFrame(rng));
  }
  let bytes = Buffer.concat(parts);
  const mutation = rng.int(4);
  if (mutation === 0 && bytes.length > 0) bytes = bytes.subarray(0, rng.int(bytes.length)); // truncation
  if (mutation === 1) for (let i = 1 + rng.int(4); i > 0 && bytes.length > 0; i--) bytes[rng.int(bytes.length)]! ^= 1 << rng.int(8);
  if (mutation === 2) bytes = Buffer.concat([bytes, rng.bytes(rng.int(64))]);
  const pieces = rng.int(2) === 0 ? [bytes] : rng.split(bytes, 1 + rng.int(100));
  return { bytes, pieces, abort: rng.int(4) === 0 };
}

/** Writes one case over a raw connection and resolves when the connection is gone. */
function runCase(port: number, seed: number, index: number): Promise<void> {
  const { pieces, abort } = caseBytes(seed, index);
  return new Promise((resolve) => {
    const socket = connect({ host: "127.0.0.1", port });
    socket.on("error", () => {}); // a reset from omq is an expected ending
    socket.resume(); // discard what omq sends, so its FIN is read and "close" can follow
    socket.once("close", () => resolve());
    socket.once("connect", async () => {
      for (let i = 0; i < pieces.length; i++) {
        if (socket.destroyed) return;
        socket.write(pieces[i]!);
        // Let the first pieces arrive on their own (later ones coalesce, which the kernel may do anyway).
        if (i < 8) await new Promise((next) => setImmediate(next));
      }
      if (abort) socket.destroy();
      else socket.end();
    });
  });
}

export interface FuzzResult {
  cases: number;
  seconds: number;
  heapGrowth: number;
  buffersGrowth: number;
  delivered: number;
}

/** Fuzzes a live PULL and ROUTER with `cases` cases, then checks they still serve good peers. */
export async function fuzz(options: { cases: number; seed: number; width?: number; caseBound?: number; onProgress?: (done: number) => void }): Promise<FuzzResult> {
  const context = new zmq.Context();
  try {
    const pull = new zmq.Pull({ context, handshakeInterval: 2000 });
    const router = new zmq.Router({ context, handshakeInterval: 2000 });
    await pull.bind("tcp://127.0.0.1:0");
    await router.bind("tcp://127.0.0.1:0");
    const ports = [pull, router].map((s) => Number(/:(\d+)$/.exec(s.lastEndpoint!)![1]));
    let delivered = 0;
    let goodPulled: () => void = () => {};
    const pulledGood = new Promise<void>((resolve) => (goodPulled = resolve));
    const drainPull = async () => {
      for await (const message of pull) {
        delivered++;
        if (message.length === 1 && String(message[0]) === "good") goodPulled();
      }
    };
    const drainRouter = async () => {
      for await (const [id, ...rest] of router) {
        delivered++;
        if (String(id) === "good" && String(rest[0]) === "ping") await router.send([id!, "pong"]);
      }
    };
    const drains = [drainPull(), drainRouter()].map((p) => p.catch(() => {})); // both end when the context closes
    const before = liveBytes();
    const started = process.hrtime.bigint();
    let done = 0;
    await pool(options.cases, options.width ?? 64, async (i) => {
      await bounded(runCase(ports[i % 2]!, options.seed, i), options.caseBound ?? 30000, `case ${i} of seed ${options.seed} hung`);
      if (++done % 10000 === 0) options.onProgress?.(done);
    });
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const after = liveBytes();

    // The listener still serves well-behaved peers.
    const push = new zmq.Push({ context });
    push.connect(pull.lastEndpoint!);
    await push.send("good");
    await bounded(pulledGood, 10000, "the PULL no longer serves a good PUSH after fuzzing");
    const dealer = new zmq.Dealer({ context, routingId: "good" });
    dealer.connect(router.lastEndpoint!);
    await dealer.send("ping");
    const [reply] = await bounded(dealer.receive(), 10000, "the ROUTER no longer serves a good DEALER after fuzzing");
    if (String(reply) !== "pong") throw new Error(`the ROUTER replied ${String(reply)}`);
    await context.close();
    await Promise.all(drains);
    return { cases: options.cases, seconds, heapGrowth: after.heap - before.heap, buffersGrowth: after.buffers - before.buffers, delivered };
  } finally {
    await context.close();
  }
}
