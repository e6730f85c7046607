import type pg from "pg";
import { MESSAGE_DETAIL_SQL, type MessageDetail } from "./get-message";
import { splitCursor, type TMessageFilters } from "./message-filters";
import { buildMessageWhere, CURSOR_SQL } from "./message-query";

// Every message matching the log's filters, newest first, in keyset batches: memory stays flat
// however many rows there are, and the response streams as the batches arrive.

export async function* exportMessages(db: pg.Pool, opts: { accountId: string; filters: TMessageFilters; tz: string; batchSize?: number }): AsyncGenerator<MessageDetail[]> {
  const batchSize = opts.batchSize ?? 1000;
  let cursor: string | null = null;
  for (;;) {
    const { where, params } = buildMessageWhere(opts.accountId, opts.filters, opts.tz);
    let keyset = "";
    if (cursor) {
      const { at, id } = splitCursor(cursor);
      params.push(at, id);
      keyset = ` AND (received_at, id) < ($${params.length - 1}::timestamptz, $${params.length}::bigint)`;
    }
    params.push(batchSize);
    const { rows } = await db.query<MessageDetail & { cursor: string }>(
      `${MESSAGE_DETAIL_SQL.replace("FROM message", `, ${CURSOR_SQL} AS cursor FROM message`)} WHERE ${where}${keyset}
        ORDER BY message.received_at DESC, message.id DESC LIMIT $${params.length}`,
      params,
    );
    if (!rows.length) return;
    yield rows;
    if (rows.length < batchSize) return;
    cursor = rows[rows.length - 1]!.cursor;
  }
}

export const CSV_COLUMNS: Array<keyof MessageDetail> = [
  "id", "receivedAt", "direction", "msgType", "event", "eventKey", "fromUser", "toUser", "msgId", "createTime", "content",
  "mediaId", "picUrl", "format", "recognition", "thumbMediaId", "locationX", "locationY", "scale", "label", "title",
  "description", "url", "encrypted",
];

const CSV_HEADER = ["id", "received_at", "direction", "msg_type", "event", "event_key", "from_user", "to_user", "msg_id", "create_time", "content", "media_id", "pic_url", "format", "recognition", "thumb_media_id", "location_x", "location_y", "scale", "label", "title", "description", "url", "encrypted"];

function csvCell(value: unknown): string {
  if (value === null || value === undefined) return "";
  let s = value instanceof Date ? value.toISOString() : String(value);
  // Followers write the content: a cell starting with = + - @ would run as a formula in Excel.
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** UTF-8 with a byte-order mark, so Excel opens Chinese text correctly. */
export function csvHeaderLine(): string {
  return "\uFEFF" + CSV_HEADER.join(",") + "\r\n";
}

export function toCsvLines(rows: MessageDetail[]): string {
  return rows.map((r) => CSV_COLUMNS.map((c) => csvCell(r[c])).join(",") + "\r\n").join("");
}

export function toNdjsonLines(rows: MessageDetail[]): string {
  return rows
    .map((r) => {
      const { cursor: _cursor, ...row } = r as MessageDetail & { cursor?: string };
      return JSON.stringify({ ...row, receivedAt: r.receivedAt.toISOString() }) + "\n";
    })
    .join("");
}
