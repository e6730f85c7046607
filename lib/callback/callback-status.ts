import type pg from "pg";

// What the console says about the callback: did WeChat verify the URL, and when; what was
// refused lately; when the last message came. Read from callback_event and message.

export type CallbackEventView = { id: string; at: Date; method: string; outcome: string; reason: string | null; status: number };

export type CallbackStatus = {
  lastVerifiedAt: Date | null;
  /** The latest handshake (GET) for this account, or one that could not name an account. */
  lastHandshake: CallbackEventView | null;
  lastMessageAt: Date | null;
  refused24h: number;
  /** Changes whenever anything above may have: the live view polls it. */
  version: string;
};

export async function getCallbackStatus(db: pg.Pool, accountId: string): Promise<CallbackStatus> {
  const [verified, handshake, message, refused] = await Promise.all([
    db.query<{ created_at: Date }>(
      `SELECT created_at FROM callback_event WHERE account_id = $1 AND outcome = 'verified' ORDER BY created_at DESC LIMIT 1`,
      [accountId],
    ),
    db.query<{ id: string; created_at: Date; method: string; outcome: string; reason: string | null; status: number }>(
      `SELECT id::text, created_at, method, outcome, reason, status FROM callback_event
        WHERE (account_id = $1 OR account_id IS NULL) AND method = 'GET' ORDER BY callback_event.created_at DESC, callback_event.id DESC LIMIT 1`,
      [accountId],
    ),
    db.query<{ received_at: Date; id: string }>(
      `SELECT received_at, id::text FROM message WHERE account_id = $1 ORDER BY message.received_at DESC, message.id DESC LIMIT 1`,
      [accountId],
    ),
    db.query<{ n: number; last: string | null }>(
      `SELECT count(*)::int AS n, max(id)::text AS last FROM callback_event
        WHERE outcome = 'refused' AND created_at > now() - interval '24 hours' AND (account_id = $1 OR account_id IS NULL)`,
      [accountId],
    ),
  ]);
  const h = handshake.rows[0];
  return {
    lastVerifiedAt: verified.rows[0]?.created_at ?? null,
    lastHandshake: h ? { id: h.id, at: h.created_at, method: h.method, outcome: h.outcome, reason: h.reason, status: h.status } : null,
    lastMessageAt: message.rows[0]?.received_at ?? null,
    refused24h: refused.rows[0]?.n ?? 0,
    version: [h?.id ?? "", message.rows[0]?.id ?? "", refused.rows[0]?.last ?? ""].join(":"),
  };
}
