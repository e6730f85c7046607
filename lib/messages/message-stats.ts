import type { Queryable } from "../db";
import { selectDailyTypeCounts } from "./message-queries";

// Messages per day and type over the last N days, in the viewer's time zone, for the chart and
// the counts on the overview. One GROUP BY over the (account_id, received_at) index range.
// A type is whatever MsgType a follower sent ("__proto__" included), so it is never an object
// key here: a Map while counting, then a list.

export type TypeSeries = { type: string; values: number[]; total: number };
/** `series` is ordered by total, largest first; `values[i]` counts `days[i]`. */
export type DailyCounts = { days: string[]; series: TypeSeries[]; total: number };

export async function getDailyCounts(db: Queryable, accountId: string, tz: string, days = 30): Promise<DailyCounts> {
  const rows = await selectDailyTypeCounts(db, accountId, tz, days);
  const today = new Intl.DateTimeFormat("en-CA", { timeZone: tz, year: "numeric", month: "2-digit", day: "2-digit" }).format(new Date());
  const dayList: string[] = [];
  const base = new Date(`${today}T00:00:00Z`);
  for (let i = days - 1; i >= 0; i--) dayList.push(new Date(base.getTime() - i * 86_400_000).toISOString().slice(0, 10));
  const index = new Map(dayList.map((d, i) => [d, i]));
  const byType = new Map<string, TypeSeries>();
  let total = 0;
  for (const r of rows) {
    const i = index.get(r.day);
    if (i === undefined) continue;
    let s = byType.get(r.msgType);
    if (!s) byType.set(r.msgType, (s = { type: r.msgType, values: new Array<number>(days).fill(0), total: 0 }));
    s.values[i] = s.values[i]! + r.n;
    s.total += r.n;
    total += r.n;
  }
  const series = [...byType.values()].sort((a, b) => b.total - a.total || (a.type < b.type ? -1 : 1));
  return { days: dayList, series, total };
}
