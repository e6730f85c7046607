import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { meterFrom, WINDOW_RULES } from "../../lib/outbound/window-meter";

// The window and the quota WeChat allows for customer-service messages, from the follower's
// latest interaction, and how WeChat's own answers correct them.

const now = new Date("2026-11-24T12:00:00Z");
const ago = (ms: number) => new Date(now.getTime() - ms);

describe("the window meter", () => {
  test("the table holds WeChat's numbers: 5 within 48 h after a message, 3 within 1 min after an event", () => {
    assert.deepEqual(WINDOW_RULES, { message: { limit: 5, durationMs: 48 * 3600_000 }, event: { limit: 3, durationMs: 60_000 } });
  });

  test("no interaction: closed, nothing to send", () => {
    assert.deepEqual(meterFrom({ lastInteraction: null, used: 0, closedBy: null }, now), {
      open: false,
      openedBy: null,
      lastInteraction: null,
      until: null,
      limit: 0,
      used: 0,
      remaining: 0,
      closedBy: null,
    });
  });

  test("after a message: open for 48 hours with 5 sends, counted down", () => {
    const m = meterFrom({ lastInteraction: { at: ago(24 * 3600_000), kind: "message" }, used: 2, closedBy: null }, now);
    assert.deepEqual([m.open, m.openedBy, m.limit, m.used, m.remaining], [true, "message", 5, 2, 3]);
    assert.equal(m.until?.toISOString(), "2026-11-25T12:00:00.000Z");
    assert.equal(meterFrom({ lastInteraction: { at: ago(48 * 3600_000 - 1), kind: "message" }, used: 0, closedBy: null }, now).open, true);
    const late = meterFrom({ lastInteraction: { at: ago(48 * 3600_000), kind: "message" }, used: 0, closedBy: null }, now);
    assert.deepEqual([late.open, late.until, late.remaining], [false, null, 0]);
  });

  test("after a click, a subscribe or a scan: open for one minute with 3 sends", () => {
    const m = meterFrom({ lastInteraction: { at: ago(59_000), kind: "event" }, used: 1, closedBy: null }, now);
    assert.deepEqual([m.open, m.openedBy, m.limit, m.remaining], [true, "event", 3, 2]);
    assert.equal(m.until?.toISOString(), "2026-11-24T12:00:01.000Z");
    assert.equal(meterFrom({ lastInteraction: { at: ago(60_000), kind: "event" }, used: 0, closedBy: null }, now).open, false);
  });

  test("the quota used up: open, but nothing left", () => {
    const m = meterFrom({ lastInteraction: { at: ago(1000), kind: "event" }, used: 3, closedBy: null }, now);
    assert.deepEqual([m.open, m.remaining], [true, 0]);
    assert.equal(meterFrom({ lastInteraction: { at: ago(1000), kind: "message" }, used: 7, closedBy: null }, now).remaining, 0);
  });

  test("WeChat's 45015 closes the window and 45047 ends the quota, whatever the table says", () => {
    const closed = meterFrom({ lastInteraction: { at: ago(1000), kind: "message" }, used: 0, closedBy: 45015 }, now);
    assert.deepEqual([closed.open, closed.until, closed.remaining, closed.closedBy], [false, null, 0, 45015]);
    const spent = meterFrom({ lastInteraction: { at: ago(1000), kind: "message" }, used: 1, closedBy: 45047 }, now);
    assert.deepEqual([spent.open, spent.remaining, spent.closedBy], [true, 0, 45047]);
    assert.ok(spent.until);
  });
});
