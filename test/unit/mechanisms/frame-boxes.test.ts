import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { before, describe, it } from "node:test";
import { isWasmSodium, nativeFrameBoxes, wasmFrameBoxes, type FrameBoxes, type NativeSecretbox } from "../../../src/mechanisms/frame-boxes";

type Sodium = typeof import("libsodium-wrappers");

let sodium: Sodium;
const backends: { name: string; boxes: () => FrameBoxes | undefined }[] = [
  { name: "WebAssembly (libsodium-wrappers' module)", boxes: () => wasmBoxes() },
  { name: "sodium-native", boxes: () => optionalNative() },
];

function wasmBoxes(): FrameBoxes | undefined {
  const module: unknown = (sodium as unknown as { libsodium?: unknown }).libsodium;
  return isWasmSodium(module) ? wasmFrameBoxes(module) : undefined;
}

function optionalNative(): FrameBoxes | undefined {
  try {
    return nativeFrameBoxes(require("sodium-native") as NativeSecretbox);
  } catch {
    return undefined;
  }
}

before(async () => {
  const module = (await import("libsodium-wrappers")) as unknown as Sodium & { default?: Sodium };
  sodium = module.default ?? module;
  await sodium.ready;
});

/** The reference: libsodium-wrappers' own crypto_box_easy_afternm of flags ‖ frame. */
function reference(flags: number, frame: Buffer, nonce: Buffer, key: Buffer): Buffer {
  return Buffer.from(sodium.crypto_box_easy_afternm(Buffer.concat([Buffer.from([flags]), frame]), nonce, key));
}

for (const backend of backends) {
  describe(`MESSAGE boxes through ${backend.name}`, () => {
    it("seals flags ‖ frame at an offset, byte for byte as crypto_box_easy_afternm, leaving the rest alone", (t) => {
      const boxes = backend.boxes();
      if (boxes === undefined) return t.skip("not available here");
      const key = randomBytes(32);
      for (const size of [0, 1, 16, 255, 70_000, 200_000]) {
        const frame = randomBytes(size);
        const nonce = randomBytes(24);
        const out = Buffer.alloc(10 + 17 + size + 5, 0xee);
        boxes.seal(out, 10, 0x03, frame, nonce, key);
        assert.deepEqual(out.subarray(10, 10 + 17 + size), reference(0x03, frame, nonce, key), `${size} octets`);
        assert.ok(out.subarray(0, 10).every((octet) => octet === 0xee));
        assert.ok(out.subarray(10 + 17 + size).every((octet) => octet === 0xee));
      }
    });

    it("opens in place: the plaintext lands after the MAC", (t) => {
      const boxes = backend.boxes();
      if (boxes === undefined) return t.skip("not available here");
      const key = randomBytes(32);
      for (const size of [0, 16, 100_000, 300]) {
        const frame = randomBytes(size);
        const nonce = randomBytes(24);
        const box = reference(0x01, frame, nonce, key);
        assert.equal(boxes.openInPlace(box, nonce, key), true);
        assert.equal(box[16], 0x01);
        assert.deepEqual(box.subarray(17), frame);
      }
    });

    it("refuses a tampered box, a wrong key or a box shorter than its MAC, and leaves the bytes as they were", (t) => {
      const boxes = backend.boxes();
      if (boxes === undefined) return t.skip("not available here");
      const key = randomBytes(32);
      const nonce = randomBytes(24);
      const box = reference(0, randomBytes(64), nonce, key);
      const tampered = Buffer.from(box);
      tampered[40]! ^= 1;
      const copy = Buffer.from(tampered);
      assert.equal(boxes.openInPlace(tampered, nonce, key), false);
      assert.deepEqual(tampered, copy);
      const intact = Buffer.from(box);
      assert.equal(boxes.openInPlace(intact, nonce, randomBytes(32)), false);
      assert.deepEqual(intact, box);
      assert.equal(boxes.openInPlace(Buffer.alloc(15), nonce, key), false);
    });
  });
}
