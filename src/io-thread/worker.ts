/**
 * The entry of an I/O thread (new Context({ioThreads: n}) starts n of these). It owns the
 * listeners, connecters, sessions and engines of the binds and connects main hands it; the
 * sockets stay in main. Started from dist/ by io-thread.ts; the protocol is protocol.ts.
 */
import { parentPort, type TransferListItem } from "node:worker_threads";
import { Context } from "../context";
import { zapRelays } from "../mechanisms/zap-client";
import { linkOptions, type ToMain, type ToWorker } from "./protocol";
import { WorkerEndpoint } from "./worker-endpoint";
import { ZapRelay } from "./zap-relay";

const port = parentPort;
if (port === null) throw new Error("io-thread/worker.js runs as a worker thread (new Context({ioThreads}))");

const post = (message: ToMain, transfer?: TransferListItem[]): void => port.postMessage(message, transfer);

// This thread's own context: the CURVE cookie jar, and ZAP requests relayed to main's handler.
const context = new Context();
const zap = new ZapRelay(post);
zapRelays.set(context, (request) => zap.ask(request));

const endpoints = new Map<number, WorkerEndpoint>();

port.on("message", (message: ToWorker) => {
  switch (message.t) {
    case "bind":
    case "connect": {
      const endpoint = new WorkerEndpoint(message.eid, linkOptions(message.options), context, post);
      endpoints.set(message.eid, endpoint);
      if (message.t === "bind") void endpoint.bind(message.address).then((ok) => ok || endpoints.delete(message.eid));
      else endpoint.connect(message.address);
      return;
    }
    case "close": {
      const endpoint = endpoints.get(message.eid);
      if (endpoint === undefined) return post({ t: "closed", eid: message.eid });
      endpoints.delete(message.eid);
      void endpoint.close(message.lingerMs);
      return;
    }
    case "disconnect":
      return endpoints.get(message.eid)?.disconnect(message.pid);
    case "zap-answer":
      return zap.answered(message.id, message.answer);
    default:
      return message satisfies never;
  }
});
