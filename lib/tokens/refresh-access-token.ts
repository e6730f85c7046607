import type pg from "pg";
import { LOCK_CLASS } from "../advisory-locks";
import { getPool, rawQuery, sql } from "../db";
import { getEnv } from "../env";
import { log } from "../log";
import { decryptSecret, encryptSecret } from "../secrets";
import { extractIpFromErrmsg } from "../wechat/errors";
import { NO_APP_SECRET, toTokenError } from "./describe-token-error";
import { fetchAccessToken } from "./fetch-access-token";
import { backoffDelay, computeRefreshAt, FORCE_REFRESH_SPACING_MS, failureKind, isUsable, MAX_ATTEMPTS, planAfterFailure } from "./refresh-policy";
import { rememberToken, tokenState } from "./token-cache";
import { insertRefreshEvent, isBlocked, notifyTokenChanged, readTokenRow, storeFailure, storeSuccess, type TokenRow } from "./token-store";
import { accountNotFound, type RefreshResult, type RefreshTrigger, type TokenGrant } from "./types";

// The one place that asks WeChat for a token. However many callers and instances want a token at
// once, one of them asks:
//  - in a process, callers share one pending refresh per account (single flight);
//  - across processes, the caller must hold a PostgreSQL advisory lock for the account, and
//    decides only after re-reading the row under it, so the second instance finds the first
//    one's token instead of asking again (a classic token request would invalidate it).
// Waiters do not queue on the lock: they poll the row and leave as soon as it answers them.

const WAIT_POLL_MS = 40;
const WAIT_LIMIT_MS = 60_000;

export type RefreshOptions = {
  trigger: RefreshTrigger;
  /** invalid-token: the token WeChat refused. Refresh only if it is still the stored one. */
  failedToken?: string;
  /** manual: ask for a new stable token even if the current one is valid (force_refresh:true). */
  forceRotate?: boolean;
};

export async function refreshAccessToken(accountId: string, opts: RefreshOptions): Promise<RefreshResult> {
  const { refreshing } = tokenState();
  for (;;) {
    const pending = refreshing.get(accountId);
    if (!pending) break;
    const result = await pending.catch(() => null);
    if (result && canShare(result, opts)) return result;
  }
  const flight: Promise<RefreshResult> = refreshUnderLock(accountId, opts).finally(() => {
    if (refreshing.get(accountId) === flight) refreshing.delete(accountId);
  });
  refreshing.set(accountId, flight);
  return flight;
}

// A manual refresh is a request to ask WeChat now; a compare-and-refresh cannot use the token that failed.
function canShare(result: RefreshResult, opts: RefreshOptions): boolean {
  if (opts.trigger === "manual") return false;
  if (opts.failedToken !== undefined && result.grant?.token === opts.failedToken) return false;
  return true;
}

type Decision = { kind: "reuse"; grant: TokenGrant } | { kind: "refuse"; result: RefreshResult } | { kind: "call" };

async function refreshUnderLock(accountId: string, opts: RefreshOptions): Promise<RefreshResult> {
  const client = await getPool().connect();
  let locked = false;
  let broken: Error | undefined;
  try {
    const started = Date.now();
    for (;;) {
      const rows = await rawQuery<{ locked: boolean }>(
        client,
        sql`SELECT pg_try_advisory_lock(${LOCK_CLASS.tokenRefresh}::int, hashtext(${accountId})) AS locked`,
      );
      locked = rows[0]!.locked;
      // Read after taking the lock: whoever held it before may have done the work already.
      const row = await readTokenRow(client, accountId);
      const decision = decide(row, accountId, opts);
      if (decision.kind === "reuse") return { ok: true, grant: remember(accountId, decision.grant) };
      if (decision.kind === "refuse") return decision.result;
      if (locked) return await askWeChat(client, row!, opts);
      // Another instance is asking WeChat right now: its answer lands in the row we poll.
      if (Date.now() - started > WAIT_LIMIT_MS) {
        return { ok: false, error: toTokenError(null, "timed out waiting for another instance's token refresh"), grant: null };
      }
      await sleep(WAIT_POLL_MS + Math.random() * WAIT_POLL_MS);
    }
  } catch (err) {
    broken = err as Error;
    throw err;
  } finally {
    if (locked) {
      await rawQuery(client, sql`SELECT pg_advisory_unlock(${LOCK_CLASS.tokenRefresh}::int, hashtext(${accountId}))`).catch((err: Error) => (broken ??= err));
    }
    // A connection whose unlock failed is destroyed, which ends its session and frees the lock.
    client.release(broken);
  }
}

/** Whether this caller needs WeChat at all, given the row as it is now (read under the lock before acting). */
function decide(row: TokenRow | null, accountId: string, opts: RefreshOptions): Decision {
  if (!row) throw accountNotFound(accountId);
  const now = Date.now();
  const current = currentGrant(row);
  const usable = current !== null && isUsable(current, now);
  if (opts.trigger === "manual") return { kind: "call" };
  if (usable) {
    if (opts.trigger === "on-demand") return { kind: "reuse", grant: current };
    if (opts.trigger === "scheduled" && current.refreshAt.getTime() > now) return { kind: "reuse", grant: current };
    if (opts.trigger === "invalid-token" && current.token !== opts.failedToken) return { kind: "reuse", grant: current };
  }
  if (isBlocked(row) || (row.nextAttemptAt && row.nextAttemptAt.getTime() > now)) {
    return { kind: "refuse", result: { ok: false, error: toTokenError(row.lastErrcode, row.lastErrmsg ?? ""), grant: usable ? current : null } };
  }
  return { kind: "call" };
}

function currentGrant(row: TokenRow): TokenGrant | null {
  if (!row.tokenEnc || !row.expiresAt || !row.refreshedAt || !row.refreshAt) return null;
  return {
    token: decryptSecret(row.tokenEnc, getEnv().encryptionKey, "access_token.token", row.accountId),
    expiresAt: row.expiresAt,
    refreshedAt: row.refreshedAt,
    refreshAt: row.refreshAt,
  };
}

function remember(accountId: string, grant: TokenGrant): TokenGrant {
  rememberToken(accountId, grant);
  return grant;
}

/** Holding the lock: ask WeChat (retrying -1 and network errors with backoff), record every attempt, store the outcome. */
async function askWeChat(client: pg.PoolClient, row: TokenRow, opts: RefreshOptions): Promise<RefreshResult> {
  const env = getEnv();
  const endpoint = row.accountEndpoint;
  const previous = currentGrant(row);
  const event = { accountId: row.accountId, trigger: opts.trigger, endpoint };

  if (!row.appSecretEnc) {
    await insertRefreshEvent(client, { ...event, outcome: "error", errcode: null, errmsg: NO_APP_SECRET, latencyMs: 0 });
    const failures = row.failureCount + 1;
    return fail(client, row, previous, null, NO_APP_SECRET, failures, planAfterFailure("config", failures, new Date(), env.MPDESK_TOKEN_BACKOFF_MS));
  }
  const secret = decryptSecret(row.appSecretEnc, env.encryptionKey, "account.app_secret", row.accountId);
  let failures = row.failureCount;
  let force = endpoint === "stable" && opts.forceRotate === true;
  let escalated = false;

  for (let attempt = 1; ; attempt++) {
    const outcome = await fetchAccessToken({
      baseUrl: env.WECHAT_API_BASE,
      timeoutMs: env.MPDESK_WECHAT_TIMEOUT_MS,
      endpoint,
      appId: row.appId,
      secret,
      forceRefresh: force,
    });
    await insertRefreshEvent(client, {
      ...event,
      outcome: outcome.ok ? "success" : "error",
      errcode: outcome.ok ? null : outcome.errcode,
      errmsg: outcome.ok ? null : outcome.errmsg,
      latencyMs: outcome.latencyMs,
    });

    if (outcome.ok) {
      // A stable token that WeChat refused but still hands out unchanged (force_refresh:false) can only be
      // replaced by forcing; that is rationed (20 a day), so at most once per FORCE_REFRESH_SPACING_MS.
      const sameAsFailed = opts.failedToken !== undefined && outcome.token === opts.failedToken;
      const mayForce = !row.forcedAt || Date.now() - row.forcedAt.getTime() > FORCE_REFRESH_SPACING_MS;
      if (sameAsFailed && endpoint === "stable" && !force && !escalated && mayForce) {
        force = escalated = true;
        continue;
      }
      const refreshedAt = new Date();
      const grant: TokenGrant = {
        token: outcome.token,
        refreshedAt,
        expiresAt: new Date(refreshedAt.getTime() + outcome.expiresIn * 1000),
        refreshAt: computeRefreshAt(refreshedAt, outcome.expiresIn, endpoint),
      };
      const tokenEnc = encryptSecret(grant.token, env.encryptionKey, "access_token.token", row.accountId);
      await storeSuccess(client, row.accountId, { tokenEnc, endpoint, expiresAt: grant.expiresAt, refreshAt: grant.refreshAt, refreshedAt, forced: force });
      await notifyTokenChanged(client, row.accountId);
      log.info("token.refreshed", {
        account: row.appId,
        trigger: opts.trigger,
        endpoint,
        expiresIn: outcome.expiresIn,
        rotated: previous?.token !== grant.token,
        ms: outcome.latencyMs,
      });
      return { ok: true, grant: remember(row.accountId, grant) };
    }

    failures++;
    const plan = planAfterFailure(failureKind(outcome.errcode), failures, new Date(), env.MPDESK_TOKEN_BACKOFF_MS);
    log.warn("token.refresh_failed", { account: row.appId, trigger: opts.trigger, endpoint, attempt, errcode: outcome.errcode, errmsg: outcome.errmsg });
    if (plan.retryNow && attempt < MAX_ATTEMPTS) {
      await sleep(backoffDelay(failures, env.MPDESK_TOKEN_BACKOFF_MS));
      continue;
    }
    return fail(client, row, previous, outcome.errcode, outcome.errmsg, failures, plan);
  }
}

async function fail(
  client: pg.PoolClient,
  row: TokenRow,
  previous: TokenGrant | null,
  errcode: number | null,
  errmsg: string,
  failureCount: number,
  plan: { blocked: boolean; nextAttemptAt: Date | null },
): Promise<RefreshResult> {
  const ip = errcode === null ? null : extractIpFromErrmsg(errmsg);
  await storeFailure(client, row.accountId, { errcode, errmsg, ip, failureCount, ...plan });
  await notifyTokenChanged(client, row.accountId);
  const stillUsable = previous && isUsable(previous, Date.now()) ? previous : null;
  return { ok: false, error: toTokenError(errcode, errmsg), grant: stillUsable };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
