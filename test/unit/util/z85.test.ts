import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { describe, it } from "node:test";
import { z85Decode, z85Encode } from "../../../src/util/z85";

describe("Z85 (RFC 32)", () => {
  it("encodes the RFC's test case: 86 4F D2 6F B5 59 F7 5B SHALL encode as HelloWorld", () => {
    assert.equal(z85Encode(Buffer.from([0x86, 0x4f, 0xd2, 0x6f, 0xb5, 0x59, 0xf7, 0x5b])), "HelloWorld");
  });

  it("decodes the RFC's test case", () => {
    assert.deepEqual(z85Decode("HelloWorld"), Buffer.from([0x86, 0x4f, 0xd2, 0x6f, 0xb5, 0x59, 0xf7, 0x5b]));
  });

  it("maps zero to '0' and 0xffffffff to '%nSc0'", () => {
    assert.equal(z85Encode(Buffer.alloc(4)), "00000");
    assert.equal(z85Encode(Buffer.from([0xff, 0xff, 0xff, 0xff])), "%nSc0");
    assert.deepEqual(z85Decode("%nSc0"), Buffer.from([0xff, 0xff, 0xff, 0xff]));
  });

  it("round-trips random frames, a CURVE key's 32 octets among them", () => {
    for (const size of [0, 4, 8, 32, 400]) {
      const data = randomBytes(size);
      const text = z85Encode(data);
      assert.equal(text.length, (size / 4) * 5);
      assert.deepEqual(z85Decode(text), data);
    }
  });

  it("SHALL have a binary length divisible by 4: anything else is refused", () => {
    assert.throws(() => z85Encode(Buffer.alloc(5)), RangeError);
  });

  it("refuses strings that are not Z85: a length not divisible by 5, a foreign character, a group above 2^32 - 1", () => {
    assert.equal(z85Decode("Hell"), undefined);
    assert.equal(z85Decode("HelloWorl"), undefined);
    assert.equal(z85Decode("Hel~o"), undefined);
    assert.equal(z85Decode("Hel\"o"), undefined);
    assert.equal(z85Decode("Helé0"), undefined);
    assert.equal(z85Decode("%nSc1"), undefined); // 0xffffffff + 1
    assert.equal(z85Decode("#####"), undefined);
  });
});
