import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { join } from "node:path";
import { test } from "node:test";
import { parseEndpoint } from "../../../src/transports/endpoint";
import { dial, listen } from "../../../src/transports/transport";
import { DIAL, LISTEN, rejection } from "./fixtures";

const TRANSPORT = join(__dirname, "..", "..", "..", "src", "transports", "transport.js");
const ENDPOINT = join(__dirname, "..", "..", "..", "src", "transports", "endpoint.js");

test("inproc and ws are not served here: EPROTONOSUPPORT", async () => {
  const signal = new AbortController().signal;
  for (const address of ["inproc://x", "ws://127.0.0.1:*", "wss://127.0.0.1:*"]) {
    const error = await rejection(listen(parseEndpoint(address, "bind"), LISTEN));
    assert.equal(error.code, "EPROTONOSUPPORT");
    assert.equal(error.address, address);
  }
  for (const address of ["inproc://x", "ws://127.0.0.1:1"]) {
    assert.equal((await rejection(dial(parseEndpoint(address, "connect"), DIAL, signal))).code, "EPROTONOSUPPORT");
  }
});

/** Runs a script in a fresh Node; resolves with its exit code (null if it had to be killed) and output. */
async function runAlone(script: string): Promise<{ code: number | null; output: string }> {
  // The timeout is a safety net, not a measurement: a process kept alive is killed and fails.
  const child = spawn(process.execPath, ["-e", script], { stdio: ["ignore", "pipe", "inherit"], timeout: 30_000 });
  let output = "";
  child.stdout.setEncoding("utf8").on("data", (text: string) => (output += text));
  const [code] = await once(child, "exit");
  return { code, output };
}

for (const address of ["tcp://127.0.0.1:*", "ipc://*"]) {
  test(`a listener and a connected pair over ${address.split(":")[0]} do not keep Node alive`, async () => {
    // Nothing is closed: the process must still reach its end once the connection is up.
    const { code, output } = await runAlone(`
      const { listen, dial } = require(${JSON.stringify(TRANSPORT)});
      const { parseEndpoint } = require(${JSON.stringify(ENDPOINT)});
      const keep = [];
      (async () => {
        const listener = await listen(parseEndpoint(${JSON.stringify(address)}, "bind"), ${JSON.stringify(LISTEN)});
        listener.onConnection = (stream) => { keep.push(stream); console.log("accepted"); };
        const hold = setInterval(() => {}, 1 << 30); // only until the connection is made
        keep.push(await dial(parseEndpoint(listener.endpoint, "connect"), ${JSON.stringify(DIAL)}, new AbortController().signal));
        console.log("connected");
        clearInterval(hold);
        if (listener.endpoint.startsWith("ipc://")) {
          // ipc://* made a temporary directory that nothing closes here: remove it at exit.
          const path = listener.endpoint.slice("ipc://".length);
          process.on("exit", () => require("node:fs").rmSync(require("node:path").dirname(path), { recursive: true }));
        }
      })();
    `);
    assert.equal(code, 0);
    assert.match(output, /connected/);
  });
}
