import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Context, Dealer, Pull, Push, Router } from "../../../src";

describe("socket options", () => {
  it("have libzmq's defaults", () => {
    const context = new Context();
    const push = new Push({ context });
    assert.equal(push.sendHighWaterMark, 1000);
    assert.equal(push.linger, -1);
    assert.equal(push.sendTimeout, -1);
    assert.equal(push.reconnectInterval, 100);
    assert.equal(push.maxMessageSize, -1);
    assert.equal(push.lastEndpoint, null);
    assert.equal(push.immediate, false);
    assert.equal(push.type, 8);
    push.close();
  });

  it("are set from the constructor and read back, numbers truncated", () => {
    const context = new Context();
    const pull = new Pull({ context, receiveHighWaterMark: 5, linger: 1.7 });
    assert.equal(pull.receiveHighWaterMark, 5);
    assert.equal(pull.linger, 1);
    pull.close();
  });

  it("reject wrong types with TypeError and bad values with EINVAL", () => {
    const context = new Context();
    const push = new Push({ context });
    assert.throws(() => ((push as unknown as { linger: string }).linger = "x"), TypeError);
    assert.throws(() => (push.sendHighWaterMark = -5), { code: "EINVAL" });
    push.close();
  });

  it("an option the class lacks is a TypeError (the socket is sealed)", () => {
    const context = new Context();
    assert.throws(() => new Pull({ context, sendTimeout: 1 } as never), TypeError);
  });

  it("a routing id given as a Buffer reads back as a string; null is EINVAL", () => {
    const context = new Context();
    const dealer = new Dealer({ context, routingId: "abc" });
    assert.equal(dealer.routingId, "abc");
    assert.throws(() => (dealer.routingId = null), { code: "EINVAL" });
    dealer.close();
  });

  it("write-only options read back as undefined", () => {
    const context = new Context();
    const router = new Router({ context, handover: true, mandatory: true });
    assert.equal(router.handover, undefined);
    assert.equal(router.mandatory, true);
    router.close();
  });

  it("cannot be used after close (ENOTSOCK)", () => {
    const context = new Context();
    const push = new Push({ context });
    push.close();
    assert.throws(() => push.linger, { code: "ENOTSOCK" });
    assert.throws(() => (push.linger = 0), { code: "ENOTSOCK" });
  });

  it("a context with blocky = false gives new sockets linger 0", () => {
    const context = new Context({ blocky: false });
    const push = new Push({ context });
    assert.equal(push.linger, 0);
    push.close();
  });
});
