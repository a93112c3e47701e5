import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { encodeGreeting, GREETING_SIZE, GreetingParser } from "../../../src/zmtp/greeting";

function greetingOf(fields: { major?: number; minor?: number; mechanism?: string; asServer?: boolean } = {}): Buffer {
  const g = encodeGreeting(fields.mechanism ?? "NULL", fields.asServer ?? false);
  if (fields.major !== undefined) g[10] = fields.major;
  if (fields.minor !== undefined) g[11] = fields.minor;
  return g;
}

describe("encodeGreeting", () => {
  it("lays out signature, version 3.1, padded mechanism, as-server and filler (RFC 37 greeting)", () => {
    const g = encodeGreeting("NULL", false);
    assert.equal(g.length, GREETING_SIZE);
    assert.equal(g[0], 0xff);
    assert.deepEqual([...g.subarray(1, 9)], [0, 0, 0, 0, 0, 0, 0, 0]);
    assert.equal(g[9], 0x7f);
    assert.equal(g[10], 3);
    assert.equal(g[11], 1);
    assert.equal(g.toString("latin1", 12, 16), "NULL");
    assert.ok(g.subarray(16, 32).every((b) => b === 0));
    assert.equal(g[32], 0);
    assert.ok(g.subarray(33).every((b) => b === 0));
  });

  it("sets the as-server octet", () => {
    assert.equal(encodeGreeting("PLAIN", true)[32], 1);
  });

  it("refuses mechanism names that do not fit 20 octets", () => {
    assert.throws(() => encodeGreeting("", false), RangeError);
    assert.throws(() => encodeGreeting("X".repeat(21), false), RangeError);
  });
});

describe("GreetingParser", () => {
  it("parses a whole greeting in one chunk and reports what it consumed", () => {
    const extra = Buffer.from([4, 0]);
    const progress = new GreetingParser().feed(Buffer.concat([greetingOf({ mechanism: "PLAIN", asServer: true }), extra]));
    assert.equal(progress.status, "complete");
    if (progress.status !== "complete") return;
    assert.deepEqual(progress.greeting, { major: 3, minor: 1, mechanism: "PLAIN", asServer: true });
    assert.equal(progress.consumed, GREETING_SIZE);
  });

  it("parses a greeting fed one byte at a time", () => {
    const parser = new GreetingParser();
    const g = greetingOf();
    for (let i = 0; i < GREETING_SIZE - 1; i++) assert.equal(parser.feed(g.subarray(i, i + 1)).status, "partial");
    const last = parser.feed(g.subarray(GREETING_SIZE - 1));
    assert.equal(last.status, "complete");
    if (last.status === "complete") assert.equal(last.consumed, 1);
  });

  it("accepts ZMTP 3.0 peers (minor 0, RFC 23)", () => {
    const progress = new GreetingParser().feed(greetingOf({ minor: 0 }));
    assert.ok(progress.status === "complete" && progress.greeting.minor === 0);
  });

  it("accepts higher versions as 3.1 (RFC 37: MUST accept higher protocol versions)", () => {
    const progress = new GreetingParser().feed(greetingOf({ major: 4, minor: 0 }));
    assert.ok(progress.status === "complete" && progress.greeting.major === 4 && progress.greeting.minor === 1);
  });

  it("refuses a first octet other than 0xFF as soon as it arrives", () => {
    const progress = new GreetingParser().feed(Buffer.from("G"));
    assert.equal(progress.status, "invalid");
    if (progress.status === "invalid") assert.equal(progress.error.code, "ERR_ZMTP_UNSPECIFIED");
  });

  it("refuses a tenth octet with bit 0 clear (a ZMTP 1.0 peer) on the tenth octet", () => {
    const g = greetingOf();
    g[9] = 0x7e;
    const parser = new GreetingParser();
    assert.equal(parser.feed(g.subarray(0, 9)).status, "partial");
    assert.equal(parser.feed(g.subarray(9, 10)).status, "invalid");
  });

  it("refuses major versions below 3 on the eleventh octet", () => {
    for (const major of [0, 1, 2]) {
      const g = greetingOf({ major });
      const parser = new GreetingParser();
      assert.equal(parser.feed(g.subarray(0, 10)).status, "partial");
      assert.equal(parser.feed(g.subarray(10, 11)).status, "invalid", `major ${major}`);
    }
  });

  it("does not validate the padding (RFC 37: MUST NOT validate this)", () => {
    const g = greetingOf();
    g.fill(0xab, 1, 9);
    assert.equal(new GreetingParser().feed(g).status, "complete");
  });

  it("keeps NULs inside a mechanism name so it cannot match a real one", () => {
    const g = greetingOf();
    g[17] = 0x41; // "NULL\0A..."
    const progress = new GreetingParser().feed(g);
    assert.ok(progress.status === "complete" && progress.greeting.mechanism !== "NULL");
  });

  it("stays refused after an invalid greeting", () => {
    const parser = new GreetingParser();
    parser.feed(Buffer.from([0]));
    assert.equal(parser.feed(greetingOf()).status, "invalid");
  });
});
