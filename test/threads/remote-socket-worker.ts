// A socket in a worker thread, driven by the test in another thread (remote-socket.ts): the
// worker makes one socket of the default context and runs each command it is sent on it.
// Messages cross postMessage as arrays of Uint8Array. After "close" the worker lets go of its
// port, so it ends by itself only if omq leaves nothing running: tests check its exit code.
import { parentPort, workerData } from "node:worker_threads";
import * as zmq from "../../src";
import type { Message } from "../../src/message";
import { numbered, checkNumbered } from "./numbered";

export interface RemoteSpec {
  type: "Push" | "Pull" | "Request" | "Reply" | "Dealer" | "Router" | "Publisher" | "Subscriber" | "XPublisher" | "XSubscriber" | "Pair";
  options?: Record<string, unknown>;
}

export type Command =
  | { op: "bind" | "connect" | "unbind" | "disconnect"; address: string }
  | { op: "send"; message: Uint8Array[] }
  | { op: "receive" }
  | { op: "subscribe"; topic: string }
  | { op: "sendNumbered"; from: number; count: number; size: number; exitAfter?: number }
  | { op: "sendUntilBlocked"; size: number }
  | { op: "receiveNumbered"; count: number; size: number }
  | { op: "receiveUntilQuiet"; size: number }
  | { op: "event"; type: string }
  | { op: "set"; name: string; value: unknown }
  | { op: "close" }
  | { op: "exit"; code: number };

type AnySocket = zmq.Socket & {
  send(message: Message | Buffer): Promise<void>;
  receive(): Promise<Buffer[]>;
  subscribe(...topics: string[]): void;
};

const spec = workerData as RemoteSpec;
const Ctor = zmq[spec.type] as unknown as new (options?: object) => AnySocket;
const socket = new Ctor(spec.options);
const seen = new Map<string, zmq.Event[]>();
let waiting: { type: string; resolve: (event: zmq.Event) => void } | undefined;
for (const type of ["accept", "disconnect", "handshake:error:protocol"]) {
  seen.set(type, []);
  socket.events.on(type as never, (event: zmq.Event) => {
    if (waiting?.type === type) {
      waiting.resolve(event);
      waiting = undefined;
    } else seen.get(type)!.push(event);
  });
}

async function run(command: Command): Promise<unknown> {
  switch (command.op) {
    case "bind":
      return socket.bind(command.address);
    case "unbind":
      return socket.unbind(command.address);
    case "connect":
      return socket.connect(command.address);
    case "disconnect":
      return socket.disconnect(command.address);
    case "send":
      return socket.send(command.message.map((f) => Buffer.from(f)));
    case "receive":
      return socket.receive();
    case "subscribe":
      return socket.subscribe(command.topic);
    case "sendNumbered":
      for (let i = command.from; i < command.from + command.count; i++) {
        if (i === command.exitAfter) process.exit(7);
        await socket.send(numbered(i, command.size));
      }
      return command.count;
    case "sendUntilBlocked": {
      // Needs a sendTimeout: sends numbered messages until one times out; how many were taken.
      let i = 0;
      for (;;) {
        try {
          await socket.send(numbered(i, command.size));
          i++;
        } catch (error) {
          if ((error as { code?: string }).code === "EAGAIN") return i;
          throw error;
        }
      }
    }
    case "receiveNumbered":
      for (let i = 0; i < command.count; i++) checkNumbered(await socket.receive(), i, command.size);
      return command.count;
    case "receiveUntilQuiet": {
      // Reads numbered messages until none comes for receiveTimeout: how many got through, in order.
      let i = 0;
      for (;;) {
        try {
          checkNumbered(await socket.receive(), i, command.size);
          i++;
        } catch (error) {
          if ((error as { code?: string }).code === "EAGAIN") return i;
          throw error;
        }
      }
    }
    case "event": {
      const early = seen.get(command.type)!.shift();
      const event = early ?? (await new Promise<zmq.Event>((resolve) => (waiting = { type: command.type, resolve })));
      return { type: event.type, address: event.address, code: (event.error as { code?: string } | undefined)?.code };
    }
    case "set":
      (socket as unknown as Record<string, unknown>)[command.name] = command.value;
      return undefined;
    case "close":
      socket.close();
      socket.events.close();
      return undefined;
    case "exit":
      process.exit(command.code);
  }
}

parentPort!.on("message", ({ id, command }: { id: number; command: Command }) => {
  run(command).then(
    (value) => {
      parentPort!.postMessage({ id, value });
      if (command.op === "close") parentPort!.close();
    },
    (error: Error & { code?: string }) => parentPort!.postMessage({ id, error: error.message, code: error.code }),
  );
});
parentPort!.postMessage({ id: 0, value: "ready" });
