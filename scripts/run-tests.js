#!/usr/bin/env node
// Runs every compiled test file (dist/test/**/*.test.js) with Node's test runner.
// Node 20's `--test` takes file paths, not globs, so we list the files ourselves.
"use strict";
const { readdirSync, statSync } = require("node:fs");
const { join } = require("node:path");
const { spawnSync } = require("node:child_process");

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
const result = spawnSync(process.execPath, ["--test", "--test-reporter=spec", ...files], { stdio: "inherit" });
process.exit(result.status ?? 1);
