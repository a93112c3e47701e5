// omq ↔ libzmq (the native `zeromq` package) with CURVE (RFC 26) and ZAP (RFC 27): omq as
// server and as client, for PUSH/PULL, REQ/REP and DEALER/ROUTER, keys made by either
// library, and the refusals: unknown client key, wrong server key.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { interopTransports, lib, native, rejectsCode, withSockets, type Sockets } from "../helpers";
import { libOf, nativeMissing, type Side } from "../helpers/interop";
import { notices, pubSub, settle } from "../helpers/pub-sub";
import { nextEvent } from "../helpers/request-reply";
import { connectPatterns, PATTERNS, refusedWith400, repZapHandler, startAuthenticator } from "../spec/security-patterns";
import { z85Encode } from "../../src/util/z85";

const T = { timeout: 20000 };

function keys(maker: "omq" | "zeromq") {
  const make = maker === "omq" ? lib().curveKeyPair : native().curveKeyPair;
  const server = make();
  const client = make();
  return {
    server,
    client,
    serverOptions: { curveServer: true, curveSecretKey: server.secretKey, curvePublicKey: server.publicKey },
    clientOptions: { curveServerKey: server.publicKey, curvePublicKey: client.publicKey, curveSecretKey: client.secretKey },
  };
}

/** A ZAP handler in the server's library that knows only `allowed`. */
async function handler(scope: Sockets, side: Side, allowed: string): Promise<() => Promise<void>> {
  if (side === "omq") {
    const auth = await startAuthenticator(scope, (a) => a.curve([allowed]));
    return () => auth.close();
  }
  await repZapHandler(scope, (mechanism, [key]) => (mechanism === "CURVE" && key !== undefined && z85Encode(key) === allowed ? "200" : "400"));
  return async () => {};
}

const configs: { server: Side; client: Side }[] = [
  { server: "omq", client: "zeromq" },
  { server: "zeromq", client: "omq" },
];

for (const { transport, skip } of interopTransports) {
  describe(`interop CURVE over ${transport.name}`, { skip: skip || nativeMissing() }, () => {
    for (const { server, client } of configs) {
      for (const pattern of PATTERNS) {
        it(`${server} ${pattern.name.split("/")[1]} (server) ↔ ${client} ${pattern.name.split("/")[0]}: admitted by the handler, both ways`, T, () =>
          withSockets(async (s) => {
            const k = keys(client);
            const serverScope = s.fork(libOf(server));
            const stop = await handler(serverScope, server, k.client.publicKey);
            try {
              const { serverSocket, clientSocket } = await connectPatterns(serverScope, transport, pattern, k.serverOptions, k.clientOptions, s.fork(libOf(client)));
              await pattern.exchange(serverSocket, clientSocket);
            } finally {
              await stop();
            }
          }));
      }

      it(`${server} server, no ZAP handler: any ${client} client with the server key gets through`, T, () =>
        withSockets(async (s) => {
          const k = keys(server);
          const { serverSocket, clientSocket } = await connectPatterns(s.fork(libOf(server)), transport, PATTERNS[0]!, k.serverOptions, k.clientOptions, s.fork(libOf(client)));
          await PATTERNS[0]!.exchange(serverSocket, clientSocket);
        }));

      it(`${server} server refuses an unknown ${client} client key: both ends report status 400, nothing is delivered`, T, () =>
        withSockets(async (s) => {
          const k = keys("omq");
          const serverScope = s.fork(libOf(server));
          const stop = await handler(serverScope, server, lib().curveKeyPair().publicKey);
          try {
            const pull = serverScope.pull({ ...k.serverOptions, receiveTimeout: 0 });
            await pull.bind(transport.bindAddress());
            const push = s.fork(libOf(client)).push(k.clientOptions);
            await refusedWith400(pull, push);
          } finally {
            await stop();
          }
        }));

      it(`${server} server refuses a ${client} client with the wrong server key; nothing is delivered`, T, () =>
        withSockets(async (s) => {
          const k = keys("omq");
          const pull = s.fork(libOf(server)).pull({ ...k.serverOptions, receiveTimeout: 0 });
          await pull.bind(transport.bindAddress());
          const push = s.fork(libOf(client)).push({ ...k.clientOptions, curveServerKey: lib().curveKeyPair().publicKey });
          const refused = server === "omq" ? nextEvent(pull, "disconnect") : nextEvent(pull, "handshake:error:protocol");
          push.connect(pull.lastEndpoint!);
          void push.send("must not arrive").catch(() => {});
          await refused;
          await rejectsCode(() => pull.receive(), "EAGAIN");
        }));
    }

    for (const { server, client } of configs) {
      it(`${server} XPUB (server) ↔ ${client} SUB: SUBSCRIBE and CANCEL travel encrypted, then data flows`, T, () =>
        withSockets(async (s) => {
          const k = keys("omq");
          const xpub = pubSub(s.fork(libOf(server))).xpub(k.serverOptions);
          await xpub.bind(transport.bindAddress());
          const sub = pubSub(s.fork(libOf(client))).sub(k.clientOptions);
          sub.connect(xpub.lastEndpoint!);
          sub.subscribe("news");
          assert.deepEqual(await notices(xpub, 1), ["+news"]);
          await settle(xpub, [sub], "news");
          await xpub.send(["news", "encrypted"]);
          assert.deepEqual((await sub.receive()).map(String), ["news", "encrypted"]);
          sub.unsubscribe("news");
          assert.deepEqual(await notices(xpub, 1), ["-news"]);
        }));
    }

    it("a 1 MiB message and 2 000 small ones cross an omq ↔ libzmq CURVE link in order, both directions", T, () =>
      withSockets(async (s) => {
        const k = keys("zeromq");
        for (const [server, client] of [["omq", "zeromq"], ["zeromq", "omq"]] as const) {
          const { serverSocket: pull, clientSocket: push } = await connectPatterns(s.fork(libOf(server)), transport, PATTERNS[0]!, k.serverOptions, k.clientOptions, s.fork(libOf(client)));
          const sender = push as unknown as { send(m: unknown): Promise<void> };
          const receiver = pull as unknown as { receive(): Promise<Buffer[]> };
          const big = Buffer.alloc(1 << 20, 3);
          await sender.send(big);
          assert.ok((await receiver.receive())[0]!.equals(big));
          const sending = (async () => {
            for (let i = 0; i < 2000; i++) await sender.send([String(i), "x"]);
          })();
          for (let i = 0; i < 2000; i++) {
            const message = (await receiver.receive()).map(String);
            if (message[0] !== String(i)) assert.deepEqual(message, [String(i), "x"]);
          }
          await sending;
        }
      }));
  });
}
