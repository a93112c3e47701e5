// ZAP (RFC 27) as data: reading the handler's reply, NULL with a ZAP domain, and the gate
// that carries requests to a handler and waits for the crypto library.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { GatedMechanism } from "../../../src/mechanisms/gated";
import { NullMechanism } from "../../../src/mechanisms/null";
import { readZapReply, withZapProperties } from "../../../src/mechanisms/zap";
import type { ZapAnswer } from "../../../src/mechanisms/zap-client";
import { deferred } from "../../../src/util/deferred";
import { encodeReady } from "../../../src/zmtp/commands";
import { converse, failureOf, mechanismOptions, text, zapReply } from "./converse";

describe("ZAP replies (RFC 27)", () => {
  it("200 admits with the user id and metadata; 300, 400 and 500 refuse", () => {
    const admitted = readZapReply(zapReply("200", "joe", Buffer.from("\x01a\x00\x00\x00\x01b", "latin1")));
    assert.ok("status" in admitted && admitted.status === 200);
    assert.equal(admitted.userId.toString(), "joe");
    assert.equal(admitted.metadata.get("a")?.toString(), "b");
    for (const status of ["300", "400", "500"]) assert.deepEqual(readZapReply(zapReply(status)), { status: Number(status) });
  });

  const bad: [string, Buffer[], string][] = [
    ["six frames", zapReply("200").slice(0, 6), "ERR_ZAP_MALFORMED_REPLY"],
    ["a non-empty delimiter", [Buffer.from("x"), ...zapReply("200").slice(1)], "ERR_ZAP_UNSPECIFIED"],
    ["version 2.0", [Buffer.alloc(0), Buffer.from("2.0"), ...zapReply("200").slice(2)], "ERR_ZAP_BAD_VERSION"],
    ["another request id", [...zapReply("200").slice(0, 2), Buffer.from("2"), ...zapReply("200").slice(3)], "ERR_ZAP_BAD_REQUEST_ID"],
    ["status 201", zapReply("201"), "ERR_ZAP_INVALID_STATUS_CODE"],
    ["status 20", zapReply("20"), "ERR_ZAP_INVALID_STATUS_CODE"],
    ["metadata overrunning the frame", zapReply("200", "", Buffer.from("\x01a\x00\x00\x10\x00b", "latin1")), "ERR_ZAP_INVALID_METADATA"],
  ];
  for (const [what, reply, code] of bad) {
    it(`a reply with ${what} is the handler's fault: ${code}`, () => {
      const result = readZapReply(reply);
      assert.ok("kind" in result && result.kind === "protocol");
      assert.equal(result.code, code);
    });
  }

  it("puts the handler's User-Id and metadata before the peer's properties", () => {
    const merged = withZapProperties(new Map([["user-id", Buffer.from("peer")], ["socket-type", Buffer.from("REQ")]]), {
      userId: Buffer.from("joe"),
      metadata: new Map([["x-a", Buffer.from("1")]]),
    });
    assert.deepEqual([...merged.keys()], ["user-id", "x-a", "socket-type"]);
    assert.equal(merged.get("user-id")?.toString(), "joe");
  });
});

describe("NULL with a ZAP domain (libzmq: 'NULL mechanism only uses ZAP if there's a domain defined')", () => {
  const peer = () => new NullMechanism(mechanismOptions("PUSH"));
  const server = (enforceDomain = false) => new NullMechanism(mechanismOptions("PULL", { routingId: Buffer.from("me") }), { domain: "dom", enforceDomain });

  it("holds READY until the handler admits, and asks with mechanism NULL and no credentials", () => {
    const ours = server();
    assert.equal(ours.nextCommand(), undefined);
    assert.deepEqual(text(ours.takeZapRequest()!), ["1.0", "1", "dom", "192.0.2.7", "me", "NULL"]);
    ours.zapReply(zapReply("200", "anon"));
    assert.equal(ours.nextCommand()?.toString("latin1", 0, 6), "\x05READY");
    ours.processCommand(encodeReady([["Socket-Type", "PUSH"]]));
    assert.equal(ours.status.state, "ready");
    assert.equal(ours.peerMetadata.get("user-id")?.toString(), "anon");
  });

  it("a 400 sends ERROR \"400\" (a proper ERROR, unlike PLAIN) and fails with that status", () => {
    const ours = server();
    const transcript = converse(peer(), ours, () => zapReply("400"));
    assert.deepEqual(transcript.commands.at(-1)?.body, Buffer.from("\x05ERROR\x03400", "latin1"));
    assert.equal(failureOf(ours)?.status, 400);
  });

  it("no handler: goes on without one, unless zapEnforceDomain (then no detail, EFAULT)", () => {
    const relaxed = server();
    converse(peer(), relaxed, () => "none");
    assert.equal(relaxed.status.state, "ready");
    const strict = server(true);
    converse(peer(), strict, () => "none");
    assert.equal(failureOf(strict)?.code, "EFAULT");
  });

  it("without a domain asks no handler at all", () => {
    const plainNull = new NullMechanism(mechanismOptions("PULL"), { domain: "", enforceDomain: true });
    assert.ok(plainNull.nextCommand());
    assert.equal(plainNull.takeZapRequest(), undefined);
  });
});

describe("GatedMechanism", () => {
  it("waits for the crypto library, replaying the peer's early commands into the mechanism it then makes", async () => {
    const ready = deferred<void>();
    let made: NullMechanism | undefined;
    const gate = new GatedMechanism("NULL", false, () => (made = new NullMechanism(mechanismOptions("PULL"))), ready.promise, () => assert.fail("no ZAP"));
    assert.equal(gate.nextCommand(), undefined);
    gate.processCommand(encodeReady([["Socket-Type", "PUSH"]]));
    const wait = gate.takeWait();
    assert.ok(wait);
    ready.resolve();
    await wait;
    assert.ok(made);
    assert.ok(gate.nextCommand());
    assert.equal(gate.status.state, "ready");
  });

  it("a crypto library that does not start fails the handshake locally", async () => {
    const gate = new GatedMechanism("CURVE", false, () => assert.fail("never made"), Promise.reject(new Error("no wasm")), () => assert.fail("no ZAP"));
    await gate.takeWait();
    assert.equal(failureOf(gate)?.kind, "other");
  });

  it("carries a ZAP request to the handler and its reply back", async () => {
    const answer = deferred<ZapAnswer>();
    const asked: Buffer[][] = [];
    const gate = new GatedMechanism("NULL", false, () => new NullMechanism(mechanismOptions("PULL"), { domain: "d", enforceDomain: false }), undefined, (request) => {
      asked.push(request);
      return { answer: answer.promise, cancel: () => {} };
    });
    assert.equal(gate.nextCommand(), undefined);
    const wait = gate.takeWait()!;
    assert.equal(text(asked[0]!).at(-1), "NULL");
    answer.resolve(zapReply("200"));
    await wait;
    assert.ok(gate.nextCommand());
  });

  it("a handler that goes away before replying fails the handshake (ERR_ZAP_UNSPECIFIED); dispose cancels", async () => {
    let cancelled = 0;
    const gate = new GatedMechanism("NULL", false, () => new NullMechanism(mechanismOptions("PULL"), { domain: "d", enforceDomain: false }), undefined, () => ({
      answer: Promise.resolve<ZapAnswer>("gone"),
      cancel: () => cancelled++,
    }));
    gate.nextCommand();
    await gate.takeWait();
    assert.equal(failureOf(gate)?.code, "ERR_ZAP_UNSPECIFIED");
    gate.dispose();
    assert.equal(cancelled, 0); // nothing was pending any more
  });
});
