import { capabilityOf } from "../accounts/capabilities";
import { AppError, isAppError } from "../app-error";
import type { Queryable } from "../db";
import { errorFields, log } from "../log";
import { callWeChatApi } from "../tokens/call-wechat-api";
import { explainSendError, REFUSAL_FIXES } from "./explain-send-error";
import {
  claimAttempt,
  dedupeKeyOf,
  insertSend,
  markFailed,
  markSent,
  noteTransient,
  selectSend,
  selectSendByKey,
  selectSendingAccount,
  type SendRow,
} from "./outbound-queries";
import type { CustomMessage, RefusalReason, SendOrigin, SendOutcome } from "./types";
import { sendQueue } from "./send-queue";
import { getWindowMeter } from "./window-meter";

// The one way mpdesk sends a customer-service message (客服消息): the console's composer,
// POST /api/messages and reply-all's deferred sends all come here. The order matters: what mpdesk
// can refuse on its own (capability, window, quota) is refused before a row exists or WeChat is
// called; the row is written before the call, so a crash in between leaves a queued row that the
// job queue finishes instead of a send nobody knows about.

export const CUSTOM_SEND_PATH = "/cgi-bin/message/custom/send";

/** Hands a queued row to the durable queue (lib/outbound/send-queue.ts, unless a caller gives another). */
export type EnqueueSend = (row: { accountId: string; id: string }) => Promise<void>;

export type SendOptions = {
  now?: Date;
  enqueue?: EnqueueSend;
  /** The queue's last try: a transient answer now fails the row instead of leaving it queued. */
  lastTry?: boolean;
  /** The queue's own run: a row found queued under the dedupe key is tried again, not just reported. */
  resume?: boolean;
};

export function outcomeOf(row: SendRow): SendOutcome {
  if (row.sendStatus === "sent") return { status: "sent", id: row.id };
  if (row.sendStatus === "queued") return { status: "queued", id: row.id };
  const errcode = row.sendErrcode;
  const errmsg = row.sendErrmsg ?? "";
  return { status: "failed", id: row.id, errcode, errmsg, fix: explainSendError(errcode, errmsg) };
}

export async function sendCustomMessage(
  db: Queryable,
  accountId: string,
  message: CustomMessage,
  origin: SendOrigin,
  opts: SendOptions = {},
): Promise<SendOutcome> {
  const now = opts.now ?? new Date();
  const account = await selectSendingAccount(db, accountId);
  if (!account) throw new AppError("NOT_FOUND", { message: `no account with id ${accountId}`, reason: "unknown_account" });
  const dedupeKey = dedupeKeyOf(origin);
  // A retried request finds its first attempt's row and answers with it, before the meter: the
  // first attempt may itself have used the last message of the quota.
  if (dedupeKey) {
    const existing = await selectSendByKey(db, accountId, dedupeKey);
    if (existing) return opts.resume && existing.sendStatus === "queued" ? deliverSend(db, existing, opts) : outcomeOf(existing);
  }
  const meter = await getWindowMeter(db, accountId, message.touser, now);
  const refusal: RefusalReason | null =
    capabilityOf(account.accountType, account.certified, "customerService").state !== "yes"
      ? "not_capable"
      : !meter.open
        ? "window_closed"
        : meter.remaining <= 0
          ? "quota_exhausted"
          : null;
  const row = { accountId, fromUser: account.originalId ?? account.appId, message, origin, dedupeKey, via: "custom" as const, now };
  if (refusal) {
    // A person or a service is told at once and may try again. A rule's deferred send has nobody
    // waiting for it, so the thread keeps the reply that could not go, with the reason.
    if (origin.source === "rule") await insertSend(db, { ...row, status: "failed", refusal });
    return { status: "refused", id: null, error: refusal, meter, fix: REFUSAL_FIXES[refusal] };
  }

  const id = await insertSend(db, { ...row, status: "queued" });
  if (!id) {
    // Another request with the same key won the insert a moment ago: its row is the answer.
    const existing = await selectSendByKey(db, accountId, dedupeKey!);
    return outcomeOf(existing!);
  }
  return deliverSend(db, { id, accountId, attempts: 0 }, opts);
}

/**
 * One attempt at a queued row. The row is re-read first: a row already sent or failed is done,
 * and the attempt is claimed with a conditional UPDATE, so of two workers holding it only one calls WeChat.
 * A timeout is ambiguous (WeChat may have sent it); WeChat's custom/send has no idempotency key,
 * so the retry after one is the one case in which the follower could see a message twice.
 */
export async function deliverSend(db: Queryable, target: { id: string; accountId: string; attempts?: number }, opts: SendOptions = {}): Promise<SendOutcome> {
  const row = await selectSend(db, target.id);
  if (!row) throw new AppError("NOT_FOUND", { message: `no outbound message ${target.id}`, reason: "unknown_message" });
  if (row.sendStatus !== "queued") return outcomeOf(row);
  if (!(await claimAttempt(db, row.id, row.sendAttempts))) return outcomeOf((await selectSend(db, row.id))!);

  let transient: { errcode: number; errmsg: string } | null = null;
  try {
    await callWeChatApi(row.accountId, { method: "POST", path: CUSTOM_SEND_PATH, body: row.sendBody });
    await markSent(db, row.id, opts.now ?? new Date());
    return { status: "sent", id: row.id };
  } catch (err) {
    if (isAppError(err, "WECHAT_API") && err.details.errcode !== -1) {
      const { errcode, errmsg } = err.details;
      await markFailed(db, row.id, errcode, errmsg);
      log.info("outbound.refused_by_wechat", { account: row.accountId, id: row.id, errcode });
      return { status: "failed", id: row.id, errcode, errmsg, fix: explainSendError(errcode, errmsg) };
    }
    if (isAppError(err, "WECHAT_API")) transient = { errcode: -1, errmsg: err.details.errmsg };
    else if (isAppError(err, "WECHAT_NETWORK") || isAppError(err, "TOKEN_UNAVAILABLE")) transient = { errcode: -1, errmsg: err.message };
    else throw err;
  }
  log.warn("outbound.send_deferred", { account: row.accountId, id: row.id, attempt: row.sendAttempts + 1, errmsg: transient.errmsg });
  if (opts.lastTry) {
    await markFailed(db, row.id, transient.errcode, transient.errmsg);
    return { status: "failed", id: row.id, ...transient, fix: explainSendError(transient.errcode, transient.errmsg) };
  }
  await noteTransient(db, row.id, transient.errcode, transient.errmsg);
  // The queue's own runs are retried by pg-boss itself; only a first try hands the row over.
  if (!opts.resume) {
    const enqueue = opts.enqueue ?? sendQueue.retry;
    await enqueue({ accountId: row.accountId, id: row.id }).catch((err) => log.error("outbound.enqueue_failed", { id: row.id, ...errorFields(err) }));
  }
  return { status: "queued", id: row.id };
}
