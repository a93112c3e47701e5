import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { KeepAlive } from "../../../src/util/keep-alive";

const timers = () => process.getActiveResourcesInfo().filter((r) => r === "Timeout").length;

describe("KeepAlive", () => {
  it("holds the event loop while anyone holds it, and leaves nothing active once all let go", () => {
    const before = timers();
    const keepAlive = new KeepAlive();
    keepAlive.hold();
    keepAlive.hold();
    assert.equal(timers(), before + 1, "one timer for all holders");
    keepAlive.release();
    assert.equal(timers(), before + 1, "still held");
    keepAlive.release();
    assert.equal(timers(), before);
    keepAlive.hold();
    assert.equal(timers(), before + 1, "held again");
    keepAlive.release();
    keepAlive.release(); // one release too many is ignored
    assert.equal(timers(), before);
    keepAlive.hold();
    assert.equal(timers(), before + 1);
    keepAlive.release();
  });
});
