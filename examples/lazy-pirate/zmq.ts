// The ZeroMQ library the example runs on: omq by default, or the native `zeromq` package
// with OMQ_LIB=zeromq (same API, so the same code).
import { DEFAULT_LIB, loadLib } from "../../bench/libs";

export const libName = process.env.OMQ_LIB ?? DEFAULT_LIB;
export const zmq = loadLib(libName);
