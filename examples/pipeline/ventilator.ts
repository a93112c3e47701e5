// Ventilator: binds a PUSH socket, waits until every worker is connected, then sends the
// tasks. PUSH deals them out round-robin to the connected workers.
import { zmq } from "./zmq";

const [tasks, workers] = process.argv.slice(2).map(Number);

async function main(): Promise<void> {
  const sender = new zmq.Push();
  const allConnected = new Promise<void>((resolve) => {
    let connected = 0;
    sender.events.on("handshake", () => {
      if (++connected === workers) resolve();
    });
  });
  await sender.bind("tcp://127.0.0.1:*");
  process.send!({ endpoint: sender.lastEndpoint });

  // Without this wait the first worker to connect would get a head start on everyone else.
  await allConnected;
  const startedAt = Date.now();
  for (let n = 1; n <= tasks; n++) await sender.send(n); // a task is just a number
  process.send!({ sent: tasks, startedAt });
  sender.close(); // queued tasks are still delivered (linger)
}

main().catch((err) => {
  console.error("ventilator:", err);
  process.exit(1);
});
