// PLAIN (RFC 24) as two pure state machines talking in memory, the ZAP handler (RFC 27)
// answered by hand.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { PlainClient } from "../../../src/mechanisms/plain-client";
import { PlainServer } from "../../../src/mechanisms/plain-server";
import { encodeCommand, encodeError } from "../../../src/zmtp/commands";
import { converse, failureOf, mechanismOptions, text, zapReply } from "./converse";

const zap = { domain: "global", enforceDomain: false };
const admin = (request: Buffer[]) => (request[6]?.toString() === "admin" && request[7]?.toString() === "secret" ? zapReply("200", "joe") : zapReply("400"));

function pair(username = "admin", password = "secret") {
  const client = new PlainClient(mechanismOptions("DEALER", { routingId: Buffer.from("C") }), username, password);
  const server = new PlainServer(mechanismOptions("ROUTER", { routingId: Buffer.from("S"), asServer: true }), zap);
  return { client, server };
}

describe("PLAIN mechanism (RFC 24)", () => {
  it("runs HELLO, WELCOME, INITIATE, READY and both sides end ready", () => {
    const { client, server } = pair();
    const transcript = converse(client, server, admin);
    assert.deepEqual(
      transcript.commands.map((c) => `${c.from}:${c.body.toString("latin1", 1, 1 + c.body[0]!)}`),
      ["client:HELLO", "server:WELCOME", "client:INITIATE", "server:READY"],
    );
    assert.equal(client.status.state, "ready");
    assert.equal(server.status.state, "ready");
    assert.equal(client.peerMetadata.get("socket-type")?.toString(), "ROUTER");
    assert.equal(server.peerMetadata.get("identity")?.toString(), "C");
  });

  it("hello = command-size %d5 \"HELLO\" username password, each OCTET *VCHAR", () => {
    const hello = new PlainClient(mechanismOptions("PUSH"), "admin", "secret").nextCommand();
    assert.deepEqual(hello, Buffer.from("\x05HELLO\x05admin\x06secret", "latin1"));
  });

  it("asks the ZAP handler with version, request id, domain, address, identity, PLAIN, username, password", () => {
    const { client, server } = pair();
    const { zapRequests } = converse(client, server, admin);
    assert.deepEqual(text(zapRequests[0]!), ["1.0", "1", "global", "192.0.2.7", "S", "PLAIN", "admin", "secret"]);
  });

  it("gives the application the handler's User-Id and metadata, before the peer's own properties", () => {
    const { client, server } = pair();
    const metadata = Buffer.from("\x08X-Region\x00\x00\x00\x02eu\x07User-Id\x00\x00\x00\x04fake", "latin1");
    converse(client, server, () => zapReply("200", "joe", metadata));
    assert.equal(server.peerMetadata.get("user-id")?.toString(), "joe");
    assert.equal(server.peerMetadata.get("x-region")?.toString(), "eu");
  });

  for (const status of ["400", "500"] as const) {
    it(`a ZAP ${status} refuses the client with ERROR "${status}" and both sides fail with that status`, () => {
      const { client, server } = pair("admin", "wrong");
      const transcript = converse(client, server, () => zapReply(status));
      const last = transcript.commands.at(-1)!;
      assert.equal(last.from, "server");
      // libzmq 4.3's PLAIN ERROR, prefix "^RROR" (its C literal "\x05ERROR" reads \x05E as 0x5E).
      assert.deepEqual(last.body, Buffer.from(`^RROR\x03${status}`, "latin1"));
      assert.deepEqual(failureOf(server), { kind: "auth", status: Number(status), message: `ZAP handler refused the peer (status ${status})` });
      assert.equal(failureOf(client)?.kind, "auth");
      assert.equal(failureOf(client)?.status, Number(status));
    });
  }

  it("a ZAP 300 (temporary failure) sends no ERROR: the server fails, the client hears nothing", () => {
    const { client, server } = pair();
    const transcript = converse(client, server, () => zapReply("300"));
    assert.deepEqual(transcript.commands.map((c) => c.from), ["client"]);
    assert.equal(failureOf(server)?.status, 300);
    assert.equal(client.status.state, "handshaking");
  });

  it("with no ZAP handler the server refuses everyone, as libzmq 4.3 does (no detail, EFAULT)", () => {
    const { client, server } = pair();
    converse(client, server, () => "none");
    assert.deepEqual(failureOf(server), { kind: "other", code: "EFAULT", message: "no ZAP handler at inproc://zeromq.zap.01" });
  });

  it("the client accepts a proper ERROR command as well as libzmq's ^RROR form", () => {
    const client = new PlainClient(mechanismOptions("PUSH"), "u", "p");
    client.nextCommand();
    client.processCommand(encodeError("400"));
    assert.equal(failureOf(client)?.status, 400);
  });

  const hellos: [string, string][] = [
    ["no username", ""],
    ["a username that overruns the command", "\x09adm"],
    ["no password", "\x05admin"],
    ["a password that overruns the command", "\x05admin\x09sec"],
    ["data after the password", "\x05admin\x06secretXX"],
  ];
  for (const [what, data] of hellos) {
    it(`refuses a HELLO with ${what} (ERR_ZMTP_MALFORMED_COMMAND_HELLO) and asks no handler`, () => {
      const server = new PlainServer(mechanismOptions("PULL", { asServer: true }), zap);
      server.processCommand(encodeCommand("HELLO", Buffer.from(data, "latin1")));
      assert.equal(failureOf(server)?.code, "ERR_ZMTP_MALFORMED_COMMAND_HELLO");
      assert.equal(server.takeZapRequest(), undefined);
      assert.equal(server.nextCommand(), undefined);
    });
  }

  it("refuses commands out of order on either side (ERR_ZMTP_UNEXPECTED_COMMAND)", () => {
    const server = new PlainServer(mechanismOptions("PULL", { asServer: true }), zap);
    server.processCommand(encodeCommand("INITIATE"));
    assert.equal(failureOf(server)?.code, "ERR_ZMTP_UNEXPECTED_COMMAND");
    const client = new PlainClient(mechanismOptions("PUSH"), "u", "p");
    client.nextCommand();
    client.processCommand(encodeCommand("READY"));
    assert.equal(failureOf(client)?.code, "ERR_ZMTP_UNEXPECTED_COMMAND");
  });

  it("refuses a WELCOME that carries data (ERR_ZMTP_MALFORMED_COMMAND_WELCOME)", () => {
    const client = new PlainClient(mechanismOptions("PUSH"), "u", "p");
    client.nextCommand();
    client.processCommand(encodeCommand("WELCOME", Buffer.from("x")));
    assert.equal(failureOf(client)?.code, "ERR_ZMTP_MALFORMED_COMMAND_WELCOME");
  });

  it("refuses INITIATE metadata whose declared length overruns the command (CVE-2019-13132)", () => {
    const { client, server } = pair();
    client.nextCommand();
    server.processCommand(Buffer.from("\x05HELLO\x05admin\x06secret", "latin1"));
    server.takeZapRequest();
    server.zapReply(zapReply("200"));
    server.nextCommand();
    server.processCommand(Buffer.from("\x08INITIATE\x0bSocket-Type\x00\x01\x00\x00PUSH", "latin1"));
    assert.equal(failureOf(server)?.code, "ERR_ZMTP_INVALID_METADATA");
  });
});
