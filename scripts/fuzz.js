#!/usr/bin/env node
// ZMTP fuzzer: `npm run fuzz [-- --cases N] [--seed S] [--width W]` (default 1 000 000 cases).
// Generated and mutated ZMTP streams against live omq listeners on tcp (NULL PULL and ROUTER,
// PLAIN and CURVE PULL, the secure ones driven through their handshakes with one stage
// mutated); the cases live in test/reliability/fuzz-cases.ts and fuzz-secure-cases.ts
// (compiled to dist/), shared with the npm test sample.
// Exits non-zero on an escaped exception, a hung case, unbounded memory or a listener that no
// longer serves a good peer. A failing case replays alone from its seed and index.
"use strict";
const { fuzz } = require("../dist/test/reliability/fuzz-cases");

function option(name, fallback) {
  const at = process.argv.indexOf(`--${name}`);
  return at === -1 ? fallback : Number(process.argv[at + 1]);
}

const cases = option("cases", 1000000);
const seed = option("seed", Date.now() % 2 ** 31);
const width = option("width", 64);
const MiB = 1024 * 1024;
const escaped = [];
process.on("uncaughtException", (e) => escaped.push(e));
process.on("unhandledRejection", (e) => escaped.push(e));

console.log(`fuzzing ${cases} cases, seed ${seed}, ${width} connections in flight`);
const started = Date.now();
fuzz({
  cases,
  seed,
  width,
  onProgress: (done) => {
    if (done % 100000 === 0) console.log(`  ${done} cases, ${Math.round(done / ((Date.now() - started) / 1000))}/s, heap ${(process.memoryUsage().heapUsed / MiB).toFixed(0)} MiB`);
  },
}).then(
  (r) => {
    const mb = (n) => `${(n / MiB).toFixed(1)} MiB`;
    console.log(`${r.cases} cases in ${r.seconds.toFixed(1)} s: ${Math.round(r.cases / r.seconds)} cases/s; ${r.delivered} messages delivered; heap ${mb(r.heapGrowth)}, arrayBuffers ${mb(r.buffersGrowth)}`);
    console.log(`  PLAIN cases by depth (opening only, INITIATE): ${r.depths.PLAIN.slice(0, 2).join(" / ")}; CURVE (opening only, INITIATE, MESSAGEs): ${r.depths.CURVE.join(" / ")}`);
    const failures = [...escaped.map((e) => `escaped: ${e && e.stack ? e.stack : e}`)];
    if (r.heapGrowth > 64 * MiB || r.buffersGrowth > 64 * MiB) failures.push("memory grew past 64 MiB");
    for (const f of failures) console.error(f);
    process.exitCode = failures.length === 0 ? 0 : 1;
  },
  (error) => {
    console.error(`fuzz failed (seed ${seed}): ${error && error.stack ? error.stack : error}`);
    process.exitCode = 1;
  },
);
