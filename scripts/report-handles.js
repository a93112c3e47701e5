// Preloaded into every test process by run-tests.js. When the runner's watchdog sends SIGUSR2,
// the process prints what is keeping its event loop alive, so a hang in CI names its cause.
"use strict";
process.on("SIGUSR2", () => {
  const resources = process.getActiveResourcesInfo();
  const lines = [`still alive; active resources: ${resources.join(", ") || "none"}`];
  for (const handle of process._getActiveHandles()) {
    const name = handle?.constructor?.name ?? typeof handle;
    const where = handle?.localPort ? ` local port ${handle.localPort}` : handle?._pipeName ? ` ${handle._pipeName}` : "";
    lines.push(`  handle: ${name}${where}`);
  }
  process.stderr.write(`${lines.join("\n")}\n`);
});
