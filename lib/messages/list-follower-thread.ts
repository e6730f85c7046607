import type { Queryable } from "../db";
import { selectFollowerThread, type MessageDetailWithCursor } from "./message-queries";

// One follower's conversation, oldest first: the last `limit` rows (or those before a cursor),
// what they sent and what was sent to them.

export type ThreadPage = { items: MessageDetailWithCursor[]; earlier: string | null };

export async function listFollowerThread(db: Queryable, opts: { accountId: string; openId: string; before?: string; limit?: number }): Promise<ThreadPage> {
  const limit = opts.limit ?? 100;
  const rows = await selectFollowerThread(db, opts.accountId, opts.openId, opts.before ?? null, limit + 1);
  const more = rows.length > limit;
  const items = more ? rows.slice(1) : rows;
  return { items, earlier: more ? (items[0]?.cursor ?? null) : null };
}
