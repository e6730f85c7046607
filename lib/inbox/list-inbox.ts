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

export type InboxPage = { items: InboxItem[]; /** The cursor of the next page, when there is one. */ older: string | null };

export const INBOX_PAGE_SIZE = 50;

/** One page of the inbox; `before` is the previous page's `older`. */
export async function listInbox(db: Queryable, opts: { accountId: string; userId: string; now?: Date; limit?: number; before?: string }): Promise<InboxPage> {
  const now = opts.now ?? new Date();
  const limit = opts.limit ?? INBOX_PAGE_SIZE;
  const rows = await selectWaitingFollowers(db, { accountId: opts.accountId, userId: opts.userId, now, limit: limit + 1, before: opts.before });
  const items = rows.slice(0, limit).map((r) => {
    const until = new Date(r.lastAt.getTime() + WINDOW_RULES.message.durationMs);
    return { ...r, until, leftMs: Math.max(0, until.getTime() - now.getTime()) };
  });
  return { items, older: rows.length > limit ? items.at(-1)!.cursor : null };
}
