import { rawQuery, sql, type Queryable } from "../db";
import { selectNewestMessage } from "../messages/message-queries";

// What the console says about the callback: did WeChat verify the URL, and when; what was
// refused lately; when the last message came. Read from the counters in callback_event and from
// message.

export type CallbackEventView = { id: string; at: Date; method: string; outcome: string; reason: string | null; status: number };

export type CallbackStatus = {
  lastVerifiedAt: Date | null;
  /** The latest verified handshake. Only a verified one counts: anyone can send a refused GET. */
  lastHandshake: CallbackEventView | null;
  /**
   * The latest refused handshake (GET) for this account, or one that could not name an account.
   * A hint while the URL was never verified (a Token that differs); it never replaces lastHandshake.
   */
  lastRefusedHandshake: CallbackEventView | null;
  lastMessageAt: Date | null;
  refused24h: number;
  /** Changes whenever anything above may have: the live view polls it. */
  version: string;
};

type EventRow = { id: string; last_at: Date; method: string; outcome: string; reason: string; status: number; count: number };
const view = (r: EventRow | undefined): CallbackEventView | null =>
  r ? { id: r.id, at: r.last_at, method: r.method, outcome: r.outcome, reason: r.reason || null, status: r.status } : null;

export async function getCallbackStatus(db: Queryable, accountId: string): Promise<CallbackStatus> {
  const [verified, refusedGet, message, refused] = await Promise.all([
    rawQuery<EventRow>(
      db,
      sql`SELECT id::text, last_at, method, outcome, reason, status, count FROM callback_event
        WHERE account_id = ${accountId} AND outcome = 'verified' ORDER BY last_at DESC, id DESC LIMIT 1`,
    ),
    rawQuery<EventRow>(
      db,
      sql`SELECT id::text, last_at, method, outcome, reason, status, count FROM callback_event
        WHERE (account_id = ${accountId} OR account_id IS NULL) AND method = 'GET' AND outcome <> 'verified'
        ORDER BY last_at DESC, id DESC LIMIT 1`,
    ),
    selectNewestMessage(db, accountId),
    rawQuery<{ n: number; last: Date | null }>(
      db,
      sql`SELECT COALESCE(sum(count), 0)::int AS n, max(last_at) AS last FROM callback_event
        WHERE outcome = 'refused' AND last_at > now() - interval '24 hours' AND (account_id = ${accountId} OR account_id IS NULL)`,
    ),
  ]);
  const h = view(verified[0]);
  const r = view(refusedGet[0]);
  const n = refused[0]?.n ?? 0;
  return {
    lastVerifiedAt: h?.at ?? null,
    lastHandshake: h,
    lastRefusedHandshake: r,
    lastMessageAt: message?.receivedAt ?? null,
    refused24h: n,
    version: [h?.at.getTime() ?? "", r?.at.getTime() ?? "", message?.id ?? "", n].join(":"),
  };
}
