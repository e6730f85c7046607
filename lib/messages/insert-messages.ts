import { rawQuery, type Queryable } from "../db";
import type { InboundRow } from "./inbound-row";

// One statement for a whole batch: the rows travel as a single JSON document expanded by
// json_to_recordset(), so the SQL text is constant (prepared once per connection) whatever the
// batch size, and the rows cost one native JSON.stringify instead of a value conversion per
// column. The unique (account_id, dedupe_key) index makes retries and replays idempotent.
//
// A message answered with a passive reply gets its outbound row in the same statement
// ('reply:<inbound id>'): stored together or not at all, so the thread never lacks what was sent
// back, and a retried delivery (no new inbound row) adds no second one.

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

const RECORDSET = `json_to_recordset($1::json) AS r(${COLUMNS.map((c) => `"${c[0]}" ${c[2]}`).join(", ")}, "answer" jsonb)`;

// The reply's rule may have been deleted since the decision: its row then names no rule rather
// than fail the batch on the foreign key.
const INSERT_SQL =
  `WITH r AS (SELECT * FROM ${RECORDSET}), ` +
  `ins AS (INSERT INTO message (direction, ${COLUMNS.map((c) => c[1]).join(", ")}) ` +
  `SELECT 'inbound', ${COLUMNS.map((c) => `r."${c[0]}"`).join(", ")} FROM r ` +
  `ON CONFLICT (account_id, dedupe_key) DO NOTHING RETURNING id, account_id, dedupe_key), ` +
  `replies AS (INSERT INTO message (direction, account_id, msg_type, from_user, to_user, content, content_grams, media_id, thumb_media_id, ` +
  `title, description, url, pic_url, raw_xml, fields, dedupe_key, received_at, send_via, send_source, send_status, rule_id, in_reply_to, sent_at) ` +
  `SELECT 'outbound', ins.account_id, p->>'msgType', r."toUser", r."fromUser", p->>'content', ` +
  `CASE WHEN jsonb_typeof(p->'contentGrams') = 'array' THEN ARRAY(SELECT jsonb_array_elements_text(p->'contentGrams')) END, ` +
  `p->>'mediaId', p->>'thumbMediaId', p->>'title', p->>'description', p->>'url', p->>'picUrl', r."replyXml", p->'body', ` +
  `'reply:' || ins.id, r."receivedAt", 'passive', 'rule', 'sent', ` +
  `(SELECT rr.id FROM reply_rule rr WHERE rr.id = (r.answer->>'ruleId')::uuid), ins.id, r."receivedAt" ` +
  `FROM ins JOIN r ON r."accountId" = ins.account_id AND r."dedupeKey" = ins.dedupe_key ` +
  `CROSS JOIN LATERAL (SELECT r.answer->'passive' AS p) a ` +
  `WHERE r."replyXml" IS NOT NULL AND jsonb_typeof(a.p) = 'object' ` +
  `ON CONFLICT (account_id, dedupe_key) DO NOTHING) ` +
  `SELECT id::text AS id, account_id, dedupe_key FROM ins`;

const REPLIES_SQL =
  `SELECT m.id::text AS id, m.account_id, m.dedupe_key, m.reply_xml FROM message m ` +
  `JOIN unnest($1::uuid[], $2::text[]) AS k(account_id, dedupe_key) USING (account_id, dedupe_key)`;

/** `id`: the message's row, new or the first delivery's (null only if it vanished since). */
export type InsertOutcome = { inserted: boolean; replyXml: string | null; id: string | null };

const keyOf = (accountId: string, dedupeKey: string) => `${accountId}\u0000${dedupeKey}`;

export async function insertMessages(db: Queryable, rows: InboundRow[]): Promise<InsertOutcome[]> {
  const result = await rawQuery<{ id: string; account_id: string; dedupe_key: string }>(db, {
    name: "mpdesk_insert_messages",
    text: INSERT_SQL,
    values: [JSON.stringify(rows)],
  });
  const inserted = new Map(result.map((r) => [keyOf(r.account_id, r.dedupe_key), r.id]));
  const duplicates = rows.filter((r) => !inserted.has(keyOf(r.accountId, r.dedupeKey)));
  // A retry must get the first delivery's answer, so duplicates read back the stored reply.
  const existing = new Map<string, { id: string; replyXml: string | null }>();
  if (duplicates.length) {
    const found = await rawQuery<{ id: string; account_id: string; dedupe_key: string; reply_xml: string | null }>(db, {
      text: REPLIES_SQL,
      values: [duplicates.map((r) => r.accountId), duplicates.map((r) => r.dedupeKey)],
    });
    for (const r of found) existing.set(keyOf(r.account_id, r.dedupe_key), { id: r.id, replyXml: r.reply_xml });
  }
  return rows.map((r) => {
    const k = keyOf(r.accountId, r.dedupeKey);
    const id = inserted.get(k);
    if (id !== undefined) return { inserted: true, replyXml: r.replyXml, id };
    const first = existing.get(k);
    return { inserted: false, replyXml: first?.replyXml ?? null, id: first?.id ?? null };
  });
}
