// Runs one throughput measurement in two fresh processes (receiver and sender) and returns
// what each side measured. A watchdog kills both if the run takes too long.
import * as fs from "node:fs";
import * as path from "node:path";
import { Child } from "./child";
import type { Timing } from "./perf/throughput";
import { bindEndpoint, type Scenario } from "./scenarios";
import type { PeerArgs } from "./throughput-peer";

export interface ThroughputResult {
  sender: Timing;
  receiver: Timing;
}

const PEER = path.join(__dirname, "throughput-peer.js");

export async function runThroughput(lib: string, scenario: Scenario, timeoutMs: number): Promise<ThroughputResult> {
  const children: Child[] = [];
  const start = (args: PeerArgs) => {
    const child = new Child(args.role, PEER, [JSON.stringify(args)]);
    children.push(child);
    return child;
  };
  const { size, messages } = scenario;
  const bindTo = bindEndpoint(scenario.transport);

  async function run(): Promise<ThroughputResult> {
    const receiver = start({ role: "receiver", lib, endpoint: bindTo, size, messages });
    const { endpoint } = await receiver.next<{ endpoint: string }>();
    const sender = start({ role: "sender", lib, endpoint, size, messages });
    const [receiverTiming, senderTiming] = await Promise.all([receiver.next<Timing>(), sender.next<Timing>()]);
    for (const child of children) child.disconnect(); // the children's cue to close and exit
    await Promise.all(children.map((child) => child.succeeded()));
    return { sender: senderTiming, receiver: receiverTiming };
  }

  let timer: NodeJS.Timeout | undefined;
  const watchdog = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no result after ${timeoutMs / 1000} s`)), timeoutMs);
  });
  try {
    return await Promise.race([run(), watchdog]);
  } finally {
    clearTimeout(timer);
    for (const child of children) child.kill();
    // A killed receiver leaves its socket file behind.
    if (bindTo.startsWith("ipc://")) fs.rmSync(bindTo.slice("ipc://".length), { force: true });
  }
}
