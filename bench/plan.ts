// Which scenarios a run contains, in the order they run: throughput per transport and size,
// then latency, fan-out, allocation and idle connections.
import { GROUP_ALIASES, GROUPS, type Group, type Scenario } from "./scenario";
import { idleConnections } from "./scenarios/idle";
import { IO_THREADS, IO_THREADS_SIZES, ioThreadsPushPull } from "./scenarios/io-threads";
import { pubSub } from "./scenarios/fanout";
import { INPROC_THREADS_SIZES, inprocThreads } from "./scenarios/inproc-threads";
import { pushPull, receiveAllocation } from "./scenarios/push-pull";
import { reqRep } from "./scenarios/req-rep";

export const THROUGHPUT_SIZES = [16, 256, 1024, 64 * 1024, 1024 * 1024];
export const LATENCY_SIZES = [16, 64 * 1024];
export const CURVE_SIZES = [16, 64 * 1024];

/** Expands --only ("tcp-thr,lat", "thr", "mem", "all") into groups; throws on an unknown name. */
export function parseGroups(text: string): Set<Group> {
  const groups = new Set<Group>();
  for (const name of text.split(",").map((s) => s.trim()).filter(Boolean)) {
    if ((GROUPS as readonly string[]).includes(name)) groups.add(name as Group);
    else if (GROUP_ALIASES[name]) GROUP_ALIASES[name].forEach((g) => groups.add(g));
    else throw new Error(`unknown scenario group "${name}" (try ${[...GROUPS, ...Object.keys(GROUP_ALIASES)].join(", ")})`);
  }
  return groups;
}

export function planScenarios(groups: Set<Group>, sizes = THROUGHPUT_SIZES): Scenario[] {
  const scenarios: Scenario[] = [];
  for (const transport of ["tcp", "ipc", "inproc"] as const) {
    if (groups.has(`${transport}-thr`)) scenarios.push(...sizes.map((size) => pushPull(transport, size)));
  }
  if (groups.has("inproc-threads")) scenarios.push(...INPROC_THREADS_SIZES.map((size) => inprocThreads(size)));
  if (groups.has("curve-thr")) scenarios.push(...CURVE_SIZES.map((size) => pushPull("tcp", size, true)));
  if (groups.has("lat")) {
    for (const transport of ["tcp", "ipc"] as const) scenarios.push(...LATENCY_SIZES.map((size) => reqRep(transport, size)));
  }
  if (groups.has("fanout")) scenarios.push(pubSub(16));
  if (groups.has("alloc")) scenarios.push(receiveAllocation(16));
  if (groups.has("idle")) scenarios.push(idleConnections());
  if (groups.has("io-threads")) {
    for (const size of IO_THREADS_SIZES) scenarios.push(...IO_THREADS.map((n) => ioThreadsPushPull(n, size)));
    scenarios.push(ioThreadsPushPull(1, 16, false, true));
    scenarios.push(...IO_THREADS.map((n) => ioThreadsPushPull(n, 16, true)));
  }
  return scenarios;
}
