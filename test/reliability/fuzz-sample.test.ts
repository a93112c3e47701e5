// A fixed-seed sample of the ZMTP fuzzer (`npm run fuzz` runs a million): 20 000 generated and
// mutated byte streams against a live PULL and ROUTER. Pass: nothing escapes into the process,
// no case hangs, heap and buffers stay bounded, and both still serve well-behaved peers.
import assert from "node:assert/strict";
import { it } from "node:test";
import { guardProcess } from "../helpers/guard";
import { fuzz } from "./fuzz-cases";
import { MiB, mib } from "./support";

const CASES = 20000;
const SEED = 20260611;

it(`fuzz sample: ${CASES} cases of seed ${SEED} against a live PULL and ROUTER`, { timeout: 120000 }, async () => {
  const guard = guardProcess();
  try {
    const result = await fuzz({ cases: CASES, seed: SEED });
    console.log(
      `fuzz sample: ${result.cases} cases in ${result.seconds.toFixed(1)} s (${Math.round(result.cases / result.seconds)}/s), ` +
        `${result.delivered} messages delivered, heap ${mib(result.heapGrowth)}, arrayBuffers ${mib(result.buffersGrowth)}`,
    );
    assert.ok(result.heapGrowth < 32 * MiB, `heap grew by ${mib(result.heapGrowth)}`);
    assert.ok(result.buffersGrowth < 32 * MiB, `arrayBuffers grew by ${mib(result.buffersGrowth)}`);
    guard.check();
  } finally {
    guard.dispose();
  }
});
