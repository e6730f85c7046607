import type { Queryable } from "../db";
import type { TMessageFilters, TPageCursor } from "./message-filters";
import { messageWhere, selectListPage, selectNewestCursor, selectSearchWindow, type MessageListItem } from "./message-queries";

export type { MessageListItem } from "./message-queries";

// One page of the log, newest first, by keyset on (received_at, id): the index
// message_account_id_received_at_id_idx serves page 1 and page 10 000 alike, where OFFSET
// would read and discard every row before the page.

export type MessagePage = { items: MessageListItem[]; newer: string | null; older: string | null };

export const PAGE_SIZE = 50;

// A content search first reads this many of the newest rows in order: a common term fills
// the page from them. Only a rarer term goes on to the GIN index, whose matches are then few.
// (Left to itself the planner misjudges: it multiplies the grams' frequencies as if they were
// independent, estimates one match for "refund", and fetches all 27 000 of them to sort.)
export const SEARCH_WINDOW = 10_000;

export async function listMessages(
  db: Queryable,
  opts: { accountId: string; filters: TMessageFilters; cursor?: TPageCursor; tz?: string; limit?: number },
): Promise<MessagePage> {
  const limit = opts.limit ?? PAGE_SIZE;
  const newerPage = !!opts.cursor?.after && !opts.cursor.before;
  const c = opts.cursor?.before ?? opts.cursor?.after ?? null;
  const tz = opts.tz ?? "UTC";
  const items = opts.filters.q
    ? await searchRows(db, opts.accountId, opts.filters, tz, c, newerPage, limit + 1)
    : await selectListPage(db, messageWhere(opts.accountId, opts.filters, tz), c, newerPage, limit + 1);
  const more = items.length > limit;
  const page = items.slice(0, limit);
  if (newerPage) page.reverse();
  const first = page[0]?.cursor ?? null;
  const last = page.at(-1)?.cursor ?? null;
  if (newerPage) return { items: page, newer: more ? first : null, older: last };
  return { items: page, newer: c ? first : null, older: more ? last : null };
}

async function searchRows(
  db: Queryable,
  accountId: string,
  filters: TMessageFilters,
  tz: string,
  c: string | null,
  newerPage: boolean,
  n: number,
): Promise<MessageListItem[]> {
  const { q, ...rest } = filters;
  // 1. The newest SEARCH_WINDOW rows (of the other filters), checked by plain substring.
  const { found, scanned, edge } = await selectSearchWindow(db, messageWhere(accountId, rest, tz), q!, c, newerPage, SEARCH_WINDOW, n);
  if (found.length >= n || scanned < SEARCH_WINDOW || !edge) return found;
  // 2. Beyond the window: the index on character grams finds the (now few) candidates.
  return found.concat(await selectListPage(db, messageWhere(accountId, filters, tz), edge, newerPage, n - found.length));
}

/** The newest row's cursor for these filters: the live view polls this to know when to refresh. */
export async function getNewestCursor(db: Queryable, opts: { accountId: string; filters: TMessageFilters; tz?: string }): Promise<string | null> {
  return selectNewestCursor(db, messageWhere(opts.accountId, opts.filters, opts.tz ?? "UTC"));
}
