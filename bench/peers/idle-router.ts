// The ROUTER of the idle-connections run (node --expose-gc). It binds, notes its memory, then
// waits for one message from each of `peers` DEALERs (so every connection has finished its
// handshake), stops receiving and, when the bench asks, notes its memory again. The bench
// divides the difference by the number of peers: the cost of one idle connection.
import { fromBench, onFinish, peerMain, report, type LibArgs } from "./peer";

export interface IdleRouterArgs extends LibArgs {
  peers: number;
}

export interface MemorySample {
  heapUsed: number;
  external: number;
  arrayBuffers: number;
  rss: number;
}

function settledMemory(): MemorySample {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error("idle-router needs node --expose-gc");
  for (let i = 0; i < 3; i++) gc();
  const { heapUsed, external, arrayBuffers, rss } = process.memoryUsage();
  return { heapUsed, external, arrayBuffers, rss };
}

peerMain<IdleRouterArgs>("idle-router", async (args, zmq) => {
  // A deep accept queue: thousands of peers dial at once.
  const router = new zmq.Router({ backlog: 4096 });
  onFinish(() => router.close());
  await router.bind("tcp://127.0.0.1:*");
  report({ endpoint: router.lastEndpoint });
  const before = settledMemory();
  const seen = new Set<string>();
  while (seen.size < args.peers) {
    const [identity] = await router.receive();
    seen.add(identity.toString("hex"));
  }
  seen.clear();
  report({ connected: args.peers });
  await fromBench(); // the bench lets the connections sit idle first
  report({ before, after: settledMemory() });
});
