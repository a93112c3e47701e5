// omq ↔ libzmq (the native `zeromq` package) with PLAIN (RFC 24) and ZAP (RFC 27): omq as
// server (its Authenticator deciding) and as client (a libzmq ZAP handler deciding), for
// PUSH/PULL, REQ/REP and DEALER/ROUTER over every transport both libraries share.
import { describe, it } from "node:test";
import { interopTransports, rejectsCode, withSockets, type Sockets } from "../helpers";
import { libOf, nativeMissing, type Side } from "../helpers/interop";
import { nextEvent } from "../helpers/request-reply";
import { connectPatterns, PATTERNS, refusedWith400, repZapHandler, startAuthenticator } from "../spec/security-patterns";

const T = { timeout: 20000 };
const SERVER = { plainServer: true };
const CLIENT = { plainUsername: "admin", plainPassword: "secret" };

/** The ZAP handler of the server's library: omq's Authenticator, or a libzmq REP handler. */
async function handler(scope: Sockets, side: Side): Promise<() => Promise<void>> {
  if (side === "omq") {
    const auth = await startAuthenticator(scope, (a) => a.plain({ admin: "secret" }));
    return () => auth.close();
  }
  await repZapHandler(scope, (mechanism, [user, pass]) => (mechanism === "PLAIN" && String(user) === "admin" && String(pass) === "secret" ? "200" : "400"));
  return async () => {};
}

const configs: { server: Side; client: Side }[] = [
  { server: "omq", client: "zeromq" },
  { server: "zeromq", client: "omq" },
];

for (const { transport, skip } of interopTransports) {
  describe(`interop PLAIN over ${transport.name}`, { skip: skip || nativeMissing() }, () => {
    for (const { server, client } of configs) {
      for (const pattern of PATTERNS) {
        it(`${server} ${pattern.name.split("/")[1]} (server) ↔ ${client} ${pattern.name.split("/")[0]}: admitted, both ways`, T, () =>
          withSockets(async (s) => {
            const serverScope = s.fork(libOf(server));
            const stop = await handler(serverScope, server);
            try {
              const { serverSocket, clientSocket } = await connectPatterns(serverScope, transport, pattern, SERVER, CLIENT, s.fork(libOf(client)));
              await pattern.exchange(serverSocket, clientSocket);
            } finally {
              await stop();
            }
          }));
      }

      it(`${server} server refuses the ${client} client's wrong password: both ends report status 400, nothing is delivered`, T, () =>
        withSockets(async (s) => {
          const serverScope = s.fork(libOf(server));
          const stop = await handler(serverScope, server);
          try {
            const pull = serverScope.pull({ ...SERVER, receiveTimeout: 0 });
            await pull.bind(transport.bindAddress());
            const push = s.fork(libOf(client)).push({ ...CLIENT, plainPassword: "guess" });
            // libzmq reports the refusal on its side: the client's auth error (omq server), or the server's.
            await refusedWith400(pull, push);
          } finally {
            await stop();
          }
        }));
    }

    it("an omq PLAIN server whose handler is an omq REP socket admits a libzmq client", T, () =>
      withSockets(async (s) => {
        const serverScope = s.fork(libOf("omq"));
        await repZapHandler(serverScope, (mechanism, [user]) => (mechanism === "PLAIN" && String(user) === "admin" ? "200" : "400"));
        const { serverSocket, clientSocket } = await connectPatterns(serverScope, transport, PATTERNS[0]!, SERVER, CLIENT, s.fork(libOf("zeromq")));
        await PATTERNS[0]!.exchange(serverSocket, clientSocket);
      }));

    it("a libzmq PLAIN client is refused by an omq server with no ZAP handler (as libzmq does)", T, () =>
      withSockets(async (s) => {
        const pull = s.fork(libOf("omq")).pull({ ...SERVER, receiveTimeout: 0 });
        await pull.bind(transport.bindAddress());
        const refused = nextEvent(pull, "disconnect");
        const push = s.fork(libOf("zeromq")).push(CLIENT);
        push.connect(pull.lastEndpoint!);
        void push.send("must not arrive").catch(() => {});
        await refused;
        await rejectsCode(() => pull.receive(), "EAGAIN");
      }));
  });
}
