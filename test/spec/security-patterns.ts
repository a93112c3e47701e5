// The three patterns the security suites run over, each with the same two moves: connect
// a server-role socket (binds, authenticates) and a client-role one, then prove a round
// trip. Shared by the spec and interop suites.
import assert from "node:assert/strict";
import type { Sockets, Transport } from "../helpers";
import { loadLib } from "../helpers/lib";
import { rejectsCode } from "../helpers/messages";
import { dealer, rep, req, router } from "../helpers/request-reply";

type Socket = { bind(a: string): Promise<void>; connect(a: string): void; readonly lastEndpoint: string | null; close(): void };
type Options = Record<string, unknown>;

export interface Pattern {
  name: string;
  /** The socket that binds and authenticates. */
  server(s: Sockets, options: Options): Socket;
  client(s: Sockets, options: Options): Socket;
  /** Sends both ways where the pattern allows, and checks what arrives. */
  exchange(server: Socket, client: Socket): Promise<void>;
}

type Any = any;

export const PATTERNS: readonly Pattern[] = [
  {
    name: "PUSH/PULL",
    server: (s, o) => s.pull(o as never),
    client: (s, o) => s.push(o as never),
    async exchange(pull: Any, push: Any) {
      await push.send(["secret", Buffer.alloc(0), "multipart"]);
      assert.deepEqual((await pull.receive()).map(String), ["secret", "", "multipart"]);
      const big = Buffer.alloc(300_000, 7);
      await push.send(big);
      assert.ok((await pull.receive())[0].equals(big));
    },
  },
  {
    name: "REQ/REP",
    server: (s, o) => rep(s, o as never),
    client: (s, o) => req(s, o as never),
    async exchange(replier: Any, requester: Any) {
      for (let i = 0; i < 3; i++) {
        await requester.send(`ping ${i}`);
        assert.deepEqual((await replier.receive()).map(String), [`ping ${i}`]);
        await replier.send(`pong ${i}`);
        assert.deepEqual((await requester.receive()).map(String), [`pong ${i}`]);
      }
    },
  },
  {
    name: "DEALER/ROUTER",
    server: (s, o) => router(s, o as never),
    client: (s, o) => dealer(s, { routingId: "client-1", ...o } as never),
    async exchange(rtr: Any, dlr: Any) {
      await dlr.send(["hello", "there"]);
      const [id, ...body] = await rtr.receive();
      assert.equal(String(id), "client-1");
      assert.deepEqual(body.map(String), ["hello", "there"]);
      await rtr.send([id, "back"]);
      assert.deepEqual((await dlr.receive()).map(String), ["back"]);
    },
  },
];

/** Binds the server socket in `s`, connects the client from a fork (its own context), and returns both. */
export async function connectPatterns(s: Sockets, transport: Transport, pattern: Pattern, serverOptions: Options, clientOptions: Options, client: Sockets = s.fork()) {
  const serverSocket = pattern.server(s, serverOptions);
  await serverSocket.bind(transport.bindAddress());
  const clientSocket = pattern.client(client, clientOptions);
  clientSocket.connect(serverSocket.lastEndpoint!);
  return { serverSocket, clientSocket };
}

/** omq's ready-made ZAP handler, bound in the context of `s` (an omq scope). */
export async function startAuthenticator(s: Sockets, configure: (auth: Authenticator) => Authenticator): Promise<Authenticator> {
  const omq = loadLib("omq") as unknown as { Authenticator: typeof import("../../src/index").Authenticator };
  const auth = configure(new omq.Authenticator({ context: s.context as never }));
  await auth.start();
  return auth;
}

type Authenticator = import("../../src/index").Authenticator;

/**
 * A ZAP handler on a REP socket bound in the context of `s` (either library), answering
 * each request with the status `decide` picks (user id "user" when it admits).
 */
export async function repZapHandler(
  s: Sockets,
  decide: (mechanism: string, credentials: Buffer[], address: string, request: Buffer[]) => string,
): Promise<void> {
  const handler = s.track(new s.lib.Reply({ context: s.context, linger: 0 }));
  await handler.bind("inproc://zeromq.zap.01");
  void (async () => {
    for await (const request of handler) {
      const [version, id, , address, , mechanism, ...credentials] = request;
      const status = decide(String(mechanism), credentials, String(address), request);
      await handler.send([version!, id!, status, status === "200" ? "OK" : "refused", status === "200" ? "user" : "", ""]);
    }
  })().catch(() => {});
}

type Observed = { events: { on(type: never, listener: (event: never) => void): unknown } };

/** The first handshake failure `socket` reports, as "auth 400", "protocol ERR_..." or "other EFAULT" (subscribe before causing it). */
export function handshakeFailure(socket: Observed): Promise<string> {
  return new Promise((resolve) => {
    const on = socket.events.on as unknown as (type: string, listener: (event: { error?: { status?: number; code?: string } }) => void) => unknown;
    on.call(socket.events, "handshake:error:auth", (e) => resolve(`auth ${e.error?.status}`));
    on.call(socket.events, "handshake:error:protocol", (e) => resolve(`protocol ${e.error?.code}`));
    on.call(socket.events, "handshake:error:other", (e) => resolve(`other ${e.error?.code}`));
  });
}

type Endpoint = Observed & { readonly lastEndpoint: string | null; receive(): Promise<Buffer[]> };
type Sender = Observed & { connect(address: string): void; send(message: string): Promise<void> };

/**
 * `push` connects to the bound `pull` (receiveTimeout 0) and sends: both ends report the
 * refusal as status 400, and nothing reaches the PULL.
 */
export async function refusedWith400(pull: Endpoint, push: Sender): Promise<void> {
  const failures = Promise.all([handshakeFailure(pull), handshakeFailure(push)]);
  push.connect(pull.lastEndpoint!);
  void push.send("must not arrive").catch(() => {});
  assert.deepEqual(await failures, ["auth 400", "auth 400"]);
  await rejectsCode(() => pull.receive(), "EAGAIN");
}
