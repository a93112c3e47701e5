// Preloaded into every test process by run-tests.js.
// - When the runner's watchdog sends SIGUSR2, the process prints what keeps its event loop
//   alive, so a hang in CI names its cause.
// - Once every test of the file has finished, a process still alive 10 s later is ended. If
//   something of JavaScript's keeps it (a socket, a timer: a leak in omq or in a test), that is
//   printed and the file fails. If nothing visible does, the hold is in native code, which in
//   these tests is only the `zeromq` package, the reference peer (its observers now and then
//   never close: 2 to 4 runs in 100 of spec/bad-input under load): noted, and the tests' verdict stands.
"use strict";
const { isMainThread } = require("node:worker_threads");
// Worker threads inherit the preload; the test files' workers run no tests of their own.
if (isMainThread) guard();

function guard() {
  const { after } = require("node:test");
  process.on("SIGUSR2", () => {
    const live = liveResources();
    process.stderr.write(`still alive; active resources: ${live.join(", ") || "none visible to JavaScript (native code)"}\n`);
  });
  after(() => {
    setTimeout(() => {
      const live = liveResources();
      if (live.length > 0) {
        process.stderr.write(`every test has finished, but the process is kept alive by: ${live.join(", ")}\n`);
        process.exit(1);
      }
      process.stderr.write("every test has finished; native code (the zeromq peer) kept the process alive: ended it\n");
      process.exit();
    }, 10_000).unref();
  });
}

function liveResources() {
  const stdio = new Set([process.stdout, process.stderr]);
  const handles = process._getActiveHandles().filter((handle) => !stdio.has(handle));
  const timers = process.getActiveResourcesInfo().filter((name) => name === "Timeout" || name === "Immediate");
  return [...handles.map(describeHandle), ...timers];
}

function describeHandle(handle) {
  const name = handle?.constructor?.name ?? typeof handle;
  if (handle?.localPort) return `${name} (local port ${handle.localPort}, remote ${handle.remotePort ?? "-"})`;
  if (handle?._pipeName) return `${name} (${handle._pipeName})`;
  return name;
}
