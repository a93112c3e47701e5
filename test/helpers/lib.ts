// Which ZeroMQ library a test drives. omq has the API of the `zeromq` package (zeromq.js v6),
// so every test is written once against that API and can run on either library:
//   - omq (the default): the library under test, loaded from dist/src/index.js;
//   - zeromq (native libzmq 4.3.5): the reference peer. Running a spec suite with
//     OMQ_TEST_LIB=zeromq checks the *test* against the reference behaviour.
// omq is loaded lazily, so a suite still runs (and reports per test) while omq cannot load.
import * as path from "node:path";

export type Zmq = typeof import("zeromq");
export type LibName = "omq" | "zeromq";

const cache = new Map<LibName, Zmq>();

export function loadLib(name: LibName): Zmq {
  let lib = cache.get(name);
  if (lib === undefined) {
    // Compiled, this file is dist/test/helpers/lib.js and omq is dist/src/index.js.
    lib = (name === "zeromq" ? require("zeromq") : require(path.join(__dirname, "..", "..", "src", "index"))) as Zmq;
    // libzmq's context waits at process exit for every socket's queued messages (linger -1):
    // one native socket left with a message for a peer that is gone would keep a test file's
    // process alive for ever. Tests of linger set it explicitly.
    if (name === "zeromq") lib.context.blocky = false;
    cache.set(name, lib);
  }
  return lib;
}

/** The library the spec suites exercise on both ends: omq unless OMQ_TEST_LIB=zeromq. */
export const libName: LibName = process.env.OMQ_TEST_LIB === "zeromq" ? "zeromq" : "omq";

/** The library under test (see libName). */
export function lib(): Zmq {
  return loadLib(libName);
}

/** The reference peer: native libzmq through the `zeromq` package. */
export function native(): Zmq {
  return loadLib("zeromq");
}

/** Name of a loaded library, for test titles and messages. */
export function nameOf(zmq: Zmq): LibName {
  return zmq === cache.get("zeromq") ? "zeromq" : "omq";
}

/** Is the reference library what is under test? (Some omq choices differ from libzmq on purpose.) */
export const testingReference = libName === "zeromq";
