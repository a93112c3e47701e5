#!/usr/bin/env node
// Runs every compiled test file (dist/test/**/*.test.js), one process per file, one file at a
// time (OMQ_TEST_JOBS=n for more). Each file has its own watchdog: a file whose tests hang, or
// whose process stays alive after its tests because something was left open, is named, made to
// print what keeps it alive, killed, and counted as failed; the run goes on with the next file.
"use strict";
const { readdirSync, statSync } = require("node:fs");
const { join, relative } = require("node:path");
const { spawn } = require("node:child_process");

const FILE_TIMEOUT_MS = Number(process.env.OMQ_TEST_FILE_TIMEOUT_MS ?? 10 * 60 * 1000);
const JOBS = Math.max(1, Number(process.env.OMQ_TEST_JOBS ?? 1));
const ROOT = join(__dirname, "..");
const REPORT_HANDLES = join(__dirname, "report-handles.js");

function findTests(dir, filter) {
  const files = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) files.push(...findTests(path, filter));
    else if (name.endsWith(".test.js") && path.includes(filter)) files.push(path);
  }
  return files;
}

/** Runs one file in its own process; resolves with its output, its counts and how it ended. */
function runFile(file) {
  return new Promise((resolve) => {
    const started = Date.now();
    const child = spawn(process.execPath, ["--require", REPORT_HANDLES, "--test-reporter=spec", file], {
      cwd: ROOT,
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    });
    let output = "";
    const collect = (chunk) => {
      output += chunk;
      if (JOBS === 1) process.stdout.write(chunk);
    };
    child.stdout.setEncoding("utf8").on("data", collect);
    child.stderr.setEncoding("utf8").on("data", collect);
    let hung = false;
    const watchdog = setTimeout(() => {
      hung = true;
      collect(`\n${relative(ROOT, file)}: still running after ${FILE_TIMEOUT_MS / 1000} s; asking it what keeps it alive, then killing it\n`);
      const before = output.length;
      child.kill("SIGUSR2");
      setTimeout(() => {
        if (output.length === before) collect("it did not answer: its main thread is blocked (in a native call or Atomics.wait)\n");
        killGroup(child);
      }, 2000).unref();
    }, FILE_TIMEOUT_MS);
    child.on("close", (code, signal) => {
      clearTimeout(watchdog);
      const counts = countsOf(output);
      const failed = hung || code !== 0 || signal !== null || counts.fail > 0;
      resolve({ file, output, counts, failed, hung, seconds: (Date.now() - started) / 1000 });
    });
  });
}

function killGroup(child) {
  try {
    process.kill(-child.pid, "SIGKILL");
  } catch {
    child.kill("SIGKILL");
  }
}

/**
 * The totals the spec reporter prints at the end of a file's run ("ℹ pass 12"); for a process
 * ended before it printed them, the result lines of the tests (a suite's has a "▶" line too).
 */
function countsOf(output) {
  const count = (label) => Number([...output.matchAll(new RegExp(`^ℹ ${label} (\\d+)$`, "gm"))].at(-1)?.[1] ?? 0);
  if (/^ℹ tests \d+$/m.test(output)) return { tests: count("tests"), pass: count("pass"), fail: count("fail"), skipped: count("skipped") + count("todo") };
  const suites = new Set(output.match(/^\s*▶ .*$/gm)?.map((line) => line.replace("▶", "")) ?? []);
  const results = { tests: 0, pass: 0, fail: 0, skipped: 0 };
  for (const [line, indent, mark, name] of output.matchAll(/^(\s*)([✔✖﹣]) (.*?)(?: \([\d.]+ms\))?(?: # .*)?$/gm)) {
    if (suites.has(`${indent} ${name}`) || line === undefined) continue;
    results.tests++;
    results[mark === "✔" ? "pass" : mark === "✖" ? "fail" : "skipped"]++;
  }
  return results;
}

async function main() {
  const filter = process.argv[2] ?? "";
  const files = findTests(join(ROOT, "dist", "test"), filter);
  if (files.length === 0) {
    console.error(`no test files match "${filter}"`);
    process.exit(1);
  }
  const started = Date.now();
  const results = [];
  const queue = [...files];
  await Promise.all(
    Array.from({ length: Math.min(JOBS, files.length) }, async () => {
      for (let file = queue.shift(); file !== undefined; file = queue.shift()) {
        const result = await runFile(file);
        if (JOBS > 1) process.stdout.write(result.output);
        results.push(result);
      }
    }),
  );
  summarise(results, (Date.now() - started) / 1000);
  process.exit(results.some((r) => r.failed) ? 1 : 0);
}

function summarise(results, seconds) {
  const total = { tests: 0, pass: 0, fail: 0, skipped: 0 };
  for (const { counts } of results) for (const key of Object.keys(total)) total[key] += counts[key];
  const slowest = [...results].sort((a, b) => b.seconds - a.seconds).slice(0, 5);
  const failed = results.filter((r) => r.failed);
  console.log(`\n${results.length} files, ${total.tests} tests: ${total.pass} pass, ${total.fail} fail, ${total.skipped} skipped, in ${seconds.toFixed(0)} s`);
  console.log(`slowest files: ${slowest.map((r) => `${relative(ROOT, r.file)} ${r.seconds.toFixed(1)} s`).join(", ")}`);
  for (const r of failed) console.log(`FAILED ${relative(ROOT, r.file)}${r.hung ? " (killed by the watchdog)" : ""}`);
}

main();
