// Command line of the perf tools, in the order of libzmq's perf/ programs:
//   <tool> [--lib omq|zeromq] <endpoint> <message-size> <count>
import { parseArgs } from "node:util";
import { DEFAULT_LIB, isLibName, loadLib, type LibName, type Zmq } from "../libs";
import { parseSize } from "../sizes";

export interface PerfArgs {
  libName: LibName;
  zmq: Zmq;
  endpoint: string;
  size: number;
  count: number;
}

export function parsePerfArgs(tool: string, endpointHelp: string): PerfArgs {
  const usage = `usage: node dist/bench/perf/${tool}.js [--lib omq|zeromq] ${endpointHelp} <message-size> <count>`;
  const { values, positionals } = parseArgs({
    options: { lib: { type: "string", default: DEFAULT_LIB }, help: { type: "boolean", short: "h" } },
    allowPositionals: true,
  });
  if (values.help) exitWith(usage, 0);
  const [endpoint, sizeText, countText] = positionals;
  const lib = values.lib ?? DEFAULT_LIB;
  const count = Number(countText);
  if (positionals.length !== 3 || !isLibName(lib) || !Number.isInteger(count) || count < 1) exitWith(usage, 2);
  try {
    return { libName: lib, zmq: loadLib(lib), endpoint, size: parseSize(sizeText), count };
  } catch (err) {
    return exitWith(`${tool}: ${(err as Error).message}\n${usage}`, 2);
  }
}

/** Runs a perf tool's body, and exits non-zero with the error if it fails. */
export function runTool(tool: string, body: () => Promise<void>): void {
  body().catch((err) => exitWith(`${tool}: ${(err as Error)?.stack ?? err}`, 1));
}

function exitWith(message: string, code: number): never {
  (code === 0 ? console.log : console.error)(message);
  process.exit(code);
}
