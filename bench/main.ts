// npm run bench: throughput of omq next to the native zeromq package, measured in separate
// processes, alternating A B A B so that both see the same machine, median of the rounds.
//
//   npm run bench -- [--quick] [--rounds 3] [--sizes 16,64k] [--libs omq,zeromq]
//                    [--transports tcp] [--messages N] [--timeout 60]
import { parseArgs } from "node:util";
import { isLibName, loadLib } from "./libs";
import { printTable, writeJson } from "./report";
import { runThroughput } from "./run-throughput";
import { messagesFor, scenarioName, TRANSPORTS, type Scenario, type Transport } from "./scenarios";
import { parseSize } from "./sizes";
import { summarize, type Run } from "./stats";

const { values: options } = parseArgs({
  options: {
    quick: { type: "boolean", default: false }, // a smoke test: 1 round, 1/20 of the messages
    rounds: { type: "string" },
    sizes: { type: "string", default: "16,64k" },
    libs: { type: "string", default: "omq,zeromq" },
    transports: { type: "string", default: "tcp" },
    messages: { type: "string" }, // the same count for every size, instead of messagesFor()
    timeout: { type: "string", default: "60" }, // seconds per run
  },
});

function fail(message: string): never {
  console.error(`bench: ${message}`);
  process.exit(2);
}

function list(text: string): string[] {
  return text.split(",").map((s) => s.trim()).filter(Boolean);
}

const rounds = Number(options.rounds ?? (options.quick ? 1 : 3));
const timeoutMs = Number(options.timeout) * 1000;
const libNames = list(options.libs);
const transports = list(options.transports);
if (!Number.isInteger(rounds) || rounds < 1) fail(`--rounds must be a positive integer`);
if (!(timeoutMs > 0)) fail(`--timeout must be a number of seconds`);
if (libNames.length < 1 || libNames.length > 2 || !libNames.every(isLibName)) fail(`--libs takes one or two of omq, zeromq`);
for (const t of transports) if (!(TRANSPORTS as readonly string[]).includes(t)) fail(`unknown transport ${t}`);
for (const lib of new Set(libNames)) {
  try {
    loadLib(lib);
  } catch (err) {
    fail(`${lib} does not load: ${(err as Error).message}`);
  }
}
// "zeromq,zeromq" compares a library with itself: a check on how noisy the machine is.
const libs = libNames.map((name, i) => (i > 0 && name === libNames[0] ? `${name}#2` : name));

const fixedCount = options.messages === undefined ? undefined : Number(options.messages);
if (fixedCount !== undefined && !(Number.isInteger(fixedCount) && fixedCount > 1)) fail(`--messages must be an integer above 1`);
let sizes: number[] = [];
try {
  sizes = list(options.sizes).map(parseSize);
} catch (err) {
  fail((err as Error).message);
}

const scenarios: Scenario[] = [];
for (const transport of transports as Transport[]) {
  for (const size of sizes) {
    const messages = fixedCount ?? messagesFor(size, options.quick!);
    scenarios.push({ pattern: "push-pull", transport, size, messages });
  }
}

async function main(): Promise<void> {
  const startedAt = new Date();
  const runs: Run[] = [];
  const total = scenarios.length * rounds * libs.length;
  for (const scenario of scenarios) {
    const name = scenarioName(scenario);
    for (let round = 1; round <= rounds; round++) {
      for (const [i, lib] of libs.entries()) {
        progress(`[${runs.length + 1}/${total}] ${name}, ${lib}, round ${round}/${rounds}`);
        try {
          const result = await runThroughput(libNames[i], scenario, timeoutMs);
          runs.push({ scenario: name, lib, round, result });
        } catch (err) {
          progress("");
          console.error(`${name}, ${lib}, round ${round}: ${(err as Error).message}`);
          runs.push({ scenario: name, lib, round, error: (err as Error).message });
        }
      }
    }
  }
  progress("");
  const summaries = summarize(runs, scenarios.map(scenarioName), libs);
  printTable(summaries, libs, rounds);
  const file = writeJson(startedAt, summaries, runs, { ...options, rounds, libs, scenarios });
  console.log(`\nresults: ${file}`);
  if (runs.some((run) => run.error)) process.exitCode = 1;
}

/** One line on stderr, rewritten in place, and only on a terminal. */
function progress(text: string): void {
  if (process.stderr.isTTY) process.stderr.write(`\r\x1b[K${text}`);
}

main().catch((err) => fail(err?.stack ?? String(err)));
