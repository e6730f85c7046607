import type pg from "pg";
import { MESSAGE_DETAIL_SQL, type MessageDetail } from "./get-message";
import { splitCursor } from "./message-filters";
import { CURSOR_SQL } from "./message-query";

// One follower's conversation, oldest first: the last `limit` rows (or those before a cursor),
// what they sent and what was sent to them.

export type ThreadPage = { items: Array<MessageDetail & { cursor: string }>; earlier: string | null };

export async function listFollowerThread(db: pg.Pool, opts: { accountId: string; openId: string; before?: string; limit?: number }): Promise<ThreadPage> {
  const limit = opts.limit ?? 100;
  const params: unknown[] = [opts.accountId, opts.openId];
  let keyset = "";
  if (opts.before) {
    const { at, id } = splitCursor(opts.before);
    params.push(at, id);
    keyset = ` AND (received_at, id) < ($3::timestamptz, $4::bigint)`;
  }
  params.push(limit + 1);
  const { rows } = await db.query<MessageDetail & { cursor: string }>(
    `SELECT * FROM (${MESSAGE_DETAIL_SQL.replace("FROM message", `, ${CURSOR_SQL} AS cursor FROM message`)}
      WHERE account_id = $1 AND (from_user = $2 OR (direction = 'outbound' AND to_user = $2))${keyset}
      ORDER BY message.received_at DESC, message.id DESC LIMIT $${params.length}) t ORDER BY "receivedAt", id::bigint`,
    params,
  );
  const more = rows.length > limit;
  const items = more ? rows.slice(1) : rows;
  return { items, earlier: more ? (items[0]?.cursor ?? null) : null };
}
