import { emptySql, joinSql, param, rawQuery, rawSql, sql, type Queryable, type Sql } from "../db";
import type { InboundRow } from "./inbound-row";
import { splitCursor, type TMessageFilters } from "./message-filters";
import { termGrams } from "./search-grams";

// Every read of the message table, as raw SQL: keysets, GROUP BY over the index range and the
// gram search are what Prisma cannot say. The batch insert lives in insert-messages.ts, on the
// callback's hot path. Statements are composed from `sql` fragments; none is spliced as text.

// ---- Shared pieces ------------------------------------------------------------------------

/** received_at as UTC text with microseconds: exact, unlike a JavaScript Date. */
export const CURSOR_SQL = rawSql(`to_char(received_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') || '~' || id`);

export type Order = "ASC" | "DESC";
const orderSql = (order: Order) => rawSql(order);

/**
 * The WHERE clause every view of the log shares (list, export, live check), built once so the
 * page, the export and the benchmark run exactly the same SQL.
 */
export function messageWhere(accountId: string, filters: TMessageFilters, tz: string): Sql {
  const clauses: Sql[] = [sql`account_id = ${accountId}`];
  if (filters.type) clauses.push(sql`msg_type = ${filters.type}`);
  if (filters.event) clauses.push(sql`event = ${filters.event}`);
  if (filters.direction) clauses.push(sql`direction = ${filters.direction}::direction`);
  if (filters.openid) {
    // A follower is the sender of inbound rows and the recipient of outbound ones; the second
    // branch matches the partial index message_outbound_to_user_idx.
    const v = param(filters.openid);
    clauses.push(sql`(from_user = ${v} OR (direction = 'outbound' AND to_user = ${v}))`);
  }
  // Calendar days in the viewer's time zone, converted by PostgreSQL (DST-safe).
  if (filters.from) clauses.push(sql`received_at >= (${filters.from}::date)::timestamp AT TIME ZONE ${tz}`);
  if (filters.to) clauses.push(sql`received_at < ((${filters.to}::date + 1)::timestamp AT TIME ZONE ${tz})`);
  if (filters.q) {
    // Candidates through the GIN index on character grams, then an exact substring check.
    clauses.push(sql`content_grams @> ${termGrams(filters.q)}::text[] AND strpos(lower(content), lower(${filters.q})) > 0`);
  }
  return joinSql(clauses, " AND ");
}

/** Rows strictly past a cursor: older ones for "<" (newest-first pages), newer ones for ">". */
export function keysetPast(cursor: string | null, direction: "<" | ">"): Sql {
  if (!cursor) return emptySql;
  const { at, id } = splitCursor(cursor);
  return direction === ">"
    ? sql` AND (received_at, id) > (${at}::timestamptz, ${id}::bigint)`
    : sql` AND (received_at, id) < (${at}::timestamptz, ${id}::bigint)`;
}

// ---- One message, every column -------------------------------------------------------------

// Ids as strings: 64-bit values never pass through a JavaScript number (MsgId is text, id and
// CreateTime are read as ::text). Columns are aliased to the domain's names, so rows need no mapper.

export type MessageDetail = Omit<InboundRow, "dedupeKey" | "receivedAt" | "fields"> & {
  id: string;
  direction: "inbound" | "outbound";
  fields: Record<string, unknown>;
  receivedAt: Date;
};

const DETAIL_COLUMNS = rawSql(`id::text AS "id", account_id AS "accountId", direction, msg_type AS "msgType", event, event_key AS "eventKey",
  from_user AS "fromUser", to_user AS "toUser", msg_id AS "msgId", create_time::text AS "createTime", content, media_id AS "mediaId",
  pic_url AS "picUrl", format, recognition, thumb_media_id AS "thumbMediaId", location_x AS "locationX", location_y AS "locationY",
  scale, label, title, description, url, raw_xml AS "rawXml", fields, encrypted, reply_xml AS "replyXml", received_at AS "receivedAt"`);

export async function selectMessage(db: Queryable, accountId: string, id: string): Promise<MessageDetail | null> {
  const rows = await rawQuery<MessageDetail>(db, sql`SELECT ${DETAIL_COLUMNS} FROM message WHERE account_id = ${accountId} AND id = ${id}::bigint`);
  return rows[0] ?? null;
}

export type MessageDetailWithCursor = MessageDetail & { cursor: string };

/** One export batch: every column and the cursor, newest first, after `cursor`. */
export async function selectExportBatch(db: Queryable, where: Sql, cursor: string | null, limit: number): Promise<MessageDetailWithCursor[]> {
  return rawQuery<MessageDetailWithCursor>(
    db,
    sql`SELECT ${DETAIL_COLUMNS}, ${CURSOR_SQL} AS cursor FROM message WHERE ${where}${keysetPast(cursor, "<")}
        ORDER BY message.received_at DESC, message.id DESC LIMIT ${limit}`,
  );
}

/** A follower's last `limit` rows before `before`, what they sent and what was sent to them, oldest first. */
export async function selectFollowerThread(
  db: Queryable,
  accountId: string,
  openId: string,
  before: string | null,
  limit: number,
): Promise<MessageDetailWithCursor[]> {
  const v = param(openId);
  return rawQuery<MessageDetailWithCursor>(
    db,
    sql`SELECT * FROM (SELECT ${DETAIL_COLUMNS}, ${CURSOR_SQL} AS cursor FROM message
      WHERE account_id = ${accountId} AND (from_user = ${v} OR (direction = 'outbound' AND to_user = ${v}))${keysetPast(before, "<")}
      ORDER BY message.received_at DESC, message.id DESC LIMIT ${limit}) t ORDER BY "receivedAt", id::bigint`,
  );
}

// ---- The log's list ------------------------------------------------------------------------

export type MessageListItem = Pick<
  MessageDetail,
  "id" | "direction" | "msgType" | "event" | "eventKey" | "fromUser" | "toUser" | "msgId" | "encrypted" | "receivedAt"
> & {
  preview: string | null;
  hasReply: boolean;
  cursor: string;
};

type ListRow = {
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

const toListItem = (r: ListRow): MessageListItem => ({
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
});

// What the table shows for each kind of row: the text, a voice message's transcript, a
// location's label, a link's title, an event's key.
const PREVIEW_SQL = rawSql(`left(coalesce(content, recognition, label, title, event_key, pic_url), 160)`);

const LIST_COLUMNS = sql`id::text, direction, msg_type, event, event_key, from_user, to_user, msg_id, ${PREVIEW_SQL} AS preview,
  encrypted, reply_xml IS NOT NULL AS has_reply, received_at, ${CURSOR_SQL} AS cursor`;

/** One keyset page of list rows: newest first past `cursor`, or oldest first for a newer page. */
export async function selectListPage(db: Queryable, where: Sql, cursor: string | null, newerPage: boolean, limit: number): Promise<MessageListItem[]> {
  const order = orderSql(newerPage ? "ASC" : "DESC");
  return rawQuery(
    db,
    // Qualified: a bare "id" in ORDER BY would mean the output column id::text, sorting "92" after "130".
    sql`SELECT ${LIST_COLUMNS} FROM message WHERE ${where}${keysetPast(cursor, newerPage ? ">" : "<")} ORDER BY message.received_at ${order}, message.id ${order} LIMIT ${limit}`,
    toListItem,
  );
}

/**
 * The search's first step: the `window` rows (of `where`) past `cursor`, checked by plain
 * substring for `q`. Says how many it scanned and the cursor of the last one, where the index
 * takes over when the window did not fill the page.
 */
export async function selectSearchWindow(
  db: Queryable,
  where: Sql,
  q: string,
  cursor: string | null,
  newerPage: boolean,
  window: number,
  limit: number,
): Promise<{ found: MessageListItem[]; scanned: number; edge: string | null }> {
  const order = orderSql(newerPage ? "ASC" : "DESC");
  const back = orderSql(newerPage ? "DESC" : "ASC");
  const rows = await rawQuery<ListRow & { scanned: number; edge: string | null }>(
    db,
    sql`WITH recent AS MATERIALIZED (
       SELECT * FROM message WHERE ${where}${keysetPast(cursor, newerPage ? ">" : "<")} ORDER BY received_at ${order}, id ${order} LIMIT ${window}
     ), meta AS (
       SELECT count(*)::int AS scanned,
              (SELECT ${CURSOR_SQL} FROM recent ORDER BY recent.received_at ${back}, recent.id ${back} LIMIT 1) AS edge
         FROM recent
     )
     SELECT meta.scanned, meta.edge, m.* FROM meta LEFT JOIN LATERAL (
       SELECT ${LIST_COLUMNS} FROM recent WHERE strpos(lower(content), lower(${q})) > 0
        ORDER BY recent.received_at ${order}, recent.id ${order} LIMIT ${limit}
     ) m ON true`,
  );
  const meta = rows[0]!;
  return { found: rows.filter((r) => r.id !== null).map(toListItem), scanned: meta.scanned, edge: meta.edge };
}

/** The newest row's cursor for `where`. */
export async function selectNewestCursor(db: Queryable, where: Sql): Promise<string | null> {
  const rows = await rawQuery<{ cursor: string }>(
    db,
    sql`SELECT ${CURSOR_SQL} AS cursor FROM message WHERE ${where} ORDER BY received_at DESC, id DESC LIMIT 1`,
  );
  return rows[0]?.cursor ?? null;
}

/** The account's newest row, for the callback's status: when the last message came. */
export async function selectNewestMessage(db: Queryable, accountId: string): Promise<{ id: string; receivedAt: Date } | null> {
  const rows = await rawQuery<{ id: string; receivedAt: Date }>(
    db,
    sql`SELECT received_at AS "receivedAt", id::text FROM message WHERE account_id = ${accountId} ORDER BY message.received_at DESC, message.id DESC LIMIT 1`,
  );
  return rows[0] ?? null;
}

// ---- Counts and windows --------------------------------------------------------------------

/** Messages per local day and type since the start of the day `days - 1` days ago, in `tz`. */
export async function selectDailyTypeCounts(
  db: Queryable,
  accountId: string,
  tz: string,
  days: number,
): Promise<Array<{ day: string; msgType: string; n: number }>> {
  const zone = param(tz);
  return rawQuery(
    db,
    sql`WITH bounds AS (SELECT (date_trunc('day', now() AT TIME ZONE ${zone}) - make_interval(days => ${days}::int - 1)) AS start_local)
     SELECT to_char(date_trunc('day', received_at AT TIME ZONE ${zone}), 'YYYY-MM-DD') AS day, msg_type AS "msgType", count(*)::int AS n
       FROM message, bounds
      WHERE account_id = ${accountId} AND received_at >= bounds.start_local AT TIME ZONE ${zone}
      GROUP BY 1, 2`,
  );
}

/** The follower's last inbound message, or event among `openingEvents` (lower-cased). */
export async function selectLastInteraction(db: Queryable, accountId: string, openId: string, openingEvents: readonly string[]): Promise<Date | null> {
  const rows = await rawQuery<{ last: Date | null }>(
    db,
    sql`SELECT max(received_at) AS last FROM message
      WHERE account_id = ${accountId} AND from_user = ${openId} AND direction = 'inbound'
        AND (msg_type <> 'event' OR lower(event) = ANY(${openingEvents}::text[]))`,
  );
  return rows[0]?.last ?? null;
}
