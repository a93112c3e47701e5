// The PUB of a fan-out run. It binds, then sends warm-up messages every few milliseconds until
// the bench says "go" (by then every SUB has received one, so all subscriptions have arrived:
// PUB drops what no subscriber wants, the "slow joiner" of the ZeroMQ guide), then sends data
// messages for the given time. A PUB never blocks: at a subscriber's high-water mark it drops,
// so the sender's rate and what each SUB receives can differ; both are reported.
import { setTimeout as sleep } from "node:timers/promises";
import { DATA, fromBench, onFinish, peerMain, report, WARM_UP, type LibArgs } from "./peer";

const YIELD_EVERY = 256;

export interface PubArgs extends LibArgs {
  size: number;
  seconds: number;
}

peerMain<PubArgs>("pub-peer", async (args, zmq) => {
  const pub = new zmq.Publisher();
  onFinish(() => pub.close());
  await pub.bind("tcp://127.0.0.1:*");
  report({ endpoint: pub.lastEndpoint });

  let go = false;
  void fromBench().then(() => (go = true));
  const warmUp = Buffer.alloc(args.size, WARM_UP);
  while (!go) {
    await pub.send(warmUp);
    await sleep(5);
  }

  const payload = Buffer.alloc(args.size, DATA);
  const start = performance.now();
  const deadline = start + args.seconds * 1000;
  let count = 0;
  let now = start;
  while (now < deadline) {
    for (let i = 0; i < YIELD_EVERY; i++) await pub.send(payload);
    count += YIELD_EVERY;
    // PUB's send() never waits (it drops at the high-water mark instead), so a loop of awaited
    // sends can run for its whole duration without the event loop ever turning. omq writes to
    // its sockets from the event loop: without this yield it would write nothing until the end
    // and drop all but the first 1000 messages per SUB. Both libraries get the same loop.
    await new Promise(setImmediate);
    now = performance.now();
  }
  report({ messages: count, bytes: count * args.size, seconds: (now - start) / 1000 });
});
