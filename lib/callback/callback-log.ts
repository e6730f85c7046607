import type { Queryable } from "../db";
import { upsertCallbackCounters, type CallbackCounter } from "./callback-queries";
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

type Bucket = CallbackCounter;

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
      await upsertCallbackCounters(db, rows);
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
        buckets.set(key, {
          accountId: row.accountId,
          method: row.method,
          outcome: row.outcome,
          reason,
          status: row.status,
          minute,
          count: 1,
          firstAt: row.createdAt,
          lastAt: row.createdAt,
          lastSourceIp: ip,
        });
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

export { pruneCallbackEvents } from "./callback-queries";
