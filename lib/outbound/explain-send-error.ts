import { en } from "../i18n/en";
import { fmt } from "../i18n";
import { zh } from "../i18n/zh";
import type { RefusalReason, SendFix } from "./types";

// What a person does about WeChat's answer to message/custom/send, in both languages. -1 and
// 48001 reuse the console's wording for WeChat's errors, so one errcode reads the same everywhere.

const FIXES: Record<number, SendFix> = {
  45015: {
    en: "The follower's window is closed (45015): more than the allowed time has passed since their last message, or they unfollowed. Wait for them to write again; use a template message for notifications.",
    zh: "该粉丝的客服消息窗口已关闭（45015）：距其上次互动已超过允许的时间，或其已取消关注。请等待粉丝再次发送消息；通知类内容请使用模板消息。",
  },
  45047: {
    en: "The reply quota for this window is used up (45047). Wait for the follower's next message, which opens a new window.",
    zh: "本窗口内的客服消息条数已用完（45047）。请等待粉丝的下一条消息，它会开启新的窗口。",
  },
  48001: {
    en: `${en.wechatErrors.permission} Customer-service messages need a certified (认证) account; certify it, or answer with passive replies only.`,
    zh: `${zh.wechatErrors.permission}客服消息需要已认证的公众号：请完成微信认证，或只使用被动回复。`,
  },
  40003: {
    en: "WeChat does not know this OpenID for this account (40003). OpenIDs differ per account: use one that came from this account's messages.",
    zh: "该 OpenID 不属于此公众号（40003）。同一用户在不同公众号下的 OpenID 不同，请使用来自本公众号消息的 OpenID。",
  },
  40007: {
    en: "The media_id is invalid or expired (40007). Temporary media last 3 days: upload the file again.",
    zh: "media_id 无效或已过期（40007）。临时素材只保留 3 天，请重新上传文件。",
  },
  45002: {
    en: "The message is too long (45002): a text message may have at most 2048 bytes (about 680 Chinese characters). Shorten it or split it.",
    zh: "消息内容过长（45002）：文本消息最多 2048 字节（约 680 个汉字）。请缩短或分成几条发送。",
  },
  43004: {
    en: "The follower has unfollowed the account (43004): nothing can be sent to them until they follow again.",
    zh: "该粉丝已取消关注（43004），在其重新关注之前无法向其发送消息。",
  },
  [-1]: { en: en.wechatErrors.busy, zh: zh.wechatErrors.busy },
};

/** Refusals decided by mpdesk before WeChat is called. */
export const REFUSAL_FIXES = {
  window_closed: {
    en: "The follower's window is closed: WeChat accepts customer-service messages only within 48 hours of the follower's last message (1 minute after a menu click, a subscribe or a scan). Wait for them to write again.",
    zh: "该粉丝的客服消息窗口已关闭：微信只允许在粉丝上次发消息后 48 小时内（点击菜单、关注或扫码后 1 分钟内）发送客服消息。请等待粉丝再次发送消息。",
  },
  quota_exhausted: {
    en: "The reply quota for this window is used up: 5 messages after a follower's message, 3 after a menu click, a subscribe or a scan. Wait for the follower's next message.",
    zh: "本窗口内的客服消息条数已用完：粉丝发消息后最多 5 条，点击菜单、关注或扫码后最多 3 条。请等待粉丝的下一条消息。",
  },
  not_capable: {
    en: "This account has no customer-service API: only certified (认证) accounts may send customer-service messages. Certify the account in the MP admin, or answer with passive replies only.",
    zh: "该公众号没有客服消息接口：只有已认证的公众号可以发送客服消息。请在公众号后台完成微信认证，或只使用被动回复。",
  },
} satisfies Record<RefusalReason, SendFix>;

const isRefusal = (reason: string): reason is RefusalReason => Object.hasOwn(REFUSAL_FIXES, reason);

/** WeChat's errcode in words; a row mpdesk refused itself has no errcode, and its reason in errmsg. */
export function explainSendError(errcode: number | null, errmsg: string): SendFix {
  if (errcode === null) return isRefusal(errmsg) ? REFUSAL_FIXES[errmsg] : explainSendError(-1, errmsg);
  return (
    FIXES[errcode] ?? {
      en: fmt(en.wechatErrors.other, { errcode, errmsg }),
      zh: fmt(zh.wechatErrors.other, { errcode, errmsg }),
    }
  );
}
