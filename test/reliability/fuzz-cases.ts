// The ZMTP fuzzer shared by `npm run fuzz` (scripts/fuzz.js) and the fixed-seed sample in
// npm test (fuzz-sample.test.ts). Each case draws from its own seed, so a failing case replays
// alone. Cases go, in turn, to four live omq listeners on tcp: a NULL PULL and a NULL ROUTER get
// generated greetings, NULL handshakes, commands and frames, mutated (truncated, bit-flipped,
// spliced with noise), cut into random pieces and written over a raw connection; a PLAIN PULL
// (with a ZAP handler) and a CURVE PULL get conversations with one mutated stage
// (fuzz-secure-cases.ts), so mutations reach HELLO, INITIATE and MESSAGE parsing.
import { connect } from "node:net";
import { Prng } from "../fuzz/prng";
import { command, greeting } from "../helpers/zmtp";
import { clientKeys, curveKeys, sodium } from "./curve-by-hand";
import { metadata, mutate, someFrame, writeInTurn } from "./fuzz-generators";
import { PLAIN_PASSWORD, PLAIN_USER, runSecureCase, type Depth } from "./fuzz-secure-cases";
import { bounded, liveBytes, pool, zmq } from "./support";

const MECHANISMS = ["NULL", "NULL", "NULL", "PLAIN", "CURVE", "", "NULLX", "\xff\xff"];

function caseRng(seed: number, index: number): Prng {
  return new Prng((seed * 0x9e3779b1 + index * 0x85ebca6b) >>> 0);
}

/** The bytes of one NULL case. */
export function caseBytes(seed: number, index: number): { bytes: Buffer; pieces: Buffer[]; abort: boolean } {
  const rng = caseRng(seed, index);
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
  const bytes = mutate(rng, Buffer.concat(parts));
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
      await writeInTurn(socket, pieces);
      if (abort) socket.destroy();
      else socket.end();
    });
  });
}

/**
 * Case i goes to TARGETS[i % 8]: an eighth each to PLAIN and CURVE, the rest to NULL. A PLAIN
 * or CURVE case costs some 2.5 times a NULL one (round trips, a ZAP request, boxes on both
 * sides), so this keeps a run of N cases within some 35 % of the NULL-only fuzzer's time.
 */
export const TARGETS = ["NULL PULL", "NULL ROUTER", "PLAIN PULL", "NULL PULL", "NULL ROUTER", "CURVE PULL", "NULL PULL", "NULL ROUTER"] as const;
type Target = (typeof TARGETS)[number];

export interface FuzzResult {
  cases: number;
  seconds: number;
  heapGrowth: number;
  buffersGrowth: number;
  delivered: number;
  /** PLAIN and CURVE cases by how deep they got: [opening only, INITIATE sent, traffic after READY]. */
  depths: Record<"PLAIN" | "CURVE", [number, number, number]>;
}

/** A PULL's messages counted, and a promise for the first single-part "good" message. */
function drain(pull: zmq.Pull, count: () => void): { good: Promise<void>; done: Promise<void> } {
  let sawGood: () => void = () => {};
  const good = new Promise<void>((resolve) => (sawGood = resolve));
  const done = (async () => {
    for await (const message of pull) {
      count();
      if (message.length === 1 && String(message[0]) === "good") sawGood();
    }
  })().catch(() => {}); // ends when the context closes
  return { good, done };
}

/**
 * Fuzzes the four listeners of TARGETS with `cases` cases, then checks that each still serves
 * a well-behaved peer.
 */
export async function fuzz(options: { cases: number; seed: number; width?: number; caseBound?: number; onProgress?: (done: number) => void }): Promise<FuzzResult> {
  const s = await sodium();
  const context = new zmq.Context();
  try {
    // A ZAP handler, so that PLAIN cases with the right password get past HELLO.
    const auth = new zmq.Authenticator({ context }).plain({ [PLAIN_USER]: PLAIN_PASSWORD }).curve("*");
    await auth.start();
    const serverKeys = curveKeys(s);
    const handshakeInterval = 2000;
    const pull = new zmq.Pull({ context, handshakeInterval });
    const router = new zmq.Router({ context, handshakeInterval });
    const plain = new zmq.Pull({ context, handshakeInterval, plainServer: true });
    const curve = new zmq.Pull({ context, handshakeInterval, curveServer: true, curveSecretKey: serverKeys.z85Secret });
    const listeners = [pull, router, plain, curve];
    for (const listener of listeners) await listener.bind("tcp://127.0.0.1:0");
    const port = (listener: zmq.Pull | zmq.Router) => Number(/:(\d+)$/.exec(listener.lastEndpoint!)![1]);
    const ports: Record<Target, number> = { "NULL PULL": port(pull), "NULL ROUTER": port(router), "PLAIN PULL": port(plain), "CURVE PULL": port(curve) };
    let delivered = 0;
    const counted = () => void delivered++;
    const pulls = [pull, plain, curve].map((socket) => drain(socket, counted));
    const routed = (async () => {
      for await (const [id, ...rest] of router) {
        delivered++;
        if (String(id) === "good" && String(rest[0]) === "ping") await router.send([id!, "pong"]);
      }
    })().catch(() => {});
    const depths: FuzzResult["depths"] = { PLAIN: [0, 0, 0], CURVE: [0, 0, 0] };
    const curveCase = { s, keys: clientKeys(s, serverKeys.publicKey) };
    const runOne = async (i: number) => {
      const target = TARGETS[i % TARGETS.length]!;
      if (target === "NULL PULL" || target === "NULL ROUTER") return runCase(ports[target], options.seed, i);
      const mechanism = target === "PLAIN PULL" ? "PLAIN" : "CURVE";
      const depth: Depth = await runSecureCase(mechanism, ports[target], caseRng(options.seed, i), curveCase);
      depths[mechanism][depth]++;
    };
    const before = liveBytes();
    const started = process.hrtime.bigint();
    let done = 0;
    await pool(options.cases, options.width ?? 64, async (i) => {
      await bounded(runOne(i), options.caseBound ?? 30000, `case ${i} of seed ${options.seed} (${TARGETS[i % TARGETS.length]}) hung`);
      if (++done % 10000 === 0) options.onProgress?.(done);
    });
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const after = liveBytes();

    // Every listener still serves a well-behaved peer.
    const { publicKey, secretKey } = zmq.curveKeyPair();
    const clients = [
      new zmq.Push({ context }),
      new zmq.Push({ context, plainUsername: PLAIN_USER, plainPassword: PLAIN_PASSWORD }),
      new zmq.Push({ context, curveServerKey: serverKeys.z85Public, curvePublicKey: publicKey, curveSecretKey: secretKey }),
    ];
    const names = ["NULL PULL", "PLAIN PULL", "CURVE PULL"];
    for (const [k, client] of clients.entries()) {
      client.connect([pull, plain, curve][k]!.lastEndpoint!);
      await client.send("good");
      await bounded(pulls[k]!.good, 10000, `the ${names[k]} no longer serves a good PUSH after fuzzing`);
    }
    const dealer = new zmq.Dealer({ context, routingId: "good" });
    dealer.connect(router.lastEndpoint!);
    await dealer.send("ping");
    const [reply] = await bounded(dealer.receive(), 10000, "the ROUTER no longer serves a good DEALER after fuzzing");
    if (String(reply) !== "pong") throw new Error(`the ROUTER replied ${String(reply)}`);
    await auth.close();
    await context.close();
    await Promise.all([...pulls.map((p) => p.done), routed]);
    return { cases: options.cases, seconds, heapGrowth: after.heap - before.heap, buffersGrowth: after.buffers - before.buffers, delivered, depths };
  } finally {
    await context.close();
  }
}
