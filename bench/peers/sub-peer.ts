// Several SUBs of a fan-out run in one process, each with its own receive loop. Each counts the
// data messages it gets and notes the time of its first and last one. Times are wall-clock
// milliseconds (performance.timeOrigin + performance.now()), comparable across the processes of
// one machine, so the bench can take the union of all the SUBs' intervals. There is no end
// marker (a PUB may drop it): once the bench says the PUB is done, each process waits until its
// SUBs have been quiet for a while, then reports.
import { setTimeout as sleep } from "node:timers/promises";
import { DATA, finishing, fromBench, onFinish, peerMain, report, type LibArgs } from "./peer";

const QUIET_MS = 150; // no data for this long: the stream has ended
const MAX_WAIT_MS = 3000; // for data that never comes

export interface SubArgs extends LibArgs {
  endpoint: string;
  subscribers: number;
}

export interface SubCount {
  messages: number;
  first: number; // ms, wall clock
  last: number;
}

peerMain<SubArgs>("sub-peer", async (args, zmq) => {
  const subs = Array.from({ length: args.subscribers }, () => new zmq.Subscriber());
  onFinish(() => subs.forEach((sub) => sub.close()));
  const counts: SubCount[] = subs.map(() => ({ messages: 0, first: 0, last: 0 }));
  let ready = 0;
  const allReady = new Promise<void>((resolve) => {
    subs.forEach(async (sub, i) => {
      sub.connect(args.endpoint);
      sub.subscribe();
      const count = counts[i];
      let warm = true;
      try {
        for (;;) {
          const [frame] = await sub.receive();
          if (frame[0] === DATA) {
            const now = performance.timeOrigin + performance.now();
            if (count.messages++ === 0) count.first = now;
            count.last = now;
          } else if (warm) {
            warm = false;
            if (++ready === subs.length) resolve();
          }
        }
      } catch (err) {
        if (!finishing()) throw err;
      }
    });
  });
  await allReady;
  report({ ready: true });
  await fromBench(); // the PUB has finished sending
  const giveUp = performance.now() + MAX_WAIT_MS;
  for (;;) {
    const lastAny = Math.max(...counts.map((c) => c.last)); // 0 until a data message came
    const now = performance.timeOrigin + performance.now();
    if ((lastAny > 0 && now - lastAny >= QUIET_MS) || performance.now() >= giveUp) break;
    await sleep(QUIET_MS / 3);
  }
  report({ counts });
});
