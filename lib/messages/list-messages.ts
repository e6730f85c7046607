import type pg from "pg";
import type { MessageDetail } from "./get-message";
import { splitCursor, type TMessageFilters, type TPageCursor } from "./message-filters";
import { buildMessageWhere, CURSOR_SQL } from "./message-query";

type Db = pg.Pool | pg.PoolClient;

// One page of the log, newest first, by keyset on (received_at, id): the index
// message_account_id_received_at_id_idx serves page 1 and page 10 000 alike, where OFFSET
// would read and discard every row before the page.

export type MessageListItem = Pick<MessageDetail, "id" | "direction" | "msgType" | "event" | "eventKey" | "fromUser" | "toUser" | "msgId" | "encrypted" | "receivedAt"> & {
  preview: string | null;
  hasReply: boolean;
  cursor: string;
};

export type MessagePage = { items: MessageListItem[]; newer: string | null; older: string | null };

export const PAGE_SIZE = 50;

type Row = {
  id: string;
  direction: "inbound" | "outbound";
  msg_type: string;
  event: string | null;
  event_key: string | null;
  from_user: string;
  to_user: string;
  msg_id: string | null;
  preview: string | null;
  encrypted: boolean;
  has_reply: boolean;
  received_at: Date;
  cursor: string;
};

// What the table shows for each kind of row: the text, a voice message's transcript, a
// location's label, a link's title, an event's key.
const PREVIEW_SQL = `left(coalesce(content, recognition, label, title, event_key, pic_url), 160)`;

const SELECT_COLUMNS = `id::text, direction, msg_type, event, event_key, from_user, to_user, msg_id, ${PREVIEW_SQL} AS preview,
  encrypted, reply_xml IS NOT NULL AS has_reply, received_at, ${CURSOR_SQL} AS cursor`;

// A content search first reads this many of the newest rows in order: a common term fills
// the page from them. Only a rarer term goes on to the GIN index, whose matches are then few.
// (Left to itself the planner misjudges: it multiplies the grams' frequencies as if they were
// independent, estimates one match for "refund", and fetches all 27 000 of them to sort.)
export const SEARCH_WINDOW = 10_000;

export async function listMessages(
  db: pg.Pool | pg.PoolClient,
  opts: { accountId: string; filters: TMessageFilters; cursor?: TPageCursor; tz?: string; limit?: number },
): Promise<MessagePage> {
  const limit = opts.limit ?? PAGE_SIZE;
  const newerPage = !!opts.cursor?.after && !opts.cursor.before;
  const c = opts.cursor?.before ?? opts.cursor?.after ?? null;
  const rows = opts.filters.q
    ? await searchRows(db, opts.accountId, opts.filters, opts.tz ?? "UTC", c, newerPage, limit + 1)
    : await pageRows(db, opts.accountId, opts.filters, opts.tz ?? "UTC", c, newerPage, limit + 1);
  const more = rows.length > limit;
  const page = rows.slice(0, limit);
  if (newerPage) page.reverse();
  const items = page.map(toItem);
  const first = items[0]?.cursor ?? null;
  const last = items.at(-1)?.cursor ?? null;
  if (newerPage) return { items, newer: more ? first : null, older: last };
  return { items, newer: c ? first : null, older: more ? last : null };
}

function keysetClause(params: unknown[], c: string | null, newerPage: boolean): string {
  if (!c) return "";
  const { at, id } = splitCursor(c);
  params.push(at, id);
  return ` AND (received_at, id) ${newerPage ? ">" : "<"} ($${params.length - 1}::timestamptz, $${params.length}::bigint)`;
}

async function pageRows(db: Db, accountId: string, filters: TMessageFilters, tz: string, c: string | null, newerPage: boolean, n: number): Promise<Row[]> {
  const { where, params } = buildMessageWhere(accountId, filters, tz);
  const keyset = keysetClause(params, c, newerPage);
  params.push(n);
  const order = newerPage ? "ASC" : "DESC";
  const { rows } = await db.query<Row>(
    // Qualified: a bare "id" in ORDER BY would mean the output column id::text, sorting "92" after "130".
    `SELECT ${SELECT_COLUMNS} FROM message WHERE ${where}${keyset} ORDER BY message.received_at ${order}, message.id ${order} LIMIT $${params.length}`,
    params,
  );
  return rows;
}

async function searchRows(db: Db, accountId: string, filters: TMessageFilters, tz: string, c: string | null, newerPage: boolean, n: number): Promise<Row[]> {
  const { q, ...rest } = filters;
  const order = newerPage ? "ASC" : "DESC";
  // 1. The newest SEARCH_WINDOW rows (of the other filters), checked by plain substring.
  const { where, params } = buildMessageWhere(accountId, rest, tz);
  const keyset = keysetClause(params, c, newerPage);
  params.push(SEARCH_WINDOW, q, n);
  const w = params.length - 2;
  const { rows } = await db.query<Row & { scanned: number; edge: string | null }>(
    `WITH recent AS MATERIALIZED (
       SELECT * FROM message WHERE ${where}${keyset} ORDER BY received_at ${order}, id ${order} LIMIT $${w}
     ), meta AS (
       SELECT count(*)::int AS scanned,
              (SELECT ${CURSOR_SQL} FROM recent ORDER BY recent.received_at ${order === "DESC" ? "ASC" : "DESC"}, recent.id ${order === "DESC" ? "ASC" : "DESC"} LIMIT 1) AS edge
         FROM recent
     )
     SELECT meta.scanned, meta.edge, m.* FROM meta LEFT JOIN LATERAL (
       SELECT ${SELECT_COLUMNS} FROM recent WHERE strpos(lower(content), lower($${w + 1})) > 0
        ORDER BY recent.received_at ${order}, recent.id ${order} LIMIT $${w + 2}
     ) m ON true`,
    params,
  );
  const meta = rows[0]!;
  const found: Row[] = rows.filter((r) => r.id !== null);
  if (found.length >= n || meta.scanned < SEARCH_WINDOW || !meta.edge) return found;
  // 2. Beyond the window: the index on character grams finds the (now few) candidates.
  return found.concat(await pageRows(db, accountId, filters, tz, meta.edge, newerPage, n - found.length));
}

function toItem(r: Row): MessageListItem {
  return {
    id: r.id,
    direction: r.direction,
    msgType: r.msg_type,
    event: r.event,
    eventKey: r.event_key,
    fromUser: r.from_user,
    toUser: r.to_user,
    msgId: r.msg_id,
    preview: r.preview,
    encrypted: r.encrypted,
    hasReply: r.has_reply,
    receivedAt: r.received_at,
    cursor: r.cursor,
  };
}

/** The newest row's cursor for these filters: the live view polls this to know when to refresh. */
export async function getNewestCursor(db: pg.Pool | pg.PoolClient, opts: { accountId: string; filters: TMessageFilters; tz?: string }): Promise<string | null> {
  const { where, params } = buildMessageWhere(opts.accountId, opts.filters, opts.tz ?? "UTC");
  const { rows } = await db.query<{ cursor: string }>(
    `SELECT ${CURSOR_SQL} AS cursor FROM message WHERE ${where} ORDER BY received_at DESC, id DESC LIMIT 1`,
    params,
  );
  return rows[0]?.cursor ?? null;
}
