// A fixed-seed sample of the ZMTP fuzzer (`npm run fuzz` runs a million): 20 000 generated and
// mutated byte streams and handshakes against a live NULL PULL and ROUTER and a PLAIN and a
// CURVE PULL. Pass: nothing escapes into the process, no case hangs, heap and buffers stay
// bounded, every listener still serves a well-behaved peer, and the PLAIN and CURVE cases got
// past HELLO (mutations reached INITIATE and, for CURVE, the encrypted MESSAGEs).
import assert from "node:assert/strict";
import { it } from "node:test";
import { guardProcess } from "../helpers/guard";
import { fuzz } from "./fuzz-cases";
import { MiB, mib } from "./support";

const CASES = 20000;
const SEED = 20260611;

// About 30 s on a quiet 2-core machine; the bound is for a hang, with room for a far busier one.
it(`fuzz sample: ${CASES} cases of seed ${SEED} against live NULL, PLAIN and CURVE listeners`, { timeout: 300000 }, async () => {
  const guard = guardProcess();
  try {
    const result = await fuzz({ cases: CASES, seed: SEED });
    const { PLAIN: plain, CURVE: curve } = result.depths;
    console.log(
      `fuzz sample: ${result.cases} cases in ${result.seconds.toFixed(1)} s (${Math.round(result.cases / result.seconds)}/s), ` +
        `${result.delivered} messages delivered, heap ${mib(result.heapGrowth)}, arrayBuffers ${mib(result.buffersGrowth)}; ` +
        `PLAIN cases by depth (opening, INITIATE) ${plain[0]}/${plain[1]}, CURVE (opening, INITIATE, MESSAGEs) ${curve.join("/")}`,
    );
    assert.ok(result.heapGrowth < 32 * MiB, `heap grew by ${mib(result.heapGrowth)}`);
    assert.ok(result.buffersGrowth < 32 * MiB, `arrayBuffers grew by ${mib(result.buffersGrowth)}`);
    // The secure cases must get deep, else they only fuzz the greeting again.
    assert.ok(plain[1] > CASES / 40, `only ${plain[1]} PLAIN cases reached INITIATE`);
    assert.ok(curve[1] + curve[2] > CASES / 40, `only ${curve[1] + curve[2]} CURVE cases reached INITIATE`);
    assert.ok(curve[2] > CASES / 100, `only ${curve[2]} CURVE cases reached the encrypted MESSAGEs`);
    guard.check();
  } finally {
    guard.dispose();
  }
});
