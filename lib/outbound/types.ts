// The shapes every sender of customer-service messages (客服消息) shares: the console's composer,
// POST /api/messages and reply-all's deferred sends all go through sendCustomMessage()
// (lib/outbound/send-message.ts), which checks the window and the quota, stores the outbound row
// and calls message/custom/send once.

/** msgtype values of message/custom/send that mpdesk passes on. */
export const CUSTOM_MSG_TYPES = ["text", "image", "voice", "video", "music", "news", "msgmenu", "mpnewsarticle", "miniprogrampage"] as const;
export type CustomMsgType = (typeof CUSTOM_MSG_TYPES)[number];

/** WeChat's custom/send body: `touser`, `msgtype` and the object named by msgtype, e.g. `text: {content}`. */
export type CustomMessage = { touser: string; msgtype: CustomMsgType } & Record<string, unknown>;

/** Who sends. Each origin's dedupe key makes its send happen once (see the message table's comment). */
export type SendOrigin =
  | { source: "console"; userId: string }
  | { source: "api"; apiKeyId: string; idempotencyKey?: string }
  | { source: "rule"; ruleId: string; inReplyTo: string; position: number };

/** Where the follower stands: the window WeChat opened for this account to answer them, and its quota. */
export type WindowMeter = {
  open: boolean;
  /** What opened it: a message (5 within 48 h) or an event (3 within 1 min: click, subscribe, scan). */
  openedBy: "message" | "event" | null;
  lastInteraction: Date | null;
  /** When it closes; null when closed. */
  until: Date | null;
  limit: number;
  used: number;
  remaining: number;
  /** WeChat's own last word since the interaction: 45015 closed the window, 45047 ended the quota. */
  closedBy: 45015 | 45047 | null;
};

export type SendFix = { en: string; zh: string };

export type SendOutcome =
  | { status: "sent"; id: string }
  /** Deferred: WeChat answered -1 or did not answer in time; the job queue retries it. */
  | { status: "queued"; id: string }
  /** Refused before WeChat was called. */
  | { status: "refused"; id: null; error: RefusalReason; meter: WindowMeter; fix: SendFix }
  /** WeChat refused it; or, with errcode null, mpdesk refused a deferred send and stored why (errmsg is the reason). */
  | { status: "failed"; id: string; errcode: number | null; errmsg: string; fix: SendFix };

/** What mpdesk refuses on its own, before WeChat is called. */
export type RefusalReason = "window_closed" | "quota_exhausted" | "not_capable";
