#!/usr/bin/env node
// Runs every compiled test file (dist/test/**/*.test.js) with Node's test runner.
// Node 20's `--test` takes file paths, not globs, so we list the files ourselves.
"use strict";
const { readdirSync, statSync } = require("node:fs");
const { join } = require("node:path");
const { spawn } = require("node:child_process");

// A test file whose process never exits would stall the runner until CI gives up; fail instead.
const WATCHDOG_MS = 40 * 60 * 1000;

function findTests(dir, filter) {
  const files = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) files.push(...findTests(path, filter));
    else if (name.endsWith(".test.js") && path.includes(filter)) files.push(path);
  }
  return files;
}

const filter = process.argv[2] ?? "";
const files = findTests(join(__dirname, "..", "dist", "test"), filter);
if (files.length === 0) {
  console.error(`no test files match "${filter}"`);
  process.exit(1);
}
const runner = spawn(process.execPath, ["--test", "--test-reporter=spec", ...files], { stdio: "inherit" });
const watchdog = setTimeout(() => {
  console.error(`test run still going after ${WATCHDOG_MS / 60000} minutes: a test file does not exit; stopping`);
  runner.kill("SIGKILL");
}, WATCHDOG_MS);
runner.on("exit", (code, signal) => {
  clearTimeout(watchdog);
  process.exit(signal === null ? (code ?? 1) : 1);
});
