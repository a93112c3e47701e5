// RFC 24 (ZMTP PLAIN) and RFC 27 (ZAP), omq on both ends, through the public API: the
// built-in Authenticator decides, every pattern gets through when it admits, and nothing
// gets through when it refuses.
import { describe, it } from "node:test";
import { rejectsCode, transports, withSockets } from "../helpers";
import { nextEvent } from "../helpers/request-reply";
import { connectPatterns, PATTERNS, startAuthenticator } from "./security-patterns";

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

    it("a wrong password is refused (RFC 27 status 400): the connection ends and nothing is delivered", T, () =>
      withSockets(async (s) => {
        const auth = await startAuthenticator(s, (a) => a.plain({ admin: "secret" }));
        try {
          const pull = s.pull({ ...server, receiveTimeout: 0 });
          await pull.bind(transport.bindAddress());
          const refused = nextEvent(pull, "disconnect");
          const push = s.fork().push({ plainUsername: "admin", plainPassword: "guess" });
          push.connect(pull.lastEndpoint!);
          void push.send("must not arrive").catch(() => {});
          await refused;
          await rejectsCode(() => pull.receive(), "EAGAIN");
        } finally {
          await auth.close();
        }
      }));

    it("with no ZAP handler a PLAIN server refuses everyone, as libzmq 4.3 does", T, () =>
      withSockets(async (s) => {
        const pull = s.pull({ ...server, receiveTimeout: 0 });
        await pull.bind(transport.bindAddress());
        const refused = nextEvent(pull, "disconnect");
        const push = s.fork().push(client);
        push.connect(pull.lastEndpoint!);
        void push.send("must not arrive").catch(() => {});
        await refused;
        await rejectsCode(() => pull.receive(), "EAGAIN");
      }));

    it("a PLAIN client meeting a NULL server is refused at the greeting (mechanism mismatch)", T, () =>
      withSockets(async (s) => {
        const pull = s.pull({ receiveTimeout: 0 });
        await pull.bind(transport.bindAddress());
        const refused = nextEvent(pull, "disconnect");
        s.fork().push(client).connect(pull.lastEndpoint!);
        await refused;
        await rejectsCode(() => pull.receive(), "EAGAIN");
      }));
  });
}
