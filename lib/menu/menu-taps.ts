import { rawQuery, sql, type Queryable } from "../db";

// What followers tapped: the CLICK (EventKey = the key) and VIEW (EventKey = the url) events the
// callback already stores, counted over the last 7 and 30 days. Read through the
// (account_id, received_at) index: only the last 30 days of the account's rows are scanned.

export type TapCount = { d7: number; d30: number };
export type MenuTaps = { click: Record<string, TapCount>; view: Record<string, TapCount> };

export async function countMenuTaps(db: Queryable, accountId: string, now: Date = new Date()): Promise<MenuTaps> {
  const rows = await rawQuery<{ event: string; event_key: string; d7: string; d30: string }>(
    db,
    sql`SELECT upper(event) AS event, event_key,
               count(*) FILTER (WHERE received_at > ${now}::timestamptz - interval '7 days') AS d7,
               count(*) AS d30
          FROM message
         WHERE account_id = ${accountId} AND direction = 'inbound' AND msg_type = 'event'
           AND upper(event) IN ('CLICK', 'VIEW') AND event_key IS NOT NULL
           AND received_at > ${now}::timestamptz - interval '30 days' AND received_at <= ${now}::timestamptz
         GROUP BY 1, 2`,
  );
  const taps: MenuTaps = { click: {}, view: {} };
  for (const r of rows) (r.event === "CLICK" ? taps.click : taps.view)[r.event_key] = { d7: Number(r.d7), d30: Number(r.d30) };
  return taps;
}
