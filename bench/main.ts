// npm run bench: omq next to the native zeromq package, each scenario in fresh processes,
// alternating A B A B so that both libraries see the same machine, median of the rounds and
// the ratio omq/native, checked against the targets. Writes a table to stdout, and JSON and a
// self-contained HTML page to bench/results/. See bench/README.md.
import * as os from "node:os";
import { parseArgs } from "node:util";
import { runWithWatchdog } from "./harness";
import { writeHtml } from "./html";
import { isLibName, loadLib } from "./libs";
import { parseGroups, planScenarios, THROUGHPUT_SIZES } from "./plan";
import { gitCommit, machine, printTables, printTargets, writeJson } from "./report";
import { NotAvailable, type Scenario, type Settings } from "./scenario";
import { maxPeers } from "./scenarios/idle";
import { parseSize } from "./sizes";
import { summarize, type Run } from "./stats";
import { checkTargets } from "./targets";

const USAGE = `usage: npm run bench -- [--quick] [--only tcp-thr,ipc-thr,inproc-thr,inproc-threads,curve-thr,lat,fanout,alloc,idle,io-threads | thr | mem]
         [--rounds 3] [--seconds 1] [--sizes 16,256,1k,64k,1m] [--libs omq,zeromq]
         [--peers 10000] [--sub-procs 2] [--timeout S]`;

const { values: options } = parseArgs({
  options: {
    quick: { type: "boolean", default: false }, // smoke test: 1 round, short runs, 1 000 idle peers
    only: { type: "string", default: "all" },
    rounds: { type: "string" },
    seconds: { type: "string" }, // per run: sending time, or round-trip time
    sizes: { type: "string" }, // throughput sizes
    libs: { type: "string", default: "omq,zeromq" },
    peers: { type: "string" }, // idle connections on one ROUTER
    "sub-procs": { type: "string", default: "2" }, // processes for the 10 SUBs
    timeout: { type: "string" }, // seconds per run before the watchdog; default per scenario
    help: { type: "boolean", short: "h", default: false },
  },
});

function fail(message: string): never {
  console.error(`bench: ${message}\n${USAGE}`);
  process.exit(2);
}

function positive(text: string | undefined, fallback: number, name: string, integer = true): number {
  const value = text === undefined ? fallback : Number(text);
  if (!(value > 0) || (integer && !Number.isInteger(value))) fail(`--${name} must be a positive ${integer ? "integer" : "number"}`);
  return value;
}

if (options.help) {
  console.log(USAGE);
  process.exit(0);
}
const quick = options.quick!;
const rounds = positive(options.rounds, quick ? 1 : 3, "rounds");
const requestedPeers = positive(options.peers, quick ? 1000 : 10_000, "peers");
const settings: Settings = {
  quick,
  seconds: positive(options.seconds, quick ? 0.2 : 1, "seconds", false),
  peers: Math.min(requestedPeers, maxPeers()),
  subProcesses: positive(options["sub-procs"], 2, "sub-procs"),
};
const timeoutOverride = options.timeout === undefined ? undefined : positive(options.timeout, 0, "timeout", false);
const libNames = options.libs!.split(",").map((s) => s.trim());
if (libNames.length < 1 || libNames.length > 2 || !libNames.every(isLibName)) fail(`--libs takes one or two of omq, zeromq`);
for (const lib of new Set(libNames)) {
  try {
    loadLib(lib);
  } catch (err) {
    fail(`${lib} does not load: ${(err as Error).message}`);
  }
}
// "zeromq,zeromq" compares a library with itself: a check on how noisy the machine is.
const libs = libNames.map((name, i) => (i > 0 && name === libNames[0] ? `${name}#2` : name));

let scenarios: Scenario[] = [];
try {
  const sizes = options.sizes === undefined ? THROUGHPUT_SIZES : options.sizes.split(",").map(parseSize);
  scenarios = planScenarios(parseGroups(options.only!), sizes);
} catch (err) {
  fail((err as Error).message);
}
if (scenarios.length === 0) fail("no scenario selected");

async function main(): Promise<void> {
  const startedAt = new Date();
  if (settings.peers < requestedPeers && scenarios.some((s) => s.kind === "idle")) {
    console.error(`bench: the open-files hard limit allows ${settings.peers} idle peers, not ${requestedPeers}`);
  }
  const loadAtStart = os.loadavg();
  const [load] = loadAtStart;
  // Above half the cores busy before we start, someone else is using the machine.
  if (load > os.cpus().length / 2) note(`bench: the load average is ${load.toFixed(1)} before starting: other processes share the CPUs, expect noise`);
  const runs: Run[] = [];
  const total = scenarios.length * rounds * libs.length;
  for (const scenario of scenarios) {
    for (let round = 1; round <= rounds; round++) {
      for (const [i, lib] of libs.entries()) {
        // Once a library has said it cannot run a scenario, it will not in later rounds either.
        const skipped = runs.find((r) => r.scenario === scenario.name && r.lib === lib && r.skipped);
        if (skipped) continue;
        progress(`[${runs.length + 1}/${total}] ${scenario.name}, ${lib}, round ${round}/${rounds}`, startedAt);
        runs.push(await runOnce(scenario, libNames[i], lib, round));
      }
    }
  }
  progress("", startedAt);

  const summaries = summarize(runs, scenarios, libs);
  const targets = checkTargets(summaries, libs);
  printTables(summaries, scenarios, libs, rounds);
  printTargets(targets);
  const report = {
    date: startedAt.toISOString(),
    commit: gitCommit(),
    machine: machine(),
    options: { ...options, rounds, settings, requestedPeers, loadAverageAtStart: loadAtStart },
    libs,
    rounds,
    scenarios: scenarios.map(({ name, kind, group, transport, size, measures }) => ({ name, kind, group, transport, size, measures })),
    summaries,
    targets,
    runs,
  };
  const base = writeJson(report);
  const html = writeHtml(report, base);
  const minutes = ((Date.now() - startedAt.getTime()) / 60_000).toFixed(1);
  console.log(`\n${runs.filter((r) => r.error).length} failed runs, ${minutes} min\nresults: ${base}.json\n         ${html}`);
  if (runs.some((run) => run.error)) process.exitCode = 1;
}

async function runOnce(scenario: Scenario, libName: string, lib: string, round: number): Promise<Run> {
  const started = performance.now();
  const run: Run = { scenario: scenario.name, lib, round, wallSeconds: 0 };
  const timeoutMs = (timeoutOverride ?? scenario.timeoutSeconds(settings)) * 1000;
  try {
    const { value, warnings } = await runWithWatchdog(timeoutMs, (harness) => scenario.run(libName, settings, harness));
    Object.assign(run, value);
    if (warnings.length > 0) {
      run.warnings = warnings;
      note(`${scenario.name}, ${lib}, round ${round}: warning: ${warnings.join("; ")}`);
    }
  } catch (err) {
    if (err instanceof NotAvailable) {
      run.skipped = err.message;
      note(`${scenario.name}: ${err.message}, skipped`);
    } else {
      run.error = (err as Error).message;
      note(`${scenario.name}, ${lib}, round ${round} FAILED: ${run.error}`);
    }
  }
  run.wallSeconds = (performance.now() - started) / 1000;
  return run;
}

/** One line on stderr, rewritten in place, and only on a terminal. */
function progress(text: string, startedAt: Date): void {
  if (!process.stderr.isTTY) return;
  const elapsed = Math.round((Date.now() - startedAt.getTime()) / 1000);
  const clock = `${Math.floor(elapsed / 60)}:${String(elapsed % 60).padStart(2, "0")}`;
  process.stderr.write(text ? `\r\x1b[K${clock} ${text}` : "\r\x1b[K");
}

/** A message on stderr that stays (clears the progress line first). */
function note(text: string): void {
  if (process.stderr.isTTY) process.stderr.write("\r\x1b[K");
  console.error(text);
}

main().catch((err) => fail(err?.stack ?? String(err)));
