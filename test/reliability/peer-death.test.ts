// Peer death: a peer process streaming to us is SIGKILLed mid-stream, ROUNDS times. Our side (a
// PULL that connects) must notice, reconnect to the next incarnation on the same port, and keep
// receiving in order with no duplicates; after the last round it holds no more handles than
// after the first (a small bound: nothing leaks per death).
import assert from "node:assert/strict";
import { fork, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import { join } from "node:path";
import { it } from "node:test";
import { bounded, events, withContext, zmq } from "./support";

const ROUNDS = 20;
const PER_ROUND = 200;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function spawnPeer(port: number, round: number): Promise<ChildProcess> {
  const child = fork(join(__dirname, "peer-death-child.js"), [String(port), String(round)], { stdio: ["ignore", "inherit", "inherit", "ipc"] });
  return new Promise((resolve, reject) => {
    child.once("message", () => resolve(child));
    child.once("exit", (code) => reject(new Error(`peer exited with ${code} before binding`)));
  });
}

/** Active handles other than the child processes' own (ProcessWrap and its stdio/IPC PipeWraps close a little after 'exit'). */
function omqHandles(): string[] {
  return process.getActiveResourcesInfo().filter((name) => name !== "ProcessWrap" && name !== "PipeWrap");
}

function kill(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    child.once("exit", () => resolve());
    child.kill("SIGKILL");
  });
}

it(`a streaming peer SIGKILLed ${ROUNDS} times: reconnect every time, in order, no handle leak`, { timeout: 120000 }, () =>
  withContext(async (context) => {
    const port = await freePort();
    const pull = new zmq.Pull({ context, reconnectInterval: 20, reconnectMaxInterval: 100 });
    let handshakes = 0;
    let disconnects = 0;
    pull.events.on("handshake", () => handshakes++);
    pull.events.on("disconnect", () => disconnects++);
    pull.connect(`tcp://127.0.0.1:${port}`);
    let handlesAfterFirst = 0;
    const lastSeq = new Map<number, number>();
    for (let round = 1; round <= ROUNDS; round++) {
      const child = await spawnPeer(port, round);
      const dead = events(pull, "disconnect");
      // Receive until PER_ROUND messages of this incarnation arrived (older ones may still be queued).
      let got = 0;
      while (got < PER_ROUND) {
        const [r, s] = (await bounded(pull.receive(), 20000, `round ${round}: no message after the peer restarted`)).map(String);
        const from = Number(r);
        const seq = Number(s);
        assert.ok(seq > (lastSeq.get(from) ?? -1), `round ${from}: sequence ${seq} after ${lastSeq.get(from)}: reordered or duplicated`);
        lastSeq.set(from, seq);
        if (from === round) got++;
      }
      await kill(child); // mid-stream: the child is blocked in, or about to be in, a send
      // A full pipe stops reading from the connection (backpressure), so the FIN is only seen
      // once what was queued is read: keep draining until the death is reported.
      let noticed = false;
      void dead.then(() => (noticed = true));
      pull.receiveTimeout = 50;
      while (!noticed) await pull.receive().catch(() => undefined);
      pull.receiveTimeout = -1;
      await bounded(dead, 20000, `round ${round}: the death was not noticed`);
      if (round === 1) handlesAfterFirst = omqHandles().length;
    }
    assert.equal(handshakes, ROUNDS, "one handshake per incarnation");
    assert.equal(disconnects, ROUNDS);
    const handles = omqHandles().length;
    console.log(`peer death: ${ROUNDS} rounds, handles after the first ${handlesAfterFirst}, after the last ${handles}`);
    assert.ok(handles <= handlesAfterFirst + 2, `handles grew from ${handlesAfterFirst} to ${handles}: ${omqHandles().join(", ")}`);
  }));
