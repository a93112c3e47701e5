// The peer that peer-death.test.ts kills: binds a PUSH on the port it is given and streams
// [round, sequence] messages as fast as the pipe takes them until it is SIGKILLed.
import * as zmq from "../../src";

async function main(): Promise<void> {
  const [port, round] = process.argv.slice(2);
  const push = new zmq.Push({ linger: 0 });
  await push.bind(`tcp://127.0.0.1:${port}`);
  process.send?.("bound");
  for (let seq = 0; ; seq++) await push.send([round!, String(seq)]);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
