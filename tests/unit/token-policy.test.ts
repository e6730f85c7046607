import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { describeTokenError, NO_APP_SECRET, toTokenError } from "../../lib/tokens/describe-token-error";
import { backoffDelay, computeRefreshAt, failureKind, isUsable, nextBeijingMidnight, planAfterFailure } from "../../lib/tokens/refresh-policy";

// When the token service renews a token and what it does after each kind of failure
// (WeChat's access_token rules), as pure functions of time, errcode and a random source.

const now = new Date("2026-11-24T09:30:15.000Z");
const low = () => 0;
const high = () => 0.999999;

describe("refresh ahead of expiry", () => {
  test("a 2-hour stable token is renewed inside WeChat's 5-minute rotation window, never before it", () => {
    for (const random of [low, high]) {
      const left = (now.getTime() + 7_200_000 - computeRefreshAt(now, 7200, "stable", random).getTime()) / 1000;
      assert.ok(left > 200 && left < 300, `${left} s before expiry`);
    }
  });

  test("a stable token handed out with only 300 s left is renewed before it becomes unusable", () => {
    const refreshAt = computeRefreshAt(now, 300, "stable", high);
    const expiresAt = new Date(now.getTime() + 300_000);
    assert.ok(refreshAt.getTime() > now.getTime());
    assert.ok(isUsable({ expiresAt, refreshedAt: now }, refreshAt.getTime()), "still usable when the refresh is due");
  });

  test("a classic token is renewed 8 to 10 minutes ahead; jitter spreads accounts", () => {
    const leads = [low, high].map((r) => (now.getTime() + 7_200_000 - computeRefreshAt(now, 7200, "classic", r).getTime()) / 1000);
    assert.ok(leads[0]! <= 600 && leads[1]! >= 480 && leads[0] !== leads[1], String(leads));
  });

  test("usable means more than a tenth of the life (at most 30 s) left", () => {
    const token = { refreshedAt: now, expiresAt: new Date(now.getTime() + 7_200_000) };
    assert.equal(isUsable(token, token.expiresAt.getTime() - 31_000), true);
    assert.equal(isUsable(token, token.expiresAt.getTime() - 29_000), false);
    const short = { refreshedAt: now, expiresAt: new Date(now.getTime() + 6_000) };
    assert.equal(isUsable(short, now.getTime() + 5_000), true);
    assert.equal(isUsable(short, now.getTime() + 5_500), false);
  });
});

describe("after a failure", () => {
  test("configuration errors are blocked, never retried now", () => {
    for (const errcode of [40013, 40125, 40164, 40243, 89501, 89503, 89506, 89507]) {
      const plan = planAfterFailure(failureKind(errcode), 1, now, 1000, low);
      assert.equal(plan.blocked, true, String(errcode));
      assert.equal(plan.retryNow, false, String(errcode));
    }
  });

  test("-1 and network errors are retried with exponential backoff, capped at 5 minutes", () => {
    for (const kind of [failureKind(-1), failureKind(null)]) {
      const plan = planAfterFailure(kind, 3, now, 1000, high);
      assert.deepEqual([plan.retryNow, plan.blocked], [true, false]);
      assert.equal(plan.nextAttemptAt!.getTime() - now.getTime(), backoffDelay(3, 1000, high));
    }
    assert.deepEqual(
      [1, 2, 3, 4].map((n) => backoffDelay(n, 1000, high)),
      [1000, 2000, 4000, 8000],
    );
    assert.equal(backoffDelay(2, 1000, low), 1000, "jitter takes off up to half");
    assert.equal(backoffDelay(40, 1000, high), 300_000);
  });

  test("45011 waits for the next minute", () => {
    const plan = planAfterFailure(failureKind(45011), 1, now, 1000, low);
    assert.equal(plan.retryNow, false);
    assert.equal(plan.nextAttemptAt!.toISOString(), "2026-11-24T09:31:00.000Z");
  });

  test("45009 stops until the quota resets at midnight in China", () => {
    const plan = planAfterFailure(failureKind(45009), 1, now, 1000, low);
    assert.deepEqual([plan.retryNow, plan.blocked], [false, false]);
    assert.equal(plan.nextAttemptAt!.toISOString(), "2026-11-24T16:00:00.000Z");
    assert.equal(nextBeijingMidnight(new Date("2026-11-24T16:00:00.000Z")).toISOString(), "2026-11-25T16:00:00.000Z");
    assert.equal(nextBeijingMidnight(new Date("2026-11-24T15:59:59.999Z")).toISOString(), "2026-11-24T16:00:00.000Z");
  });

  test("an errcode without a rule is not retried at once, but not given up either", () => {
    const plan = planAfterFailure(failureKind(40002), 1, now, 1000, low);
    assert.deepEqual([plan.retryNow, plan.blocked], [false, false]);
    assert.ok(plan.nextAttemptAt! > now);
  });
});

describe("what the console shows", () => {
  test("40164 carries the IP from errmsg and the whitelist fix in both languages", () => {
    const e = toTokenError(40164, "invalid ip 203.0.113.7 ipv6 ::ffff:203.0.113.7, not in whitelist rid: 6523f1c2-0a1b2c3d-4e5f6a7b");
    assert.equal(e.ip, "203.0.113.7");
    assert.match(e.fix.en, /Add 203\.0\.113\.7 to the IP whitelist/);
    assert.match(e.fix.zh, /203\.0\.113\.7/);
  });

  test("network errors, a missing AppSecret and quotas each get their own advice", () => {
    assert.match(describeTokenError(null, "ECONNREFUSED").en, /could not be reached \(ECONNREFUSED\)/);
    assert.match(describeTokenError(null, NO_APP_SECRET).en, /AppSecret/);
    assert.match(describeTokenError(45009, "reach max api daily quota limit").en, /clear_quota/);
    assert.match(describeTokenError(-1, "system error").en, /busy/);
    assert.equal(toTokenError(null, "no answer within 5000 ms").ip, null);
  });
});
