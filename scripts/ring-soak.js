#!/usr/bin/env node
// Soak test for the shared ring (issue 7): 10 000 000 messages between two worker threads,
// random batches and pauses on both sides, some large messages sent aside. Build first
// (npx tsc -p .). Usage: node scripts/ring-soak.js [count] [seed]
"use strict";
const { runRing } = require("../dist/test/threads/ring-run");

const count = Number(process.argv[2] ?? 10_000_000);
const seed = Number(process.argv[3] ?? Date.now() % 100000);
runRing({ count, ringBytes: 64 * 1024, seed, largeEvery: 10_000 }).then((r) => {
  const ok = !r.producer.error && !r.consumer.error && r.producer.count === count && r.consumer.count === count
    && r.exitCodes.every((c) => c === 0);
  console.log(`seed ${seed}: ${r.consumer.count}/${count} messages in order in ${(r.ms / 1000).toFixed(1)} s`);
  console.log("writer", r.producer.stats, "reader", r.consumer.stats);
  if (r.producer.error || r.consumer.error) console.error(r.producer.error ?? r.consumer.error);
  console.log(ok ? "OK" : "FAILED");
  process.exitCode = ok ? 0 : 1;
}, (e) => { console.error(e); process.exitCode = 1; });
