import type pg from "pg";
import type { InboundRow } from "./inbound-row";

// One stored message with every column, ids as strings (64-bit values never pass through a
// JavaScript number: MsgId is text, id and CreateTime are read as ::text).

export type MessageDetail = Omit<InboundRow, "dedupeKey" | "receivedAt" | "fields"> & {
  id: string;
  direction: "inbound" | "outbound";
  fields: Record<string, unknown>;
  receivedAt: Date;
};

export const MESSAGE_DETAIL_SQL = `SELECT id::text AS "id", account_id AS "accountId", direction, msg_type AS "msgType", event, event_key AS "eventKey",
  from_user AS "fromUser", to_user AS "toUser", msg_id AS "msgId", create_time::text AS "createTime", content, media_id AS "mediaId",
  pic_url AS "picUrl", format, recognition, thumb_media_id AS "thumbMediaId", location_x AS "locationX", location_y AS "locationY",
  scale, label, title, description, url, raw_xml AS "rawXml", fields, encrypted, reply_xml AS "replyXml", received_at AS "receivedAt"
  FROM message`;

export async function getMessage(db: pg.Pool, accountId: string, id: string): Promise<MessageDetail | null> {
  if (!/^\d{1,19}$/.test(id)) return null;
  const { rows } = await db.query<MessageDetail>(`${MESSAGE_DETAIL_SQL} WHERE account_id = $1 AND id = $2::bigint`, [accountId, id]);
  return rows[0] ?? null;
}
