import { rawExecute, sql, type Queryable } from "../db";
import { errorFields, log } from "../log";

// Verification handshakes and refusals, for the console ("WeChat verified your URL at …",
// "12 forged requests refused today"). Counts and reasons only: never a refused body.
//
// Anyone can send refused requests, as many as they like, so they are counted rather than stored
// one by one: one row per account, method, outcome, reason, status and minute, whose counter every
// instance adds to (an upsert, so several instances sharing a database stay correct). Requests
// are summed in memory and written in the background; losing a few counts during an outage is
// acceptable, delaying or failing a callback because of them is not.

export type CallbackEventRow = {
  accountId: string | null;
  method: "GET" | "POST";
  outcome: "verified" | "refused" | "error";
  reason: string | null;
  status: number;
  sourceIp: string | null;
  createdAt: Date;
};

/** Longest string stored from a request: an address, a reason. Anything longer is cut. */
export const MAX_STORED_STRING = 64;
// Distinct counters held between two writes. The keys come from a closed set (known accounts,
// reasons written in code), so this is never reached in practice; it bounds memory regardless.
const MAX_BUCKETS = 2_000;
const FLUSH_MS = 1_000;
const NIL_UUID = "00000000-0000-0000-0000-000000000000";

type Bucket = {
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

export function boundString(value: string | null, max = MAX_STORED_STRING): string | null {
  return value === null ? null : value.length > max ? value.slice(0, max) : value;
}

export function createCallbackLog(db: Queryable) {
  let buckets = new Map<string, Bucket>();
  let dropped = 0;
  let timer: NodeJS.Timeout | null = null;
  let flushing: Promise<void> | null = null;

  async function flush(): Promise<void> {
    if (timer) clearTimeout(timer);
    timer = null;
    if (dropped) {
      log.warn("callback_log.buckets_full", { dropped });
      dropped = 0;
    }
    if (!buckets.size) return;
    // Sorted, so two instances upserting the same counters lock them in the same order.
    const rows = [...buckets.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, b]) => b);
    buckets = new Map();
    try {
      await rawExecute(db, {
        text: `INSERT INTO callback_event (account_id, method, outcome, reason, status, minute, count, first_at, last_at, last_source_ip)
         SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::int4[], $6::timestamptz[], $7::int4[], $8::timestamptz[], $9::timestamptz[], $10::text[])
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
    } catch (err) {
      log.warn("callback_log.write_failed", { dropped: rows.reduce((n, r) => n + r.count, 0), ...errorFields(err) });
    }
  }

  return {
    record(row: CallbackEventRow) {
      const reason = boundString(row.reason ?? "")!;
      const minute = new Date(Math.floor(row.createdAt.getTime() / 60_000) * 60_000);
      const key = [row.accountId ?? "", row.method, row.outcome, reason, row.status, minute.getTime()].join("|");
      const ip = boundString(row.sourceIp);
      const bucket = buckets.get(key);
      if (bucket) {
        bucket.count++;
        if (row.createdAt < bucket.firstAt) bucket.firstAt = row.createdAt;
        if (row.createdAt >= bucket.lastAt) {
          bucket.lastAt = row.createdAt;
          bucket.lastSourceIp = ip;
        }
      } else if (buckets.size >= MAX_BUCKETS) {
        dropped++;
        return;
      } else {
        buckets.set(key, { accountId: row.accountId, method: row.method, outcome: row.outcome, reason, status: row.status, minute, count: 1, firstAt: row.createdAt, lastAt: row.createdAt, lastSourceIp: ip });
      }
      // Handshakes are rare and the console waits for them: write those at once.
      if (row.outcome === "verified") {
        if (timer) clearTimeout(timer);
        timer = setTimeout(() => void (flushing = flush()), 0);
      } else if (!timer) {
        timer = setTimeout(() => void (flushing = flush()), FLUSH_MS);
      }
    },
    async drain() {
      await flushing;
      await flush();
    },
  };
}

export type CallbackLog = ReturnType<typeof createCallbackLog>;

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
