// Lazy pirate: a client that survives an unreliable server (chapter 4 of the ZeroMQ guide).
// The server here misbehaves on purpose: now and then it is "overloaded" (answers after the
// client has stopped waiting) or "crashes" (closes its socket and binds a new one). The
// client retries, and every request is answered.
// Run:  npm run build && node dist/examples/lazy-pirate/main.js [--requests 20]
//       OMQ_LIB=zeromq node dist/examples/lazy-pirate/main.js
import { parseArgs } from "node:util";
import { LazyPirateClient } from "./client";
import { libName, zmq } from "./zmq";

const { values } = parseArgs({ options: { requests: { type: "string", default: "20" } } });
const REQUESTS = Number(values.requests);
const TIMEOUT_MS = 500;

/** A REP server that, one time in ten, answers too late, and one time in eight restarts instead of answering. */
class UnreliableServer {
  #socket = new zmq.Reply({ linger: 0 });
  #stopped = false;

  /** Binds to a free port; resolves with the endpoint, where it serves (and restarts) until stop(). */
  async start(): Promise<string> {
    await this.#socket.bind("tcp://127.0.0.1:*");
    const endpoint = this.#socket.lastEndpoint!;
    // Stopped mid-answer, the send fails: that is the end we asked for.
    this.#serve(endpoint).catch((error) => this.#stopped || console.error("server:", error));
    return endpoint;
  }

  async #serve(endpoint: string): Promise<void> {
    for (;;) {
      for await (const [request] of this.#socket) {
        if (Math.random() < 1 / 8) {
          console.log(`  server: crashed on request ${request}, restarting`);
          break;
        }
        if (Math.random() < 1 / 10) {
          console.log(`  server: overloaded, answering request ${request} late`);
          await sleep(TIMEOUT_MS * 1.5);
        }
        await this.#socket.send(request!);
      }
      this.#socket.close();
      if (this.#stopped) return;
      this.#socket = new zmq.Reply({ linger: 0 });
      await bindWhenFree(this.#socket, endpoint);
    }
  }

  stop(): void {
    this.#stopped = true;
    this.#socket.close();
  }
}

/** The port of a socket just closed may take a moment to be released. */
async function bindWhenFree(socket: InstanceType<typeof zmq.Reply>, endpoint: string): Promise<void> {
  for (;;) {
    try {
      return await socket.bind(endpoint);
    } catch (error) {
      if ((error as { code?: string }).code !== "EADDRINUSE") throw error;
      await sleep(50);
    }
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function main(): Promise<void> {
  console.log(`lazy pirate on ${libName}: ${REQUESTS} requests, ${TIMEOUT_MS} ms timeout\n`);
  const server = new UnreliableServer();
  const endpoint = await server.start();
  const client = new LazyPirateClient(zmq, endpoint, { timeout: TIMEOUT_MS, retries: 5 });
  for (let sequence = 1; sequence <= REQUESTS; sequence++) {
    const [reply] = await client.request(String(sequence));
    if (reply!.toString() !== String(sequence)) throw new Error(`reply ${reply} to request ${sequence}`);
    console.log(`client: request ${sequence} answered`);
  }
  console.log(`\n${REQUESTS} requests answered, ${client.retried} sent again`);
  client.close();
  server.stop();
}

main().catch((error) => {
  console.error("lazy pirate:", error);
  process.exit(1);
});
