import { hostname } from "node:os";
import { param, rawExecute, rawQuery, sql, type Queryable } from "../db";
import type { RefreshEvent, RefreshTrigger, TokenEndpoint } from "./types";

// Raw SQL for access_token and token_refresh_event, every read and write: the refresh path runs
// on the connection that holds the refresh lock, and on the hot path, where Prisma's per-query
// overhead (about 1 ms of CPU per query) would show.

/** Which process wrote a refresh event: enough to tell instances apart in the console. */
export const INSTANCE = `${hostname()}:${process.pid}`;

export type TokenRow = {
  accountId: string;
  appId: string;
  appSecretEnc: string | null;
  /** The endpoint the account is set to use (the stored token may come from the other one). */
  accountEndpoint: TokenEndpoint;
  accountUpdatedAt: Date;
  hasRow: boolean;
  tokenEnc: string | null;
  endpoint: TokenEndpoint | null;
  expiresAt: Date | null;
  refreshAt: Date | null;
  refreshedAt: Date | null;
  forcedAt: Date | null;
  lastErrcode: number | null;
  lastErrmsg: string | null;
  lastErrorIp: string | null;
  lastErrorAt: Date | null;
  failureCount: number;
  nextAttemptAt: Date | null;
  blocked: boolean;
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: string): boolean {
  return UUID.test(value);
}

export async function readTokenRow(db: Queryable, accountId: string): Promise<TokenRow | null> {
  if (!isUuid(accountId)) return null;
  const rows = await rawQuery<Record<string, any>>(
    db,
    sql`SELECT a.id AS account_id, a.app_id, a.app_secret_enc, a.token_endpoint AS account_endpoint, a.updated_at AS account_updated_at,
            t.account_id IS NOT NULL AS has_row, t.token_enc, t.endpoint, t.expires_at, t.refresh_at, t.refreshed_at, t.forced_at,
            t.last_errcode, t.last_errmsg, t.last_error_ip, t.last_error_at, COALESCE(t.failure_count, 0) AS failure_count,
            t.next_attempt_at, COALESCE(t.blocked, false) AS blocked
       FROM account a LEFT JOIN access_token t ON t.account_id = a.id
      WHERE a.id = ${accountId}`,
  );
  const r = rows[0];
  if (!r) return null;
  return {
    accountId: r.account_id,
    appId: r.app_id,
    appSecretEnc: r.app_secret_enc,
    accountEndpoint: r.account_endpoint,
    accountUpdatedAt: r.account_updated_at,
    hasRow: r.has_row,
    tokenEnc: r.token_enc,
    endpoint: r.endpoint,
    expiresAt: r.expires_at,
    refreshAt: r.refresh_at,
    refreshedAt: r.refreshed_at,
    forcedAt: r.forced_at,
    lastErrcode: r.last_errcode,
    lastErrmsg: r.last_errmsg,
    lastErrorIp: r.last_error_ip,
    lastErrorAt: r.last_error_at,
    failureCount: r.failure_count,
    nextAttemptAt: r.next_attempt_at,
    blocked: r.blocked,
  };
}

/** A configuration error blocks automatic attempts until the account is saved again (new credentials, maybe). */
export function isBlocked(row: TokenRow): boolean {
  return row.blocked && !(row.lastErrorAt && row.accountUpdatedAt > row.lastErrorAt);
}

export async function readStoredToken(
  db: Queryable,
  accountId: string,
): Promise<{ tokenEnc: string; expiresAt: Date; refreshedAt: Date; refreshAt: Date } | null> {
  const rows = await rawQuery<{ tokenEnc: string; expiresAt: Date; refreshedAt: Date; refreshAt: Date }>(
    db,
    sql`SELECT token_enc AS "tokenEnc", expires_at AS "expiresAt", refreshed_at AS "refreshedAt", refresh_at AS "refreshAt"
          FROM access_token WHERE account_id = ${accountId} AND token_enc IS NOT NULL`,
  );
  return rows[0] ?? null;
}

export async function storeSuccess(
  db: Queryable,
  accountId: string,
  v: { tokenEnc: string; endpoint: TokenEndpoint; expiresAt: Date; refreshAt: Date; refreshedAt: Date; forced: boolean },
): Promise<void> {
  const refreshedAt = param(v.refreshedAt);
  await rawExecute(
    db,
    sql`INSERT INTO access_token (account_id, token_enc, endpoint, expires_at, refresh_at, refreshed_at, forced_at, failure_count, blocked, updated_at)
     VALUES (${accountId}, ${v.tokenEnc}, ${v.endpoint}, ${v.expiresAt}, ${v.refreshAt}, ${refreshedAt}, CASE WHEN ${v.forced}::boolean THEN ${refreshedAt}::timestamptz END, 0, false, now())
     ON CONFLICT (account_id) DO UPDATE SET
       token_enc = EXCLUDED.token_enc, endpoint = EXCLUDED.endpoint, expires_at = EXCLUDED.expires_at,
       refresh_at = EXCLUDED.refresh_at, refreshed_at = EXCLUDED.refreshed_at,
       forced_at = COALESCE(EXCLUDED.forced_at, access_token.forced_at),
       last_errcode = NULL, last_errmsg = NULL, last_error_ip = NULL, last_error_at = NULL,
       failure_count = 0, next_attempt_at = NULL, blocked = false, updated_at = now()`,
  );
}

/** Records the failure; a token that is still valid stays in place and keeps being served. */
export async function storeFailure(
  db: Queryable,
  accountId: string,
  v: { errcode: number | null; errmsg: string; ip: string | null; failureCount: number; nextAttemptAt: Date | null; blocked: boolean },
): Promise<void> {
  // The database's clock, like account.updated_at's: "saved after the error" must not depend on app clocks.
  await rawExecute(
    db,
    sql`INSERT INTO access_token (account_id, last_errcode, last_errmsg, last_error_ip, last_error_at, failure_count, next_attempt_at, blocked, updated_at)
     VALUES (${accountId}, ${v.errcode}, ${v.errmsg}, ${v.ip}, now(), ${v.failureCount}, ${v.nextAttemptAt}, ${v.blocked}, now())
     ON CONFLICT (account_id) DO UPDATE SET
       last_errcode = EXCLUDED.last_errcode, last_errmsg = EXCLUDED.last_errmsg, last_error_ip = EXCLUDED.last_error_ip,
       last_error_at = EXCLUDED.last_error_at, failure_count = EXCLUDED.failure_count,
       next_attempt_at = EXCLUDED.next_attempt_at, blocked = EXCLUDED.blocked, updated_at = now()`,
  );
}

/** When each account's token is next due; a blocked account (configuration error) waits for its settings to be saved again. */
export async function selectDueTimes(db: Queryable): Promise<Array<{ accountId: string; dueAt: Date }>> {
  return rawQuery(
    db,
    sql`SELECT t.account_id AS "accountId", GREATEST(COALESCE(t.refresh_at, now()), COALESCE(t.next_attempt_at, now())) AS "dueAt"
           FROM access_token t JOIN account a ON a.id = t.account_id
          WHERE NOT (t.blocked AND (t.last_error_at IS NULL OR a.updated_at <= t.last_error_at))`,
  );
}

export async function insertRefreshEvent(db: Queryable, e: Omit<RefreshEvent, "id" | "instance" | "createdAt"> & { accountId: string }): Promise<void> {
  await rawExecute(
    db,
    sql`INSERT INTO token_refresh_event (account_id, trigger, endpoint, outcome, errcode, errmsg, latency_ms, instance)
        VALUES (${e.accountId}, ${e.trigger}, ${e.endpoint}, ${e.outcome}, ${e.errcode}, ${e.errmsg}, ${e.latencyMs}, ${INSTANCE})`,
  );
}

/** The account's latest refresh events, newest first. */
export async function selectRefreshEvents(db: Queryable, accountId: string, limit: number): Promise<RefreshEvent[]> {
  return rawQuery(
    db,
    sql`SELECT id::text, trigger, endpoint, outcome, errcode, errmsg, latency_ms AS "latencyMs", instance, created_at AS "createdAt"
          FROM token_refresh_event WHERE account_id = ${accountId}
         ORDER BY created_at DESC, id DESC LIMIT ${limit}`,
    (r: Omit<RefreshEvent, "trigger"> & { trigger: string }) => ({ ...r, trigger: r.trigger as RefreshTrigger }),
  );
}

/** Every instance reloads its cached token and replans its refresher (see token-runtime.ts). */
export async function notifyTokenChanged(db: Queryable, accountId: string): Promise<void> {
  await rawExecute(db, sql`SELECT pg_notify('mpdesk_token_changed', ${accountId})`);
}

export async function pruneRefreshEvents(db: Queryable, retentionDays: number): Promise<number> {
  return rawExecute(db, sql`DELETE FROM token_refresh_event WHERE created_at < now() - make_interval(days => ${retentionDays})`);
}
