import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { encodeMetadata, getProperty, parseMetadata } from "../../../src/zmtp/metadata";
import { ProtocolError } from "../../../src/zmtp/protocol-error";

function parsed(data: Buffer): Map<string, Buffer> {
  const result = parseMetadata(data);
  if (result instanceof ProtocolError) throw result;
  return result;
}

function refused(data: Buffer): ProtocolError {
  const result = parseMetadata(data);
  assert.ok(result instanceof ProtocolError, "expected a protocol error");
  return result;
}

describe("metadata", () => {
  it("encodes the RFC 37 worked example byte for byte", () => {
    const data = encodeMetadata([["Socket-Type", "DEALER"], ["Identity", Buffer.alloc(0)]]);
    const expected = Buffer.concat([
      Buffer.from([11]), Buffer.from("Socket-Type"), Buffer.from([0, 0, 0, 6]), Buffer.from("DEALER"),
      Buffer.from([8]), Buffer.from("Identity"), Buffer.from([0, 0, 0, 0]),
    ]);
    assert.deepEqual(data, expected);
  });

  it("parses what it encodes, with names compared case-insensitively", () => {
    const md = parsed(encodeMetadata([["Socket-Type", "ROUTER"], ["X-Custom", Buffer.from([0, 1, 2])]]));
    assert.equal(getProperty(md, "socket-type")?.toString(), "ROUTER");
    assert.equal(getProperty(md, "SOCKET-TYPE")?.toString(), "ROUTER");
    assert.deepEqual(getProperty(md, "x-custom"), Buffer.from([0, 1, 2]));
    assert.equal(md.size, 2);
  });

  it("parses empty metadata", () => {
    assert.equal(parsed(Buffer.alloc(0)).size, 0);
  });

  it("keeps the first of repeated names", () => {
    const md = parsed(encodeMetadata([["A", "1"], ["a", "2"]]));
    assert.equal(getProperty(md, "A")?.toString(), "1");
  });

  it("copies values so they do not pin the command", () => {
    const data = encodeMetadata([["Name", "value"]]);
    const md = parsed(data);
    data.fill(0);
    assert.equal(getProperty(md, "name")?.toString(), "value");
  });

  it("refuses a name that overruns the data", () => {
    assert.equal(refused(Buffer.from([5, 0x41, 0x42])).code, "ERR_ZMTP_INVALID_METADATA");
  });

  it("refuses a truncated value size", () => {
    refused(Buffer.from([1, 0x41, 0, 0, 0]));
  });

  it("refuses a value length that overruns the data (CVE-2019-13132 class)", () => {
    refused(Buffer.from([1, 0x41, 0, 0, 0, 5, 1, 2]));
    refused(Buffer.from([1, 0x41, 0xff, 0xff, 0xff, 0xff, 1, 2]));
  });

  it("refuses a trailing partial property", () => {
    const good = encodeMetadata([["A", "1"]]);
    refused(Buffer.concat([good, Buffer.from([3])]));
  });

  it("refuses empty names (RFC 37: zero-sized names are not valid)", () => {
    refused(Buffer.from([0, 0, 0, 0, 0]));
  });

  it("refuses to encode names the RFC does not allow", () => {
    assert.throws(() => encodeMetadata([["", "x"]]), RangeError);
    assert.throws(() => encodeMetadata([["N".repeat(256), "x"]]), RangeError);
  });
});
