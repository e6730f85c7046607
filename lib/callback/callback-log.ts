import type pg from "pg";
import { errorFields, log } from "../log";

// Verification handshakes and refusals, for the console ("WeChat verified your URL at …",
// "12 forged requests refused today"). Counts and reasons only: never a refused body.
// Written in the background in batches; losing a few of these during an outage is acceptable,
// delaying or failing a callback because of them is not.

export type CallbackEventRow = {
  accountId: string | null;
  method: "GET" | "POST";
  outcome: "verified" | "refused" | "error";
  reason: string | null;
  status: number;
  sourceIp: string | null;
  createdAt: Date;
};

const MAX_BUFFER = 10_000;

export function createCallbackLog(pool: pg.Pool) {
  let buffer: CallbackEventRow[] = [];
  let timer: NodeJS.Timeout | null = null;
  let flushing: Promise<void> | null = null;

  async function flush(): Promise<void> {
    if (timer) clearTimeout(timer);
    timer = null;
    if (!buffer.length) return;
    const rows = buffer;
    buffer = [];
    try {
      await pool.query(
        `INSERT INTO callback_event (account_id, method, outcome, reason, status, source_ip, created_at)
         SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::int4[], $6::text[], $7::timestamptz[])`,
        [
          rows.map((r) => r.accountId),
          rows.map((r) => r.method),
          rows.map((r) => r.outcome),
          rows.map((r) => r.reason),
          rows.map((r) => r.status),
          rows.map((r) => r.sourceIp),
          rows.map((r) => r.createdAt),
        ],
      );
    } catch (err) {
      log.warn("callback_log.write_failed", { dropped: rows.length, ...errorFields(err) });
    }
  }

  return {
    record(row: CallbackEventRow) {
      if (buffer.length >= MAX_BUFFER) return; // a flood of garbage must not grow memory without bound
      buffer.push(row);
      // Handshakes are rare and the console waits for them: write those at once.
      const delay = row.outcome === "verified" ? 0 : 250;
      if (!timer) timer = setTimeout(() => void (flushing = flush()), delay);
    },
    async drain() {
      await flushing;
      await flush();
    },
  };
}

export type CallbackLog = ReturnType<typeof createCallbackLog>;
