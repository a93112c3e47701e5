// "One suite over every transport" (STYLE.md point 10): a suite loops over `transports` and
// gets each one's addresses from here. Never a fixed port: tcp binds port `*` and the test
// reads the chosen port back from `lastEndpoint`.
//
// Adding a transport to omq: add its name to OMQ_TRANSPORTS below (or, to try it before,
// run with OMQ_TEST_TRANSPORTS=tcp,ipc,inproc). Transports omq does not have yet are listed
// as skipped, with the reason, rather than left out.
import { randomBytes } from "node:crypto";
import { lstatSync, unlinkSync } from "node:fs";
import { createServer, type AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { libName, type LibName } from "./lib";

export type TransportName = "tcp" | "ipc" | "inproc";

/**
 * The transports omq serves today. Extend as they land. inproc is left out for now: it
 * passes every suite but one (lifecycle "linger -1": a connect-before-bind link is dropped
 * at close, where libzmq delivers its queued messages once the name is bound).
 */
const OMQ_TRANSPORTS: readonly TransportName[] = ["tcp", "ipc", "inproc"];

export interface Transport {
  readonly name: TransportName;
  /** Connection-oriented with reconnection (tcp, ipc); inproc links pipes directly. */
  readonly stream: boolean;
  /** Can two different libraries (omq and libzmq) meet on it? inproc cannot. */
  readonly crossLibrary: boolean;
  /** An address to bind; for tcp the port is picked at bind time (read `lastEndpoint`). */
  bindAddress(): string;
  /** An address nobody is bound to yet, for "connect first, bind later" tests. */
  freeAddress(): Promise<string>;
}

function unique(): string {
  return `${process.pid}-${randomBytes(6).toString("hex")}`;
}

const tcp: Transport = {
  name: "tcp",
  stream: true,
  crossLibrary: true,
  bindAddress: () => "tcp://127.0.0.1:*",
  // Ask the kernel for a free port and give it back. Another process could take it in
  // between; on a test machine that is rare enough, and far better than a fixed port.
  freeAddress: () =>
    new Promise((resolve, reject) => {
      const server = createServer();
      server.once("error", reject);
      server.listen(0, "127.0.0.1", () => {
        const { port } = server.address() as AddressInfo;
        server.close(() => resolve(`tcp://127.0.0.1:${port}`));
      });
    }),
};

/** ipc paths handed out; libzmq 4.3.5 leaves its socket files behind, so they are removed at exit. */
const ipcPaths = new Set<string>();

function ipcAddress(): string {
  const path = join(tmpdir(), `omq-test-${unique()}`);
  if (ipcPaths.size === 0) process.once("exit", removeIpcFiles);
  ipcPaths.add(path);
  return `ipc://${path}`;
}

function removeIpcFiles(): void {
  for (const path of ipcPaths) {
    try {
      if (lstatSync(path).isSocket()) unlinkSync(path);
    } catch {
      // already gone
    }
  }
}

const ipc: Transport = {
  name: "ipc",
  stream: true,
  crossLibrary: true,
  bindAddress: ipcAddress,
  freeAddress: async () => ipcAddress(),
};

const inproc: Transport = {
  name: "inproc",
  stream: false,
  crossLibrary: false,
  bindAddress: () => `inproc://name-${unique()}`,
  freeAddress: async () => `inproc://name-${unique()}`,
};

export const ALL_TRANSPORTS: readonly Transport[] = [tcp, ipc, inproc];

function enabledFor(name: LibName): ReadonlySet<string> {
  if (name === "zeromq") return new Set(ALL_TRANSPORTS.map((t) => t.name));
  const fromEnv = process.env.OMQ_TEST_TRANSPORTS;
  return new Set(fromEnv ? fromEnv.split(",").map((s) => s.trim()) : OMQ_TRANSPORTS);
}

/** Why this transport is skipped for the library under test, or false when it runs. */
export function skipReason(transport: Transport, lib: LibName = libName): string | false {
  return enabledFor(lib).has(transport.name) ? false : `${transport.name}:// is not enabled for omq yet (OMQ_TRANSPORTS in test/helpers/transports.ts; OMQ_TEST_TRANSPORTS=tcp,ipc,inproc to try)`;
}

/** Every transport, each with its skip reason: loop over it with describe(name, { skip }). */
export const transports: readonly { transport: Transport; skip: string | false }[] = ALL_TRANSPORTS.map((transport) => ({
  transport,
  skip: skipReason(transport),
}));

/** Transports where omq meets libzmq (tcp, ipc; not inproc), each with its skip reason. */
export const interopTransports: readonly { transport: Transport; skip: string | false }[] = transports.filter(
  ({ transport }) => transport.crossLibrary,
);

export const TCP: Transport = tcp;
