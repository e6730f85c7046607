import { rawQuery, sql, type Queryable } from "../db";
import type { WindowMeter } from "./types";

// WeChat lets an account send customer-service messages (客服消息) only after the follower
// interacted, and only a few of them: the platform now enforces these numbers (older pages say
// 20 within 48 h). The latest interaction defines the window; a new one resets it. WeChat's own
// answers since that interaction correct the table: 45015 closed the window (or the follower left),
// 45047 used up the quota.

export const WINDOW_RULES = {
  /** After the follower sent a message. */
  message: { limit: 5, durationMs: 48 * 3600_000 },
  /** After a menu click, a subscribe or a QR scan. */
  event: { limit: 3, durationMs: 60_000 },
} as const;

/** Events that open a window, lower-cased: WeChat spells some in capitals (SCAN, CLICK) and others not. */
export const WINDOW_OPENING_EVENTS = ["subscribe", "scan", "click", "scancode_push", "scancode_waitmsg"] as const;

export type WindowFacts = {
  lastInteraction: { at: Date; kind: "message" | "event" } | null;
  /** Custom sends WeChat accepted since the interaction. */
  used: number;
  /** WeChat's latest refusal since the interaction that speaks about the window. */
  closedBy: 45015 | 45047 | null;
};

export function meterFrom(facts: WindowFacts, now = new Date()): WindowMeter {
  const last = facts.lastInteraction;
  if (!last) return { open: false, openedBy: null, lastInteraction: null, until: null, limit: 0, used: 0, remaining: 0, closedBy: null };
  const rule = WINDOW_RULES[last.kind];
  const closesAt = new Date(last.at.getTime() + rule.durationMs);
  const open = closesAt.getTime() > now.getTime() && facts.closedBy !== 45015;
  const remaining = !open || facts.closedBy === 45047 ? 0 : Math.max(0, rule.limit - facts.used);
  return {
    open,
    openedBy: last.kind,
    lastInteraction: last.at,
    until: open ? closesAt : null,
    limit: rule.limit,
    used: facts.used,
    remaining,
    closedBy: facts.closedBy,
  };
}

export async function getWindowMeter(db: Queryable, accountId: string, openId: string, now = new Date()): Promise<WindowMeter> {
  const rows = await rawQuery<{ at: Date | null; kind: "message" | "event" | null; used: number | null; closed_by: number | null }>(
    db,
    sql`WITH last AS (
        SELECT received_at AS at, CASE WHEN msg_type = 'event' THEN 'event' ELSE 'message' END AS kind FROM message
        WHERE account_id = ${accountId} AND from_user = ${openId} AND direction = 'inbound'
          AND (msg_type <> 'event' OR lower(event) = ANY(${WINDOW_OPENING_EVENTS}::text[]))
        ORDER BY received_at DESC LIMIT 1)
      SELECT last.at, last.kind,
        (SELECT count(*)::int FROM message m WHERE m.account_id = ${accountId} AND m.direction = 'outbound' AND m.to_user = ${openId}
          AND m.send_via = 'custom' AND m.send_status = 'sent' AND m.sent_at >= last.at) AS used,
        (SELECT m.send_errcode FROM message m WHERE m.account_id = ${accountId} AND m.direction = 'outbound' AND m.to_user = ${openId}
          AND m.send_via = 'custom' AND m.send_errcode IN (45015, 45047) AND m.received_at >= last.at
          ORDER BY m.received_at DESC, m.id DESC LIMIT 1) AS closed_by
      FROM last`,
  );
  const r = rows[0];
  const facts: WindowFacts = r?.at
    ? { lastInteraction: { at: r.at, kind: r.kind! }, used: r.used ?? 0, closedBy: r.closed_by === 45015 || r.closed_by === 45047 ? r.closed_by : null }
    : { lastInteraction: null, used: 0, closedBy: null };
  return meterFrom(facts, now);
}
