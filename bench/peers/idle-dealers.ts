// Many DEALERs in one process, for the idle-connections run: each connects to the ROUTER and
// says hello once. Connections are opened in small batches so that the ROUTER's accept queue
// does not overflow (a dropped SYN is retried only after a second).
import { setTimeout as sleep } from "node:timers/promises";
import { onFinish, peerMain, report, type LibArgs } from "./peer";

export interface IdleDealersArgs extends LibArgs {
  endpoint: string;
  dealers: number;
}

const BATCH = 100;
const PAUSE_MS = 20;

peerMain<IdleDealersArgs>("idle-dealers", async (args, zmq) => {
  // libzmq allows 1023 sockets per context unless told otherwise.
  const context = new zmq.Context({ maxSockets: args.dealers + 16 });
  const dealers: InstanceType<typeof zmq.Dealer>[] = [];
  onFinish(() => dealers.forEach((dealer) => dealer.close()));
  for (let i = 0; i < args.dealers; i += BATCH) {
    const batch = Array.from({ length: Math.min(BATCH, args.dealers - i) }, () => new zmq.Dealer({ context, linger: 0 }));
    dealers.push(...batch);
    for (const dealer of batch) dealer.connect(args.endpoint);
    await Promise.all(batch.map((dealer) => dealer.send("hello")));
    await sleep(PAUSE_MS);
  }
  report({ dealers: dealers.length });
});
