import { classifyErrcode, type WeChatErrorClass } from "../wechat/errors";
import type { TokenEndpoint } from "./types";

// When to renew a token and what to do after a failure, as pure functions of time and errcode
// (WeChat's access_token rules: each classic call rotates the token, stable tokens rotate 5 min
// before expiry, configuration errcodes must not be retried). Branches on errcode only: errmsg wording changes, errcodes do not.

/** Attempts within one refresh when WeChat is busy (-1) or unreachable; each is recorded. */
export const MAX_ATTEMPTS = 3;
const MAX_BACKOFF_MS = 5 * 60_000;
/** At most one automatic force_refresh of a stable token per this long (20 a day are allowed). */
export const FORCE_REFRESH_SPACING_MS = 5 * 60_000;

export type FailureKind = WeChatErrorClass | "network";

export type FailurePlan = {
  /** Try again within this refresh (after backoffDelay). */
  retryNow: boolean;
  /** Configuration error: no automatic attempt until the account is saved again or someone refreshes by hand. */
  blocked: boolean;
  /** No automatic attempt before this. */
  nextAttemptAt: Date | null;
};

export function failureKind(errcode: number | null): FailureKind {
  return errcode === null ? "network" : classifyErrcode(errcode);
}

export function planAfterFailure(kind: FailureKind, failures: number, now: Date, backoffBaseMs: number, random = Math.random): FailurePlan {
  const later = (ms: number) => new Date(now.getTime() + ms);
  switch (kind) {
    case "config":
      // Blocked until the account is saved again; the backoff also spaces attempts after each save.
      return { retryNow: false, blocked: true, nextAttemptAt: later(backoffDelay(failures, backoffBaseMs, random)) };
    case "daily-quota":
      // 45009: asking again today only burns what clear_quota could restore.
      return { retryNow: false, blocked: false, nextAttemptAt: nextBeijingMidnight(now) };
    case "minute-quota":
      return { retryNow: false, blocked: false, nextAttemptAt: new Date(Math.floor(now.getTime() / 60_000) * 60_000 + 60_000 + Math.floor(random() * 2_000)) };
    case "busy":
    case "network":
      return { retryNow: true, blocked: false, nextAttemptAt: later(backoffDelay(failures, backoffBaseMs, random)) };
    default:
      // An errcode we have no rule for: do not hammer, do not give up.
      return { retryNow: false, blocked: false, nextAttemptAt: later(backoffDelay(failures, backoffBaseMs, random)) };
  }
}

/** Exponential backoff with jitter: base·2^(n−1), scaled by 0.5–1, capped at 5 minutes. */
export function backoffDelay(failures: number, baseMs: number, random = Math.random): number {
  const exp = Math.min(MAX_BACKOFF_MS, baseMs * 2 ** Math.max(0, Math.min(failures - 1, 20)));
  return Math.round(exp * (0.5 + random() / 2));
}

/** WeChat's daily quotas reset at midnight in China (UTC+8, no daylight saving). */
export function nextBeijingMidnight(now: Date): Date {
  const offset = 8 * 3_600_000;
  const day = 86_400_000;
  return new Date(Math.floor((now.getTime() + offset) / day) * day + day - offset);
}

/**
 * When to renew a token obtained at `obtainedAt` that lives `expiresInSec`: a sixth of its life
 * before expiry, at most 10 minutes for classic tokens and at most 4.5 minutes for stable ones —
 * a stable token asked for earlier than WeChat's 5-minute rotation window comes back unchanged.
 * The lead is shortened by up to 20 % at random, so accounts and restarts do not line up.
 */
export function computeRefreshAt(obtainedAt: Date, expiresInSec: number, endpoint: TokenEndpoint, random = Math.random): Date {
  const lifeMs = expiresInSec * 1000;
  const cap = endpoint === "stable" ? 270_000 : 600_000;
  const lead = Math.min(lifeMs / 6, cap) * (1 - 0.2 * random());
  return new Date(obtainedAt.getTime() + Math.max(0, lifeMs - lead));
}

/**
 * Still worth handing out: more than a tenth of its life (at most 30 s) left, so the caller can use
 * it for a request or two. A token past this is refreshed before anyone gets it.
 */
export function isUsable(token: { expiresAt: Date; refreshedAt: Date }, now: number): boolean {
  const life = token.expiresAt.getTime() - token.refreshedAt.getTime();
  return token.expiresAt.getTime() - now > Math.min(30_000, life / 10);
}
