import type { Queryable } from "../db";
import { WINDOW_RULES } from "../outbound/window-meter";
import { selectWaitingFollowers, type WaitingRow } from "./inbox-queries";

// The inbox: the followers whose messages wait for an answer in an open window, newest first
// (inbox-queries.ts defines "waiting"), each with this user's unread count and the window's end.

export type InboxItem = WaitingRow & {
  /** When the window the waiting message opened closes. */
  until: Date;
  leftMs: number;
};

export async function listInbox(db: Queryable, opts: { accountId: string; userId: string; now?: Date; limit?: number }): Promise<InboxItem[]> {
  const now = opts.now ?? new Date();
  const rows = await selectWaitingFollowers(db, { accountId: opts.accountId, userId: opts.userId, now, limit: opts.limit ?? 200 });
  return rows.map((r) => {
    const until = new Date(r.lastAt.getTime() + WINDOW_RULES.message.durationMs);
    return { ...r, until, leftMs: Math.max(0, until.getTime() - now.getTime()) };
  });
}
