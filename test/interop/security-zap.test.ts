// ZAP (RFC 27) across libraries: omq asks its handler exactly what libzmq asks its own, a
// libzmq handler admits or refuses an omq peer of a libzmq server, and omq's Authenticator
// does the same for libzmq clients of omq servers (NULL with a zapDomain here; PLAIN and
// CURVE in their own suites).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { interopTransports, rejectsCode, TCP, withSockets, type Sockets } from "../helpers";
import { libOf, nativeMissing } from "../helpers/interop";
import { nextEvent, router } from "../helpers/request-reply";
import { repZapHandler, startAuthenticator } from "../spec/security-patterns";

const T = { timeout: 20000 };

/** The first request a server of `scope`'s library sends its handler, for a PLAIN client of the other library. */
async function firstRequest(s: Sockets, server: "omq" | "zeromq"): Promise<string[]> {
  const scope = s.fork(libOf(server));
  let seen!: (frames: string[]) => void;
  const request = new Promise<string[]>((resolve) => (seen = resolve));
  await repZapHandler(scope, (_mechanism, _credentials, _address, request) => {
    seen(request.map(String));
    return "200";
  });
  const rtr = router(scope, { plainServer: true, zapDomain: "dom", routingId: "srv" });
  await rtr.bind(TCP.bindAddress());
  const client = s.fork(libOf(server === "omq" ? "zeromq" : "omq"));
  client.push({ plainUsername: "admin", plainPassword: "secret" } as never).connect(rtr.lastEndpoint!);
  return request;
}

describe("ZAP requests", { skip: nativeMissing() }, () => {
  it("omq's request to its handler has the frames libzmq's has: version, request id, domain, address, identity, mechanism, credentials", T, () =>
    withSockets(async (s) => {
      const [ours, theirs] = await Promise.all([firstRequest(s, "omq"), firstRequest(s, "zeromq")]);
      assert.deepEqual(ours, theirs);
      assert.deepEqual(ours, ["1.0", "1", "dom", "127.0.0.1", "srv", "PLAIN", "admin", "secret"]);
    }));
});

for (const { transport, skip } of interopTransports.filter(({ transport }) => transport.name === "tcp")) {
  describe(`interop ZAP for NULL sockets with a zapDomain over ${transport.name}`, { skip: skip || nativeMissing() }, () => {
    for (const allow of [true, false]) {
      it(`a libzmq handler ${allow ? "admits" : "refuses"} an omq client of a libzmq server`, T, () =>
        withSockets(async (s) => {
          const serverScope = s.fork(libOf("zeromq"));
          await repZapHandler(serverScope, (mechanism, _, address) => (mechanism === "NULL" && allow && address === "127.0.0.1" ? "200" : "400"));
          const pull = serverScope.pull({ zapDomain: "d", receiveTimeout: allow ? -1 : 0 });
          await pull.bind(transport.bindAddress());
          const refused = allow ? undefined : nextEvent(pull, "handshake:error:auth");
          const push = s.fork(libOf("omq")).push();
          push.connect(pull.lastEndpoint!);
          void push.send("hello").catch(() => {});
          if (allow) assert.deepEqual((await pull.receive()).map(String), ["hello"]);
          else {
            await refused;
            await rejectsCode(() => pull.receive(), "EAGAIN");
          }
        }));

      it(`omq's Authenticator ${allow ? "admits" : "refuses"} a libzmq client of an omq server`, T, () =>
        withSockets(async (s) => {
          const serverScope = s.fork(libOf("omq"));
          const auth = await startAuthenticator(serverScope, (a) => (allow ? a.allow("127.0.0.1") : a.deny("127.0.0.1")));
          try {
            const pull = serverScope.pull({ zapDomain: "d", receiveTimeout: allow ? -1 : 0 });
            await pull.bind(transport.bindAddress());
            const push = s.fork(libOf("zeromq")).push();
            const refused = allow ? undefined : new Promise<number>((resolve) => push.events.on("handshake:error:auth", (e) => resolve((e.error as { status: number }).status)));
            push.connect(pull.lastEndpoint!);
            void push.send("hello").catch(() => {});
            if (allow) assert.deepEqual((await pull.receive()).map(String), ["hello"]);
            else {
              assert.equal(await refused, 400);
              await rejectsCode(() => pull.receive(), "EAGAIN");
            }
          } finally {
            await auth.close();
          }
        }));
    }
  });
}
