import { AppError } from "../app-error";
import type { CustomMessage } from "../outbound/types";
import type { WeChatXml, WeChatXmlValue } from "../wechat/xml";
import { contentGrams } from "./search-grams";

// A received message or event, normalised for the console's columns, with everything WeChat
// sent kept beside it (raw XML + parsed fields), so unknown types lose nothing.
export type InboundRow = {
  accountId: string;
  msgType: string;
  event: string | null;
  eventKey: string | null;
  fromUser: string;
  toUser: string;
  msgId: string | null;
  createTime: string | null; // seconds, as text: it goes to a bigint column untouched
  content: string | null;
  contentGrams: string[] | null;
  mediaId: string | null;
  picUrl: string | null;
  format: string | null;
  recognition: string | null;
  thumbMediaId: string | null;
  locationX: number | null;
  locationY: number | null;
  scale: number | null;
  label: string | null;
  title: string | null;
  description: string | null;
  url: string | null;
  rawXml: string;
  fields: WeChatXml;
  encrypted: boolean;
  dedupeKey: string;
  replyXml: string | null;
  receivedAt: string; // ISO time of arrival, kept through the spool
  /** What mpdesk answers it with, stored with it (also through the spool): see lib/outbound/answer-plan.ts. */
  answer?: AnswerPlan | null;
};

/** The columns of a message row that the console draws a reply from, whoever sent it. */
export type ShownColumns = {
  content: string | null;
  mediaId: string | null;
  thumbMediaId: string | null;
  title: string | null;
  description: string | null;
  url: string | null;
  picUrl: string | null;
};

/**
 * The passive reply as the outbound row the thread shows (written in the same statement as the
 * message), and reply-all's other replies, queued as customer-service sends once the message is stored.
 */
export type AnswerPlan = {
  ruleId: string | null;
  passive:
    | (ShownColumns & {
        msgType: string;
        contentGrams: string[] | null;
        /** The reply in message/custom/send's JSON shape, kept as the row's fields. */
        body: Record<string, unknown>;
      })
    | null;
  /** message/custom/send bodies, in the rule's order after the passive one (positions 1, 2, …). */
  deferred: CustomMessage[];
};

const text = (v: WeChatXmlValue | undefined): string | null => (typeof v === "string" ? v : null);
const num = (v: WeChatXmlValue | undefined): number | null => {
  if (typeof v !== "string" || v.trim() === "") return null;
  const n = Number(v);
  return Number.isFinite(n) ? n : null;
};
const int = (v: WeChatXmlValue | undefined): number | null => {
  const n = num(v);
  return n !== null && Number.isInteger(n) && Math.abs(n) <= 2_147_483_647 ? n : null;
};

/** A body that is WeChat XML but not a message we can keep: an AppError INVALID_MESSAGE, answered 400. */
function invalidMessage(message: string, reason: "bad_message" | "field_too_long" = "bad_message"): AppError<"INVALID_MESSAGE"> {
  return new AppError("INVALID_MESSAGE", { reason, message });
}

// Limits in UTF-8 bytes, far above what WeChat sends (an OpenID is 28 characters, an account id
// gh_ + 12, a MsgId 19 or 20 digits, a VIEW EventKey a URL of up to 1,024 bytes) and together far
// below the 2,704-byte btree row limit of the indexes these fields feed (the dedupe key, the follower).
export const FIELD_LIMITS = { MsgType: 32, Event: 64, MsgId: 64, FromUserName: 128, ToUserName: 128, EventKey: 1024 } as const;
/** The dedupe key, JSON escapes included, must stay well inside one btree index row. */
export const MAX_DEDUPE_KEY_BYTES = 2_000;

function checkLength(name: keyof typeof FIELD_LIMITS, value: string | null): void {
  if (value !== null && Buffer.byteLength(value) > FIELD_LIMITS[name]) {
    throw invalidMessage(`${name} is longer than ${FIELD_LIMITS[name]} bytes`, "field_too_long");
  }
}

export function normalizeInbound(fields: WeChatXml, rawXml: string, accountId: string, encrypted: boolean, receivedAt: Date): InboundRow {
  const msgType = text(fields.MsgType);
  const fromUser = text(fields.FromUserName);
  const toUser = text(fields.ToUserName);
  if (!msgType || !fromUser || !toUser) throw invalidMessage("MsgType, FromUserName and ToUserName are required");
  const createTime = text(fields.CreateTime);
  const content = text(fields.Content);
  const isEvent = msgType.toLowerCase() === "event";
  // TEMPLATESENDJOBFINISH and MASSSENDJOBFINISH spell it MsgID.
  const msgId = text(fields.MsgId) ?? text(fields.MsgID);
  const event = text(fields.Event);
  const eventKey = text(fields.EventKey);
  checkLength("MsgType", msgType);
  checkLength("FromUserName", fromUser);
  checkLength("ToUserName", toUser);
  checkLength("MsgId", msgId);
  checkLength("Event", event);
  checkLength("EventKey", eventKey);
  const dedupeKey = dedupeKeyFor({ isEvent, fromUser, msgId, createTime, event, eventKey });
  if (Buffer.byteLength(dedupeKey) > MAX_DEDUPE_KEY_BYTES) {
    throw invalidMessage("FromUserName, MsgId, Event and EventKey are too long together", "field_too_long");
  }
  return {
    accountId,
    msgType,
    event,
    eventKey,
    fromUser,
    toUser,
    msgId,
    createTime: createTime && /^\d{1,18}$/.test(createTime) ? createTime : null,
    content,
    contentGrams: content === null ? null : contentGrams(content),
    mediaId: text(fields.MediaId),
    picUrl: text(fields.PicUrl),
    format: text(fields.Format),
    recognition: text(fields.Recognition),
    thumbMediaId: text(fields.ThumbMediaId),
    // Location messages say Location_X/Y; LOCATION events say Latitude/Longitude.
    locationX: num(fields.Location_X) ?? num(fields.Latitude),
    locationY: num(fields.Location_Y) ?? num(fields.Longitude),
    scale: int(fields.Scale),
    label: text(fields.Label),
    title: text(fields.Title),
    description: text(fields.Description),
    url: text(fields.Url),
    rawXml,
    fields,
    encrypted,
    dedupeKey,
    replyXml: null,
    receivedAt: receivedAt.toISOString(),
  };
}

// MsgId alone collides across followers (WxJava#333), so the follower is part of every key.
// Events carry no MsgId: WeChat's own advice is FromUserName + CreateTime (+ Event, EventKey).
function dedupeKeyFor(m: {
  isEvent: boolean;
  fromUser: string;
  msgId: string | null;
  createTime: string | null;
  event: string | null;
  eventKey: string | null;
}): string {
  if (!m.isEvent && m.msgId) return JSON.stringify(["m", m.fromUser, m.msgId]);
  return JSON.stringify(["e", m.fromUser, m.createTime ?? "", m.event ?? "", m.eventKey ?? "", m.isEvent ? "" : (m.msgId ?? "")]);
}
