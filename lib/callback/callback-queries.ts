import { rawExecute, rawQuery, sql, type Queryable } from "../db";

// Every statement on callback_event: the counters' upsert, what the console reads, the retention.

const NIL_UUID = "00000000-0000-0000-0000-000000000000";

/** One counter: requests of one kind, for one account, in one minute. */
export type CallbackCounter = {
  accountId: string | null;
  method: string;
  outcome: string;
  reason: string;
  status: number;
  minute: Date;
  count: number;
  firstAt: Date;
  lastAt: Date;
  lastSourceIp: string | null;
};

/**
 * Adds the counters to their rows, one statement for all; rows sorted by the caller, so two instances lock in one order.
 * Counters of an account removed since they were counted are dropped: its foreign key would fail the whole batch.
 */
export async function upsertCallbackCounters(db: Queryable, rows: CallbackCounter[]): Promise<void> {
  await rawExecute(db, {
    text: `INSERT INTO callback_event (account_id, method, outcome, reason, status, minute, count, first_at, last_at, last_source_ip)
     SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::int4[], $6::timestamptz[], $7::int4[], $8::timestamptz[], $9::timestamptz[], $10::text[])
       AS c(account_id, method, outcome, reason, status, minute, count, first_at, last_at, last_source_ip)
      WHERE c.account_id IS NULL OR EXISTS (SELECT 1 FROM account a WHERE a.id = c.account_id)
     ON CONFLICT (minute, (COALESCE(account_id, '${NIL_UUID}'::uuid)), method, outcome, reason, status) DO UPDATE SET
       count = callback_event.count + EXCLUDED.count,
       first_at = LEAST(callback_event.first_at, EXCLUDED.first_at),
       last_at = GREATEST(callback_event.last_at, EXCLUDED.last_at),
       last_source_ip = CASE WHEN EXCLUDED.last_at >= callback_event.last_at THEN EXCLUDED.last_source_ip ELSE callback_event.last_source_ip END`,
    values: [
      rows.map((r) => r.accountId),
      rows.map((r) => r.method),
      rows.map((r) => r.outcome),
      rows.map((r) => r.reason),
      rows.map((r) => r.status),
      rows.map((r) => r.minute),
      rows.map((r) => r.count),
      rows.map((r) => r.firstAt),
      rows.map((r) => r.lastAt),
      rows.map((r) => r.lastSourceIp),
    ],
  });
}

export type CallbackEventRecord = { id: string; last_at: Date; method: string; outcome: string; reason: string; status: number; count: number };

/** The account's latest verified handshake. */
export async function selectLastVerified(db: Queryable, accountId: string): Promise<CallbackEventRecord | null> {
  const rows = await rawQuery<CallbackEventRecord>(
    db,
    sql`SELECT id::text, last_at, method, outcome, reason, status, count FROM callback_event
        WHERE account_id = ${accountId} AND outcome = 'verified' ORDER BY last_at DESC, id DESC LIMIT 1`,
  );
  return rows[0] ?? null;
}

/** The latest refused handshake for this account, or for no account. */
export async function selectLastRefusedHandshake(db: Queryable, accountId: string): Promise<CallbackEventRecord | null> {
  const rows = await rawQuery<CallbackEventRecord>(
    db,
    sql`SELECT id::text, last_at, method, outcome, reason, status, count FROM callback_event
        WHERE (account_id = ${accountId} OR account_id IS NULL) AND method = 'GET' AND outcome <> 'verified'
        ORDER BY last_at DESC, id DESC LIMIT 1`,
  );
  return rows[0] ?? null;
}

/** Requests refused in the last 24 hours, for this account or for none. */
export async function countRefused24h(db: Queryable, accountId: string): Promise<number> {
  const rows = await rawQuery<{ n: number }>(
    db,
    sql`SELECT COALESCE(sum(count), 0)::int AS n FROM callback_event
        WHERE outcome = 'refused' AND last_at > now() - interval '24 hours' AND (account_id = ${accountId} OR account_id IS NULL)`,
  );
  return rows[0]?.n ?? 0;
}

/**
 * Deletes counters last touched more than `retentionDays` ago, except each account's latest
 * verified handshake: WeChat verifies a URL once, when it is saved, and the console must not
 * forget that it did.
 */
export async function pruneCallbackEvents(db: Queryable, retentionDays: number): Promise<number> {
  return rawExecute(
    db,
    sql`DELETE FROM callback_event e
      WHERE e.last_at < now() - make_interval(days => ${retentionDays})
        AND NOT (e.outcome = 'verified' AND e.id = (
          SELECT v.id FROM callback_event v
           WHERE v.account_id IS NOT DISTINCT FROM e.account_id AND v.outcome = 'verified'
           ORDER BY v.last_at DESC, v.id DESC LIMIT 1))`,
  );
}
