import { rawQuery, sql, type Queryable } from "../db";
import type { ShownColumns } from "../messages/inbound-row";
import { contentGrams } from "../messages/search-grams";
import type { CustomMessage, RefusalReason, SendOrigin } from "./types";

// The outbound rows of "message": what mpdesk sent, or is sending, to a follower. A row is
// written before WeChat is called (send_status queued), so a crash between the two leaves a row
// the job queue can finish, and its dedupe key makes a retried request find it instead of sending again.

export type SendRow = {
  id: string;
  accountId: string;
  toUser: string;
  sendStatus: "queued" | "sent" | "failed";
  sendBody: CustomMessage;
  sendErrcode: number | null;
  sendErrmsg: string | null;
  sendAttempts: number;
};

const ROW = sql`id::text AS id, account_id AS "accountId", to_user AS "toUser", send_status AS "sendStatus", send_body AS "sendBody",
  send_errcode AS "sendErrcode", send_errmsg AS "sendErrmsg", send_attempts AS "sendAttempts"`;

export type SendingAccount = {
  appId: string;
  accountType: "subscription" | "service" | "miniprogram" | "wecom";
  certified: boolean;
  originalId: string | null;
};

/** The account, with its original id (gh_…) as the latest inbound message names it: WeChat never tells it otherwise. */
export async function selectSendingAccount(db: Queryable, accountId: string): Promise<SendingAccount | null> {
  const rows = await rawQuery<SendingAccount>(
    db,
    sql`SELECT a.app_id AS "appId", a.account_type AS "accountType", a.certified,
      (SELECT m.to_user FROM message m WHERE m.account_id = a.id AND m.direction = 'inbound' ORDER BY m.received_at DESC, m.id DESC LIMIT 1) AS "originalId"
      FROM account a WHERE a.id = ${accountId}`,
  );
  return rows[0] ?? null;
}

export function dedupeKeyOf(origin: SendOrigin): string | null {
  switch (origin.source) {
    case "rule":
      return `rule:${origin.inReplyTo}:${origin.position}`;
    case "api":
      return origin.idempotencyKey ? `api:${origin.apiKeyId}:${origin.idempotencyKey}` : null;
    case "console":
      return null;
  }
}

export async function selectSendByKey(db: Queryable, accountId: string, dedupeKey: string): Promise<SendRow | null> {
  const rows = await rawQuery<SendRow>(db, sql`SELECT ${ROW} FROM message WHERE account_id = ${accountId} AND dedupe_key = ${dedupeKey}`);
  return rows[0] ?? null;
}

export async function selectSend(db: Queryable, id: string): Promise<SendRow | null> {
  const rows = await rawQuery<SendRow>(db, sql`SELECT ${ROW} FROM message WHERE id = ${id}::bigint AND direction = 'outbound'`);
  return rows[0] ?? null;
}

const str = (v: unknown): string | null => (typeof v === "string" && v !== "" ? v : null);
const obj = (v: unknown): Record<string, unknown> => (v && typeof v === "object" ? (v as Record<string, unknown>) : {});

/** The columns the thread draws, filled from the body as an inbound message of the same kind fills them. */
export function shownColumns(m: CustomMessage): ShownColumns {
  const none: ShownColumns = { content: null, mediaId: null, thumbMediaId: null, title: null, description: null, url: null, picUrl: null };
  const part = obj(m[m.msgtype]);
  switch (m.msgtype) {
    case "text":
      return { ...none, content: str(part.content) };
    case "image":
    case "voice":
      return { ...none, mediaId: str(part.media_id) };
    case "video":
      return { ...none, mediaId: str(part.media_id), thumbMediaId: str(part.thumb_media_id), title: str(part.title), description: str(part.description) };
    case "music":
      return { ...none, title: str(part.title), description: str(part.description), url: str(part.musicurl), thumbMediaId: str(part.thumb_media_id) };
    case "news": {
      const a = obj(Array.isArray(part.articles) ? part.articles[0] : null);
      return { ...none, title: str(a.title), description: str(a.description), url: str(a.url), picUrl: str(a.picurl) };
    }
    case "msgmenu": {
      const list = Array.isArray(part.list) ? part.list.map((i) => str(obj(i).content)) : [];
      const lines = [str(part.head_content), ...list, str(part.tail_content)].filter((s): s is string => s !== null);
      return { ...none, content: lines.length ? lines.join("\n") : null };
    }
    case "miniprogrampage":
      return { ...none, title: str(part.title), thumbMediaId: str(part.thumb_media_id), url: str(part.pagepath) };
    case "mpnewsarticle":
      return none;
  }
}

export type NewSend = {
  accountId: string;
  fromUser: string;
  message: CustomMessage;
  origin: SendOrigin;
  dedupeKey: string | null;
  via: "custom" | "passive";
  status: "queued" | "sent" | "failed";
  /** Why a row is stored failed without WeChat being called (a deferred send refused by the meter). */
  refusal?: RefusalReason;
  /** The passive reply's XML, kept as raw_xml; a custom send keeps its JSON body there. */
  rawXml?: string;
  now: Date;
};

/** Inserts the outbound row; null when a row with the same dedupe key exists already. A rule deleted since it answered is named by no row. */
export async function insertSend(db: Queryable, s: NewSend): Promise<string | null> {
  const shown = shownColumns(s.message);
  const o = s.origin;
  const body = JSON.stringify(s.message);
  const rows = await rawQuery<{ id: string }>(
    db,
    sql`INSERT INTO message (account_id, direction, msg_type, from_user, to_user, content, content_grams, media_id, thumb_media_id, title, description, url, pic_url,
        raw_xml, fields, dedupe_key, received_at, send_via, send_source, send_status, send_errmsg, rule_id, sent_by_user_id, sent_by_api_key_id, in_reply_to, send_body, sent_at)
      VALUES (${s.accountId}, 'outbound', ${s.message.msgtype}, ${s.fromUser}, ${s.message.touser}, ${shown.content},
        ${shown.content === null ? null : contentGrams(shown.content)}::text[], ${shown.mediaId}, ${shown.thumbMediaId}, ${shown.title}, ${shown.description},
        ${shown.url}, ${shown.picUrl}, ${s.rawXml ?? body}, ${body}::jsonb, ${s.dedupeKey}, ${s.now}, ${s.via}::send_via, ${o.source}::send_source,
        ${s.status}::send_status, ${s.refusal ?? null}, (SELECT id FROM reply_rule WHERE id = ${o.source === "rule" ? o.ruleId : null}::uuid), ${o.source === "console" ? o.userId : null}::uuid,
        ${o.source === "api" ? o.apiKeyId : null}::uuid, ${o.source === "rule" ? o.inReplyTo : null}::bigint, ${body}::jsonb,
        ${s.status === "sent" ? s.now : null}::timestamptz)
      ON CONFLICT (account_id, dedupe_key) DO NOTHING RETURNING id::text AS id`,
  );
  return rows[0]?.id ?? null;
}

/**
 * Claims one attempt at a queued row: only the caller whose UPDATE moved send_attempts from the
 * count it read may call WeChat, so two workers (or two instances) holding the same job cannot both send.
 */
export async function claimAttempt(db: Queryable, id: string, seenAttempts: number): Promise<boolean> {
  const rows = await rawQuery<{ id: string }>(
    db,
    sql`UPDATE message SET send_attempts = send_attempts + 1
      WHERE id = ${id}::bigint AND send_status = 'queued' AND send_attempts = ${seenAttempts} RETURNING id::text AS id`,
  );
  return rows.length === 1;
}

export async function markSent(db: Queryable, id: string, now: Date): Promise<void> {
  await rawQuery(
    db,
    sql`UPDATE message SET send_status = 'sent', sent_at = ${now}, send_errcode = NULL, send_errmsg = NULL WHERE id = ${id}::bigint AND send_status = 'queued'`,
  );
}

export async function markFailed(db: Queryable, id: string, errcode: number, errmsg: string): Promise<void> {
  await rawQuery(
    db,
    sql`UPDATE message SET send_status = 'failed', send_errcode = ${errcode}, send_errmsg = ${errmsg} WHERE id = ${id}::bigint AND send_status = 'queued'`,
  );
}

/** A transient answer (-1, a timeout): the row stays queued, with WeChat's last word for the console. */
export async function noteTransient(db: Queryable, id: string, errcode: number, errmsg: string): Promise<void> {
  await rawQuery(db, sql`UPDATE message SET send_errcode = ${errcode}, send_errmsg = ${errmsg} WHERE id = ${id}::bigint AND send_status = 'queued'`);
}
