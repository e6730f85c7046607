import { emptySql, rawExecute, rawQuery, sql, type Queryable } from "../db";
import { splitCursor } from "../messages/message-filters";
import { CURSOR_SQL } from "../messages/message-queries";
import { WINDOW_RULES } from "../outbound/window-meter";

// Every read and write of the inbox, as raw SQL: the waiting list is a GROUP BY over the last
// 48 hours with anti-joins, which Prisma cannot say.
//
// "Waiting", precisely: a follower is waiting when their newest inbound *message* (an event is
// not something to answer) is younger than 48 hours — so the window it opened is still open —
// and no outbound row answered it since: no console or API send (a person or another service)
// that was sent or is queued for retry, received at or after that message. A rule's automatic
// reply does not end the wait: it answered a keyword, not the person. A failed send does not
// either. WeChat's own word closes the window early: a send refused with 45015 after that
// message means WeChat considers the window shut, so the follower leaves the list.
//
// The 48-hour range is read through message_account_id_received_at_id_idx and bounded by time,
// whatever the table's size; the anti-joins go through message_outbound_to_user_idx and the
// unread count through (account_id, from_user, received_at). No index of its own is needed.

export type WaitingRow = {
  openId: string;
  /** The waiting message's place in the list, as the message log's cursors are written ("<received_at>~<id>"). */
  cursor: string;
  lastId: string;
  lastAt: Date;
  preview: string | null;
  lastType: string;
  unread: number;
};

/** The waiting followers, newest first; with `before`, those whose waiting message comes after that cursor in the list. */
export async function selectWaitingFollowers(
  db: Queryable,
  opts: { accountId: string; userId: string; now: Date; limit: number; before?: string },
): Promise<WaitingRow[]> {
  const { accountId, userId, now, limit } = opts;
  const past = opts.before ? splitCursor(opts.before) : null;
  return rawQuery<WaitingRow>(
    db,
    sql`WITH recent AS (
          SELECT DISTINCT ON (from_user) from_user, id, received_at, msg_type, coalesce(content, recognition, label, title, pic_url) AS preview
          FROM message
          WHERE account_id = ${accountId} AND direction = 'inbound' AND msg_type <> 'event'
            AND received_at > ${now}::timestamptz - make_interval(secs => ${WINDOW_RULES.message.durationMs / 1000}) AND received_at <= ${now}::timestamptz
          ORDER BY from_user, received_at DESC, id DESC
        )
        SELECT r.from_user AS "openId", ${CURSOR_SQL} AS cursor, r.id::text AS "lastId", r.received_at AS "lastAt", r.preview, r.msg_type AS "lastType",
          (SELECT count(*)::int FROM message u
            WHERE u.account_id = ${accountId} AND u.from_user = r.from_user AND u.direction = 'inbound' AND u.msg_type <> 'event'
              AND u.id > coalesce((SELECT read_through FROM inbox_read WHERE user_id = ${userId}::uuid AND account_id = ${accountId} AND open_id = r.from_user), 0)
          ) AS unread
        FROM recent r
        WHERE NOT EXISTS (
          SELECT 1 FROM message o
          WHERE o.account_id = ${accountId} AND o.direction = 'outbound' AND o.to_user = r.from_user AND o.received_at >= r.received_at
            AND ((o.send_source IN ('console', 'api') AND o.send_status IN ('sent', 'queued')) OR o.send_errcode = 45015)
        )${past ? sql` AND (r.received_at, r.id) < (${past.at}::timestamptz, ${past.id}::bigint)` : emptySql}
        ORDER BY r.received_at DESC, r.id DESC
        LIMIT ${limit}`,
  );
}

/** Marks a follower's thread read for one user up to a message id; a marker never moves back. */
export async function upsertReadMarker(db: Queryable, m: { userId: string; accountId: string; openId: string; through: string }): Promise<void> {
  await rawExecute(
    db,
    sql`INSERT INTO inbox_read (user_id, account_id, open_id, read_through) VALUES (${m.userId}::uuid, ${m.accountId}, ${m.openId}, ${m.through}::bigint)
        ON CONFLICT (user_id, account_id, open_id) DO UPDATE
          SET read_through = greatest(inbox_read.read_through, EXCLUDED.read_through), read_at = CURRENT_TIMESTAMP`,
  );
}

export type SendDetail = {
  id: string;
  via: "passive" | "custom" | null;
  source: "rule" | "console" | "api" | null;
  status: "queued" | "sent" | "failed" | null;
  errcode: number | null;
  errmsg: string | null;
  attempts: number;
  sentAt: Date | null;
  body: Record<string, unknown> | null;
  ruleId: string | null;
  inReplyTo: string | null;
  ruleName: string | null;
  userEmail: string | null;
  apiKeyName: string | null;
};

/** How each of these outbound rows was sent, by whom, and what WeChat answered. */
export async function selectSendDetails(db: Queryable, accountId: string, ids: readonly string[]): Promise<SendDetail[]> {
  if (!ids.length) return [];
  return rawQuery<SendDetail>(
    db,
    sql`SELECT m.id::text AS id, m.send_via AS via, m.send_source AS source, m.send_status AS status, m.send_errcode AS errcode,
          m.send_errmsg AS errmsg, m.send_attempts AS attempts, m.sent_at AS "sentAt", m.send_body AS body, m.rule_id::text AS "ruleId", m.in_reply_to::text AS "inReplyTo",
          r.name AS "ruleName", u.email AS "userEmail", k.name AS "apiKeyName"
        FROM message m
        LEFT JOIN reply_rule r ON r.id = m.rule_id
        LEFT JOIN "user" u ON u.id = m.sent_by_user_id
        LEFT JOIN api_key k ON k.id = m.sent_by_api_key_id
        WHERE m.account_id = ${accountId} AND m.direction = 'outbound' AND m.id = ANY(${ids}::bigint[])`,
  );
}
