"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { accountPath } from "@/lib/accounts/account-path";
import { capabilityOf } from "@/lib/accounts/capabilities";
import { AppError } from "@/lib/app-error";
import { accountAdminAction, type FormState } from "@/lib/auth/server-action";
import { getPool } from "@/lib/db";
import { fmt } from "@/lib/i18n";
import { log } from "@/lib/log";
import { mediaProblem, putMedia } from "@/lib/media/put-media";
import { REFUSAL_FIXES } from "@/lib/outbound/explain-send-error";
import type { CustomMessage, SendOutcome } from "@/lib/outbound/types";
import { sendCustomMessage } from "@/lib/outbound/send-message";
import { getWindowMeter } from "@/lib/outbound/window-meter";

/** WeChat's limit for a customer-service text is 2048 bytes of content; characters are what a person counts, so the form says characters and the server checks bytes. */
const MAX_TEXT_BYTES = 2048;

const ZReplyForm = z.object({
  account: z.string().min(1),
  openid: z.string().min(1).max(128),
  text: z.string().optional().default(""),
  // An empty file input still sends a nameless, empty File: treated as no image.
  image: z.instanceof(File).optional(),
});

export type ReplyState = FormState<"text" | "image">;

/**
 * For the account's admins: one reply from the thread's composer, the text then the image (each a
 * customer-service message). The window is read first, so a closed window refuses before an
 * image is uploaded; sendCustomMessage checks it again at the send, which is what holds.
 */
export const sendReplyAction = accountAdminAction(
  { schema: ZReplyForm, invalid: (t) => t.inbox.composer.empty },
  async ({ user, account, data, t, locale }): Promise<ReplyState> => {
    const c = t.inbox.composer;
    const cs = capabilityOf(account.accountType, account.certified, "customerService");
    if (cs.state !== "yes") return { ok: false, message: fmt(c.disabled, { reason: t.setup.capability.reasons[cs.reason!] }) };
    const text = data.text.trim();
    const image = data.image && data.image.size > 0 ? data.image : null;
    if (!text && !image) return { ok: false, message: c.empty, errors: { text: c.empty } };
    if (Buffer.byteLength(text) > MAX_TEXT_BYTES) {
      const message = fmt(c.tooLong, { max: MAX_TEXT_BYTES });
      return { ok: false, message, errors: { text: message } };
    }
    const file = image
      ? { kind: "image" as const, filename: image.name, contentType: image.type || "application/octet-stream", bytes: Buffer.from(await image.arrayBuffer()) }
      : null;
    const problem = file ? mediaProblem(file) : null;
    if (problem) return { ok: false, message: c.mediaProblem[problem], errors: { image: c.mediaProblem[problem] } };

    const db = getPool();
    const meter = await getWindowMeter(db, account.id, data.openid);
    if (!meter.open) return { ok: false, message: fmt(c.refused, { fix: REFUSAL_FIXES.window_closed[locale] }) };
    if (meter.remaining < (text ? 1 : 0) + (file ? 1 : 0)) return { ok: false, message: fmt(c.refused, { fix: REFUSAL_FIXES.quota_exhausted[locale] }) };

    const messages: Array<() => Promise<CustomMessage>> = [];
    if (text) messages.push(async () => ({ touser: data.openid, msgtype: "text", text: { content: text } }));
    if (file) {
      messages.push(async () => {
        const media = await putMedia(db, account.id, file, { permanent: false, userId: user.id });
        return { touser: data.openid, msgtype: "image", image: { media_id: media.mediaId } };
      });
    }
    let last: ReplyState = null;
    for (const build of messages) {
      let message: CustomMessage;
      try {
        message = await build();
      } catch (err) {
        const reason =
          err instanceof AppError && err.code === "WECHAT_API" ? `${String(err.details?.errcode)} ${String(err.details?.errmsg ?? "")}` : t.common.error;
        log.warn("inbox.upload_failed", { account: account.id, by: user.id, code: err instanceof AppError ? err.code : "unknown" });
        return { ok: false, message: fmt(c.uploadFailed, { reason }), errors: { image: fmt(c.uploadFailed, { reason }) } };
      }
      const outcome = await sendCustomMessage(db, account.id, message, { source: "console", userId: user.id });
      log.info("inbox.sent", { account: account.id, by: user.id, msgtype: message.msgtype, status: outcome.status });
      last = outcomeState(outcome, t, locale);
      if (!last?.ok) break;
    }
    revalidatePath(accountPath(account.appId, `/messages/followers/${encodeURIComponent(data.openid)}`));
    revalidatePath(accountPath(account.appId, "/inbox"));
    return last;
  },
);

function outcomeState(outcome: SendOutcome, t: Parameters<Parameters<typeof accountAdminAction>[1]>[0]["t"], locale: "zh" | "en"): ReplyState {
  const c = t.inbox.composer;
  switch (outcome.status) {
    case "sent":
      return { ok: true, message: c.sent };
    case "queued":
      return { ok: true, message: c.queued };
    case "refused":
      return { ok: false, message: fmt(c.refused, { fix: outcome.fix[locale] }) };
    case "failed":
      return { ok: false, message: fmt(c.failed, { fix: outcome.fix[locale] }) };
  }
}
