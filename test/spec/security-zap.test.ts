// RFC 27 (ZAP) with omq on both ends: the Authenticator's address rules, NULL sockets with
// a zapDomain, and what a refusal looks like to the engine's host on both sides (the
// session turns it into zeromq.js's handshake:error:auth event).
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { Context } from "../../src/context";
import { Engine } from "../../src/engine/engine";
import { mechanismFactory, type SecurityOptions } from "../../src/mechanisms/select";
import { Authenticator } from "../../src/mechanisms/authenticator";
import { rejectsCode, TCP, withSockets } from "../helpers";
import { engineOptions, holdLoop, socketPair, StubHost } from "../unit/engine/harness";
import { refusedWith400, startAuthenticator } from "./security-patterns";

const T = { timeout: 20000 };

const NONE: SecurityOptions = {
  plainServer: false, plainUsername: null, plainPassword: null, curveServer: false,
  curvePublicKey: null, curveSecretKey: null, curveServerKey: null, zapDomain: null, zapEnforceDomain: false,
};

describe("ZAP (RFC 27), omq on both ends", () => {
  it("NULL with a zapDomain asks the handler: an allowed address gets through", T, () =>
    withSockets(async (s) => {
      const auth = await startAuthenticator(s, (a) => a.allow("127.0.0.1"));
      try {
        const pull = s.pull({ zapDomain: "test" });
        await pull.bind(TCP.bindAddress());
        const push = s.fork().push();
        push.connect(pull.lastEndpoint!);
        await push.send("hi");
        assert.deepEqual((await pull.receive()).map(String), ["hi"]);
      } finally {
        await auth.close();
      }
    }));

  it("NULL with a zapDomain: a denied address is refused, both ends report status 400, nothing is delivered", T, () =>
    withSockets(async (s) => {
      const auth = await startAuthenticator(s, (a) => a.deny("127.0.0.1"));
      try {
        const pull = s.pull({ zapDomain: "test", receiveTimeout: 0 });
        await pull.bind(TCP.bindAddress());
        const push = s.fork().push();
        await refusedWith400(pull, push);
      } finally {
        await auth.close();
      }
    }));

  it("a second handler cannot bind inproc://zeromq.zap.01 (there SHALL be one handler in a process)", T, () =>
    withSockets(async (s) => {
      const first = await startAuthenticator(s, (a) => a);
      try {
        await rejectsCode(() => startAuthenticator(s, (a) => a), "EADDRINUSE");
      } finally {
        await first.close();
      }
    }));
});

describe("a refusal as the engine's host sees it", () => {
  let release: () => void;
  before(() => (release = holdLoop()));
  after(() => release());

  it("both ends fail with kind auth and the handler's status (400); no peer is attached", T, async () => {
    const ctx = new Context();
    const authenticator = new Authenticator({ context: ctx }).plain({ admin: "secret" });
    await authenticator.start();
    const pair = await socketPair();
    const serverHost = new StubHost();
    const clientHost = new StubHost();
    const server = new Engine(pair.theirs, engineOptions({ socketType: "PULL", mechanism: mechanismFactory({ ...NONE, plainServer: true }, ctx) }), serverHost);
    const client = new Engine(pair.ours, engineOptions({ socketType: "PUSH", mechanism: mechanismFactory({ ...NONE, plainUsername: "admin", plainPassword: "wrong" }, ctx) }), clientHost);
    server.start();
    client.start();
    const [serverError, clientError] = await Promise.all([serverHost.closed, clientHost.closed]);
    assert.equal(serverError?.kind, "auth");
    assert.equal(serverError?.status, 400);
    assert.equal(serverError?.handshake, true);
    assert.equal(clientError?.kind, "auth");
    assert.equal(clientError?.status, 400);
    assert.equal(serverHost.readyCalls + clientHost.readyCalls, 0);
    pair.close();
    await authenticator.close();
    await ctx.close();
  });
});
