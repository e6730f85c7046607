import { rawQuery, type Queryable } from "../db";
import type { InboundRow } from "./inbound-row";

// One statement for a whole batch: the rows travel as a single JSON document expanded by
// json_to_recordset(), so the SQL text is constant (prepared once per connection) whatever the
// batch size, and the rows cost one native JSON.stringify instead of a value conversion per
// column. The unique (account_id, dedupe_key) index makes retries and replays idempotent.

const COLUMNS: Array<[keyof InboundRow, string, string]> = [
  ["accountId", "account_id", "uuid"],
  ["msgType", "msg_type", "text"],
  ["event", "event", "text"],
  ["eventKey", "event_key", "text"],
  ["fromUser", "from_user", "text"],
  ["toUser", "to_user", "text"],
  ["msgId", "msg_id", "text"],
  ["createTime", "create_time", "int8"],
  ["content", "content", "text"],
  ["contentGrams", "content_grams", "text[]"],
  ["mediaId", "media_id", "text"],
  ["picUrl", "pic_url", "text"],
  ["format", "format", "text"],
  ["recognition", "recognition", "text"],
  ["thumbMediaId", "thumb_media_id", "text"],
  ["locationX", "location_x", "float8"],
  ["locationY", "location_y", "float8"],
  ["scale", "scale", "int4"],
  ["label", "label", "text"],
  ["title", "title", "text"],
  ["description", "description", "text"],
  ["url", "url", "text"],
  ["rawXml", "raw_xml", "text"],
  ["fields", "fields", "jsonb"],
  ["encrypted", "encrypted", "bool"],
  ["dedupeKey", "dedupe_key", "text"],
  ["replyXml", "reply_xml", "text"],
  ["receivedAt", "received_at", "timestamptz"],
];

const INSERT_SQL =
  `INSERT INTO message (direction, ${COLUMNS.map((c) => c[1]).join(", ")}) ` +
  `SELECT 'inbound', ${COLUMNS.map((c) => `r."${c[0]}"`).join(", ")} ` +
  `FROM json_to_recordset($1::json) AS r(${COLUMNS.map((c) => `"${c[0]}" ${c[2]}`).join(", ")}) ` +
  `ON CONFLICT (account_id, dedupe_key) DO NOTHING RETURNING account_id, dedupe_key`;

const REPLIES_SQL =
  `SELECT m.account_id, m.dedupe_key, m.reply_xml FROM message m ` +
  `JOIN unnest($1::uuid[], $2::text[]) AS k(account_id, dedupe_key) USING (account_id, dedupe_key)`;

export type InsertOutcome = { inserted: boolean; replyXml: string | null };

const keyOf = (accountId: string, dedupeKey: string) => `${accountId}\u0000${dedupeKey}`;

export async function insertMessages(db: Queryable, rows: InboundRow[]): Promise<InsertOutcome[]> {
  const result = await rawQuery<{ account_id: string; dedupe_key: string }>(db, {
    name: "mpdesk_insert_messages",
    text: INSERT_SQL,
    values: [JSON.stringify(rows)],
  });
  const inserted = new Set(result.map((r) => keyOf(r.account_id, r.dedupe_key)));
  const duplicates = rows.filter((r) => !inserted.has(keyOf(r.accountId, r.dedupeKey)));
  // A retry must get the first delivery's answer, so duplicates read back the stored reply.
  const replies = new Map<string, string | null>();
  if (duplicates.length) {
    const existing = await rawQuery<{ account_id: string; dedupe_key: string; reply_xml: string | null }>(db, {
      text: REPLIES_SQL,
      values: [duplicates.map((r) => r.accountId), duplicates.map((r) => r.dedupeKey)],
    });
    for (const r of existing) replies.set(keyOf(r.account_id, r.dedupe_key), r.reply_xml);
  }
  return rows.map((r) => {
    const k = keyOf(r.accountId, r.dedupeKey);
    return inserted.has(k) ? { inserted: true, replyXml: r.replyXml } : { inserted: false, replyXml: replies.get(k) ?? null };
  });
}
