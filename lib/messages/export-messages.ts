import type { Queryable } from "../db";
import type { TMessageFilters } from "./message-filters";
import { messageWhere, selectExportBatch, type MessageDetail } from "./message-queries";

// Every message matching the log's filters, newest first, in keyset batches: memory stays flat
// however many rows there are, and the response streams as the batches arrive.

export async function* exportMessages(
  db: Queryable,
  opts: { accountId: string; filters: TMessageFilters; tz: string; batchSize?: number },
): AsyncGenerator<MessageDetail[]> {
  const batchSize = opts.batchSize ?? 1000;
  const where = messageWhere(opts.accountId, opts.filters, opts.tz);
  let cursor: string | null = null;
  for (;;) {
    const rows = await selectExportBatch(db, where, cursor, batchSize);
    if (!rows.length) return;
    yield rows;
    if (rows.length < batchSize) return;
    cursor = rows[rows.length - 1]!.cursor;
  }
}

export const CSV_COLUMNS: Array<keyof MessageDetail> = [
  "id",
  "receivedAt",
  "direction",
  "msgType",
  "event",
  "eventKey",
  "fromUser",
  "toUser",
  "msgId",
  "createTime",
  "content",
  "mediaId",
  "picUrl",
  "format",
  "recognition",
  "thumbMediaId",
  "locationX",
  "locationY",
  "scale",
  "label",
  "title",
  "description",
  "url",
  "encrypted",
];

// The header names the columns as the database does: receivedAt → received_at.
const CSV_HEADER = CSV_COLUMNS.map((c) => c.replace(/[A-Z]/g, (ch) => "_" + ch.toLowerCase()));

// Followers write the content. A cell a spreadsheet could read as a formula gets a leading single
// quote (OWASP's advice): one starting with = + - @ TAB or CR, also after leading whitespace
// (spreadsheets trim it on import), and their fullwidth and small forms, which some spreadsheets
// with CJK input normalise to the ASCII ones.
const FORMULA_START = /^[\s\u200b\ufeff]*[=+\-@\t\r\uff1d\uff0b\uff0d\uff20\ufe62\ufe63\ufe66\ufe6b]/;

function csvCell(value: unknown): string {
  if (value === null || value === undefined) return "";
  let s = value instanceof Date ? value.toISOString() : String(value);
  if (FORMULA_START.test(s)) s = `'${s}`;
  // Quoted when holding either separator: a `;` locale reads the file with `;` between cells.
  return /[",;\t\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
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
