// One end of a sequenced PUSH/PULL stream in its own process (and, for the silent-network
// test, its own network namespace), on omq or on libzmq through the native `zeromq`
// package. Driven by the parent over the IPC channel (see stream-peer.ts for the protocol):
// it reports its socket's events as they happen, with their time, and answers requests.
import { loadLib } from "../../bench/libs";
import { sequenced, SequenceCheck } from "./sequenced-stream";
import type { PeerConfig, ToChild, ToParent } from "./stream-peer";

const config = JSON.parse(process.argv[2]!) as PeerConfig;
const zmq = loadLib(config.lib);
// The parent is gone (killed, or the test runner stopped): so are we, wherever we run.
process.on("disconnect", () => process.exit(0));

function tell(message: ToParent): void {
  process.send?.(message);
}

/** Paces the sender (a burst, then a short pause) so that two peers never saturate a shared 2-core box. */
const BURST = 10;
const PAUSE_MS = 2;

async function main(): Promise<void> {
  const socket = config.role === "push" ? new zmq.Push(config.options) : new zmq.Pull(config.options);
  void forwardEvents(socket.events);
  if (config.bind !== undefined) await socket.bind(config.bind);
  if (config.connect !== undefined) socket.connect(config.connect);

  let sent = 0;
  const check = new SequenceCheck();
  const waiters: Array<{ count: number; id: number }> = [];

  process.on("message", (request: ToChild) => {
    switch (request.kind) {
      case "stats":
        return tell({ kind: "reply", id: request.id, value: { sent, ...check.stats } });
      case "received":
        waiters.push({ count: request.count, id: request.id });
        return settleWaiters();
      default:
        return request satisfies never;
    }
  });

  function settleWaiters(): void {
    for (let i = waiters.length - 1; i >= 0; i--) {
      if (check.stats.received < waiters[i]!.count) continue;
      tell({ kind: "reply", id: waiters[i]!.id, value: { sent, ...check.stats } });
      waiters.splice(i, 1);
    }
  }

  tell({ kind: "ready", endpoint: socket.lastEndpoint ?? config.connect ?? "" });
  if (socket instanceof zmq.Push) {
    for (;;) {
      for (let i = 0; i < BURST; i++) await socket.send(sequenced(sent++));
      await new Promise((resolve) => setTimeout(resolve, PAUSE_MS));
    }
  } else {
    for await (const message of socket) {
      check.accept(message);
      settleWaiters();
    }
  }
}

async function forwardEvents(events: AsyncIterable<{ type: string }>): Promise<void> {
  for await (const event of events) tell({ kind: "event", type: event.type, at: Date.now() });
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
