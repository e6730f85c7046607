import { rawExecute, rawQuery, sql, sqlStateOf, type Queryable } from "../db";

// Rows the database refused for a lasting reason are set aside here, whole and with the reason,
// so they are never retried forever, never block the rows behind them, and an operator sees them.
// A table rather than a folder: the database is up when it refuses a row, and every instance's
// console then sees every instance's quarantine.

const MAX_REASON = 500;

export async function quarantineRow(db: Queryable, q: { source: string; accountId: string | null; payload: string; error: unknown }): Promise<void> {
  const message = String((q.error as Error | null)?.message ?? q.error).slice(0, MAX_REASON);
  // The payload is JSON text, so any NUL is escaped and the text column always accepts it.
  await rawExecute(
    db,
    sql`INSERT INTO message_quarantine (account_id, source, sqlstate, reason, payload)
        VALUES (${q.accountId?.slice(0, 64) ?? null}, ${q.source}, ${sqlStateOf(q.error)}, ${message}, ${q.payload})
     ON CONFLICT (source) DO NOTHING`,
  );
}

export type QuarantineSummary = { total: number; reasons: Array<{ sqlstate: string | null; reason: string; count: number }> };

/**
 * One account's counts per distinct reason, largest first; the few top reasons are enough for the
 * overview. A reason quotes the refused row, so another account's rows are never counted in.
 * `withUnowned` adds the rows that name no account (for administrators of mpdesk).
 */
export async function getQuarantineSummary(db: Queryable, opts: { accountId: string; withUnowned?: boolean; limit?: number }): Promise<QuarantineSummary> {
  const owned = opts.withUnowned ? sql`(account_id = ${opts.accountId} OR account_id IS NULL)` : sql`account_id = ${opts.accountId}`;
  const reasons = await rawQuery(
    db,
    sql`SELECT sqlstate, reason, count(*) AS n FROM message_quarantine WHERE ${owned} GROUP BY sqlstate, reason ORDER BY count(*) DESC, reason LIMIT 50`,
    (r: { sqlstate: string | null; reason: string; n: string }) => ({ sqlstate: r.sqlstate, reason: r.reason, count: Number(r.n) }),
  );
  const limit = opts.limit ?? 5;
  const t = await rawQuery<{ n: string }>(db, sql`SELECT count(*) AS n FROM message_quarantine WHERE ${owned}`);
  return { total: Number(t[0]!.n), reasons: reasons.slice(0, limit) };
}
