// The CURVE hot path around the frame writer: frames become boxes in nonce order, when
// the writer reads them, so the socket's pipe keeps its high-water mark.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { BoxOpener, CipherPipe } from "../../../src/mechanisms/encrypted-traffic";
import type { DecodedFrame } from "../../../src/mechanisms/mechanism";
import { Pipe } from "../../../src/pipe/pipe";

/** A stand-in for CURVE: a "box" is the nonce, the flags and the frame, readable in tests. */
function fakeMechanism() {
  let nonce = 0;
  return {
    encodeFrame(frame: Buffer, more: boolean, command = false): Buffer {
      return Buffer.concat([Buffer.from([++nonce, (more ? 1 : 0) | (command ? 2 : 0)]), frame]);
    },
    decodeFrame(body: Buffer): DecodedFrame {
      return { frame: body.subarray(2), more: (body[1]! & 1) !== 0, command: (body[1]! & 2) !== 0 };
    },
  };
}

const show = (message: Buffer[] | undefined) => message?.map((b) => `${b[0]}:${b[1]}:${b.subarray(2).toString()}`);

describe("CipherPipe", () => {
  it("hands out one box per frame, MORE inside the box, in the order the writer reads", () => {
    const plain = new Pipe(10);
    const cipher = new CipherPipe(fakeMechanism(), plain, false);
    plain.write([Buffer.from("a"), Buffer.from("b")]);
    plain.write([Buffer.from("c")]);
    assert.deepEqual([cipher.read(), cipher.read(), cipher.read(), cipher.read()].map(show), [["1:1:a"], ["2:0:b"], ["3:0:c"], undefined]);
  });

  it("encrypts nothing ahead of the writer: the socket's pipe stays the only queue", () => {
    const plain = new Pipe(2);
    const cipher = new CipherPipe(fakeMechanism(), plain, false);
    assert.ok(plain.write([Buffer.from("1")]));
    assert.ok(plain.write([Buffer.from("2")]));
    assert.equal(plain.write([Buffer.from("3")]), false, "HWM reached: the sender waits");
    let writable = 0;
    plain.onWritable = () => writable++;
    cipher.read();
    assert.equal(cipher.length, 1, "one message read, one still in the socket's pipe");
    assert.equal(writable, 0);
    cipher.read();
    assert.equal(writable, 1, "the sender resumes as the writer drains the socket's pipe");
  });

  it("puts our commands (PING, PONG) before the next message, encrypted with the next nonce", () => {
    const plain = new Pipe(10);
    const cipher = new CipherPipe(fakeMechanism(), plain, false);
    plain.write([Buffer.from("m1"), Buffer.from("m2")]);
    assert.deepEqual(show(cipher.read()), ["1:1:m1"]);
    cipher.command(Buffer.from("\x04PING"));
    assert.deepEqual(show(cipher.read()), ["2:0:m2"], "a message's frames are never split by a command");
    assert.deepEqual(show(cipher.read()), ["3:2:\x04PING"]);
  });

  it("turns a SUB's subscription messages into SUBSCRIBE and CANCEL commands for ZMTP 3.1 peers", () => {
    const plain = new Pipe(10);
    const cipher = new CipherPipe(fakeMechanism(), plain, true);
    plain.write([Buffer.from("\x01topic")]);
    plain.write([Buffer.from("\x00topic")]);
    plain.write([Buffer.from("\x02data")]);
    assert.deepEqual([cipher.read(), cipher.read(), cipher.read()].map(show), [["1:2:\x09SUBSCRIBEtopic"], ["2:2:\x06CANCELtopic"], ["3:0:\x02data"]]);
  });

  it("relays the socket pipe's readable signal to the writer, until detached", () => {
    const plain = new Pipe(10);
    const cipher = new CipherPipe(fakeMechanism(), plain, false);
    let signals = 0;
    cipher.onReadable = () => signals++;
    plain.write([Buffer.from("x")]);
    assert.equal(signals, 1);
    cipher.read();
    cipher.read();
    cipher.detach();
    plain.write([Buffer.from("y")]);
    assert.equal(signals, 1);
  });
});

describe("BoxOpener", () => {
  it("assembles a message from boxes by their MORE flags and passes commands through", () => {
    const mechanism = fakeMechanism();
    const opener = new BoxOpener(mechanism);
    assert.deepEqual(opener.open(mechanism.encodeFrame(Buffer.from("a"), true)), { kind: "partial" });
    assert.equal(opener.midMessage, true);
    assert.deepEqual(opener.open(mechanism.encodeFrame(Buffer.from("b"), false)), { kind: "message", message: [Buffer.from("a"), Buffer.from("b")] });
    assert.deepEqual(opener.open(mechanism.encodeFrame(Buffer.from("\x04PING"), false, true)), { kind: "command", body: Buffer.from("\x04PING") });
  });

  it("refuses a command inside a multipart message", () => {
    const mechanism = fakeMechanism();
    const opener = new BoxOpener(mechanism);
    opener.open(mechanism.encodeFrame(Buffer.from("a"), true));
    assert.equal(opener.open(mechanism.encodeFrame(Buffer.from("\x04PING"), false, true)).kind, "fault");
  });
});
