// RFC 26 (CurveZMQ) and RFC 27 (ZAP), omq on both ends, through the public API.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { loadCurveCrypto } from "../../src/mechanisms/curve-crypto";
import { parseCurveKey } from "../../src/mechanisms/curve-keys";
import { lib, rejectsCode, TCP, transports, withSockets } from "../helpers";
import { curveByHand } from "../unit/mechanisms/wire-peer";
import { connectPatterns, handshakeFailure, PATTERNS, refusedWith400, startAuthenticator } from "./security-patterns";

const T = { timeout: 20000 };

function keys() {
  const server = lib().curveKeyPair();
  const client = lib().curveKeyPair();
  return {
    server,
    client,
    serverOptions: { curveServer: true, curveSecretKey: server.secretKey, curvePublicKey: server.publicKey },
    clientOptions: { curveServerKey: server.publicKey, curvePublicKey: client.publicKey, curveSecretKey: client.secretKey },
  };
}

for (const { transport, skip } of transports.filter(({ transport }) => transport.stream)) {
  describe(`CURVE over ${transport.name}`, { skip }, () => {
    for (const pattern of PATTERNS) {
      it(`${pattern.name}: a client the handler knows gets through, both ways, encrypted`, T, () =>
        withSockets(async (s) => {
          const k = keys();
          const auth = await startAuthenticator(s, (a) => a.curve([k.client.publicKey]));
          try {
            const { serverSocket, clientSocket } = await connectPatterns(s, transport, pattern, k.serverOptions, k.clientOptions);
            await pattern.exchange(serverSocket, clientSocket);
          } finally {
            await auth.close();
          }
        }));
    }

    it("with no ZAP handler, any client that knows the server's key gets through (libzmq's Stonehouse)", T, () =>
      withSockets(async (s) => {
        const k = keys();
        const { serverSocket, clientSocket } = await connectPatterns(s, transport, PATTERNS[0]!, k.serverOptions, k.clientOptions);
        await PATTERNS[0]!.exchange(serverSocket, clientSocket);
      }));

    it("10 000 messages arrive in order (each in its own box, nonces strictly increasing)", T, () =>
      withSockets(async (s) => {
        const k = keys();
        const { serverSocket: pull, clientSocket: push } = await connectPatterns(s, transport, PATTERNS[0]!, k.serverOptions, k.clientOptions);
        const n = 10_000;
        const sending = (async () => {
          for (let i = 0; i < n; i++) await (push as never as { send(m: string): Promise<void> }).send(String(i));
        })();
        for (let i = 0; i < n; i++) {
          const [frame] = await (pull as never as { receive(): Promise<Buffer[]> }).receive();
          if (String(frame) !== String(i)) assert.equal(String(frame), String(i));
        }
        await sending;
      }));

    it("a client the handler does not know is refused: both ends report status 400, nothing is delivered", T, () =>
      withSockets(async (s) => {
        const k = keys();
        const auth = await startAuthenticator(s, (a) => a.curve([lib().curveKeyPair().publicKey]));
        try {
          const pull = s.pull({ ...k.serverOptions, receiveTimeout: 0 });
          await pull.bind(transport.bindAddress());
          const push = s.fork().push(k.clientOptions);
          await refusedWith400(pull, push);
        } finally {
          await auth.close();
        }
      }));

    it("a client with the wrong server key is refused at HELLO (ERR_ZMTP_CRYPTOGRAPHIC) and nothing is delivered", T, () =>
      withSockets(async (s) => {
        const k = keys();
        const pull = s.pull({ ...k.serverOptions, receiveTimeout: 0 });
        await pull.bind(transport.bindAddress());
        const refused = handshakeFailure(pull);
        const push = s.fork().push({ ...k.clientOptions, curveServerKey: lib().curveKeyPair().publicKey });
        push.connect(pull.lastEndpoint!);
        void push.send("must not arrive").catch(() => {});
        assert.equal(await refused, "protocol ERR_ZMTP_CRYPTOGRAPHIC");
        await rejectsCode(() => pull.receive(), "EAGAIN");
      }));
  });
}

describe("CURVE traffic commands travel inside the boxes", () => {
  it("an encrypted PING (payload flag COMMAND) is answered with an encrypted PONG echoing its context", T, () =>
    withSockets(async (s) => {
      const crypto = await loadCurveCrypto();
      const k = keys();
      const pull = s.pull(k.serverOptions);
      await pull.bind(TCP.bindAddress());
      const { peer, messages } = await curveByHand(pull.lastEndpoint!, crypto, parseCurveKey(k.server.publicKey)!);
      peer.message(messages.encode(Buffer.from("\x04PING\x00\x00ctx", "latin1"), false, true));
      const pong = await peer.next();
      assert.equal(pong?.command, false, "libzmq sends every box as a message frame");
      const opened = messages.decode(pong!.body);
      assert.deepEqual(opened, { frame: Buffer.from("\x04PONGctx", "latin1"), more: false, command: true });
      peer.socket.destroy();
    }));
});
