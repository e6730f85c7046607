import { getPool } from "../db";
import { toTokenError } from "./describe-token-error";
import { refreshAccessToken } from "./refresh-access-token";
import { isBlocked, isUuid, readTokenRow, selectRefreshEvents } from "./token-store";
import { accountNotFound, type RefreshEvent, type TokenError, type TokenStatus } from "./types";

// What the console and `mpdesk token show` display. Never the token itself.

export async function getTokenStatus(accountId: string): Promise<TokenStatus> {
  const row = await readTokenRow(getPool(), accountId);
  if (!row) throw accountNotFound(accountId);
  const lastError = row.lastErrorAt ? toTokenError(row.lastErrcode, row.lastErrmsg ?? "") : null;
  const state: TokenStatus["state"] = lastError
    ? "error"
    : !row.tokenEnc || !row.expiresAt
      ? "none"
      : row.expiresAt.getTime() <= Date.now()
        ? "expired"
        : "valid";
  return {
    state,
    endpoint: row.endpoint ?? row.accountEndpoint,
    expiresAt: row.tokenEnc ? row.expiresAt : null,
    lastRefreshAt: row.refreshedAt,
    lastError,
    nextAttemptAt: lastError ? row.nextAttemptAt : null,
    blocked: lastError !== null && isBlocked(row),
  };
}

/** Asks WeChat now, bypassing a cached valid token and any backoff: the console's "test connection", `mpdesk token refresh`. */
export async function refreshTokenNow(
  accountId: string,
  opts: { forceRotate?: boolean } = {},
): Promise<{ ok: true; expiresAt: Date } | { ok: false; error: TokenError }> {
  const result = await refreshAccessToken(accountId, { trigger: "manual", forceRotate: opts.forceRotate });
  return result.ok ? { ok: true, expiresAt: result.grant.expiresAt } : { ok: false, error: result.error };
}

export async function listRefreshEvents(accountId: string, opts: { limit?: number } = {}): Promise<RefreshEvent[]> {
  if (!isUuid(accountId)) return [];
  return selectRefreshEvents(getPool(), accountId, Math.min(Math.max(opts.limit ?? 50, 1), 1000));
}
