// Memory per idle connection: `peers` DEALERs (spread over processes of at most 2 500 each)
// connect to one ROUTER and say hello once; the ROUTER, under node --expose-gc, compares its
// settled memory before and after. JS heap is what omq's design bounds; the native package
// keeps its connections in C++, so for it heap says little and RSS says more.
import * as fs from "node:fs";
import type { ChildOptions } from "../child";
import type { IdleDealersArgs } from "../peers/idle-dealers";
import type { IdleRouterArgs, MemorySample } from "../peers/idle-router";
import type { Scenario } from "../scenario";

const DEALERS_PER_PROCESS = 2500;
const SPARE_FILES = 256; // stdio, the IPC channel, libuv, libzmq's own descriptors
const IDLE_MS = 500; // connections sit idle this long before the second sample

export function idleConnections(): Scenario {
  return {
    name: "router idle tcp",
    group: "idle",
    kind: "idle",
    transport: "tcp",
    measures: [
      { name: "heap KiB/conn", better: "lower", digits: 2, ratio: false },
      { name: "buffers KiB/conn", better: "lower", digits: 2, ratio: false },
      { name: "RSS KiB/conn", better: "lower", digits: 1 },
      { name: "connect s", better: "lower", digits: 2 },
      { name: "peers", better: "higher", ratio: false },
    ],
    timeoutSeconds: (settings) => 60 + settings.peers / 100,
    async run(lib, settings, harness) {
      const peers = settings.peers;
      const router = harness.start("router", "idle-router", { lib, peers } satisfies IdleRouterArgs, {
        execArgv: ["--expose-gc"],
        ...openFiles(peers + SPARE_FILES),
      });
      const { endpoint } = await router.next<{ endpoint: string }>();
      const started = performance.now();
      const processes = Math.ceil(peers / DEALERS_PER_PROCESS);
      for (let i = 0; i < processes; i++) {
        const dealers = Math.min(DEALERS_PER_PROCESS, peers - i * DEALERS_PER_PROCESS);
        // The native package spends two descriptors per socket (the TCP one and a mailbox).
        harness.start(`dealers ${i + 1}`, "idle-dealers", { lib, endpoint, dealers } satisfies IdleDealersArgs, {
          ...openFiles(2 * dealers + SPARE_FILES),
        });
      }
      await router.next(); // every peer has said hello
      const connectSeconds = (performance.now() - started) / 1000;
      await new Promise((resolve) => setTimeout(resolve, IDLE_MS));
      router.send("measure");
      const { before, after } = await router.next<{ before: MemorySample; after: MemorySample }>();
      await harness.finish();
      const perPeerKiB = (key: keyof MemorySample) => (after[key] - before[key]) / peers / 1024;
      const values = {
        "heap KiB/conn": perPeerKiB("heapUsed"),
        "buffers KiB/conn": perPeerKiB("arrayBuffers"),
        "RSS KiB/conn": perPeerKiB("rss"),
        "connect s": connectSeconds,
        peers,
      };
      return { values, detail: { before, after, processes } };
    },
  };
}

/** The open-files limit of this process, from /proc (Linux); undefined elsewhere. */
export function openFilesLimit(): { soft: number; hard: number } | undefined {
  try {
    const line = fs.readFileSync("/proc/self/limits", "utf8").split("\n").find((l) => l.startsWith("Max open files"));
    const [soft, hard] = line!.split(/\s{2,}/).slice(1, 3).map((v) => (v === "unlimited" ? Infinity : Number(v)));
    return { soft, hard };
  } catch {
    return undefined;
  }
}

/** Asks the child's shell to raise the limit only when the inherited one is too low. */
function openFiles(needed: number): ChildOptions {
  const limit = openFilesLimit();
  return limit && limit.soft < needed ? { openFiles: needed } : {};
}

/** The most peers this machine allows on one ROUTER without raising the hard limit. */
export function maxPeers(): number {
  const limit = openFilesLimit();
  return limit ? Math.max(100, limit.hard - SPARE_FILES) : Infinity;
}
