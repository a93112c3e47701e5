// Loads a ZeroMQ library by name. omq has the API of the `zeromq` package (zeromq.js v6),
// so benchmarks and examples are written once against that API and run on either library.
import * as path from "node:path";

export type Zmq = typeof import("zeromq");

export const LIB_NAMES = ["omq", "zeromq"] as const;
export type LibName = (typeof LIB_NAMES)[number];

/** The library used when none is named. */
export const DEFAULT_LIB: LibName = "omq";

export function isLibName(name: string): name is LibName {
  return (LIB_NAMES as readonly string[]).includes(name);
}

export function loadLib(name: string): Zmq {
  switch (name) {
    case "zeromq":
      return require("zeromq") as Zmq;
    case "omq":
      // Compiled, this file is dist/bench/libs.js and omq is dist/src/index.js.
      return require(path.join(__dirname, "..", "src", "index")) as Zmq;
    default:
      throw new Error(`unknown library "${name}" (expected ${LIB_NAMES.join(" or ")})`);
  }
}
