// RFC 24 (ZMTP PLAIN) and RFC 27 (ZAP), omq on both ends, through the public API: the
// built-in Authenticator decides, every pattern gets through when it admits, and nothing
// gets through when it refuses.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { rejectsCode, transports, withSockets } from "../helpers";
import { connectPatterns, handshakeFailure, PATTERNS, refusedWith400, startAuthenticator } from "./security-patterns";

const T = { timeout: 20000 };
const server = { plainServer: true };
const client = { plainUsername: "admin", plainPassword: "secret" };

for (const { transport, skip } of transports.filter(({ transport }) => transport.stream)) {
  describe(`PLAIN over ${transport.name}`, { skip }, () => {
    for (const pattern of PATTERNS) {
      it(`${pattern.name}: a client with the right password gets through, both ways`, T, () =>
        withSockets(async (s) => {
          const auth = await startAuthenticator(s, (a) => a.plain({ admin: "secret" }));
          try {
            const { serverSocket, clientSocket } = await connectPatterns(s, transport, pattern, server, client);
            await pattern.exchange(serverSocket, clientSocket);
          } finally {
            await auth.close();
          }
        }));
    }

    it("a wrong password is refused (RFC 27 status 400): both ends report it, nothing is delivered", T, () =>
      withSockets(async (s) => {
        const auth = await startAuthenticator(s, (a) => a.plain({ admin: "secret" }));
        try {
          const pull = s.pull({ ...server, receiveTimeout: 0 });
          await pull.bind(transport.bindAddress());
          const push = s.fork().push({ plainUsername: "admin", plainPassword: "guess" });
          await refusedWith400(pull, push);
        } finally {
          await auth.close();
        }
      }));

    it("with no ZAP handler a PLAIN server refuses everyone, as libzmq 4.3 does (handshake:error:other, EFAULT)", T, () =>
      withSockets(async (s) => {
        const pull = s.pull({ ...server, receiveTimeout: 0 });
        await pull.bind(transport.bindAddress());
        const refused = handshakeFailure(pull);
        const push = s.fork().push(client);
        push.connect(pull.lastEndpoint!);
        void push.send("must not arrive").catch(() => {});
        assert.equal(await refused, "other EFAULT");
        await rejectsCode(() => pull.receive(), "EAGAIN");
      }));

    it("a PLAIN client meeting a NULL server is refused at the greeting (ERR_ZMTP_MECHANISM_MISMATCH)", T, () =>
      withSockets(async (s) => {
        const pull = s.pull({ receiveTimeout: 0 });
        await pull.bind(transport.bindAddress());
        const refused = handshakeFailure(pull);
        s.fork().push(client).connect(pull.lastEndpoint!);
        assert.equal(await refused, "protocol ERR_ZMTP_MECHANISM_MISMATCH");
        await rejectsCode(() => pull.receive(), "EAGAIN");
      }));
  });
}
