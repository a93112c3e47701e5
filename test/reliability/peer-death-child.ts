// The peer that peer-death.test.ts kills: loads omq, says "ready", and on "bind" binds a PUSH
// on the port it is given and streams [round, sequence] messages as fast as the pipe takes them
// until it is SIGKILLed. (Loading before binding lets the test fork the next incarnation while
// the current one still holds the port: the fork's cost is off the measured path.)
import * as zmq from "../../src";

async function stream(port: string, round: string): Promise<void> {
  const push = new zmq.Push({ linger: 0 });
  await push.bind(`tcp://127.0.0.1:${port}`);
  process.send?.("bound");
  for (let seq = 0; ; seq++) await push.send([round, String(seq)]);
}

process.on("message", (message: { port: string; round: string }) => {
  stream(message.port, message.round).catch((error) => {
    console.error(error);
    process.exit(1);
  });
});
process.send?.("ready");
