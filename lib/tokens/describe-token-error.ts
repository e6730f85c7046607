import { fmt, getDictionary, type Dictionary } from "../i18n";
import { classifyErrcode, configErrorFix, extractIpFromErrmsg } from "../wechat/errors";
import type { TokenError } from "./types";

// The sentence the console shows next to a failed refresh, in both languages (the /api/token
// answer and the CLI carry both). The sentences live in the dictionaries (wechatErrors);
// configuration errors get the settings-page fix, the rest say what mpdesk is doing about it.

export const NO_APP_SECRET = "No AppSecret is saved for this account";

type Bilingual = { en: string; zh: string };
const inBoth = (render: (t: Dictionary) => string): Bilingual => ({ en: render(getDictionary("en")), zh: render(getDictionary("zh")) });

export function toTokenError(errcode: number | null, errmsg: string): TokenError {
  return { errcode, errmsg, ip: errcode === null ? null : extractIpFromErrmsg(errmsg), fix: describeTokenError(errcode, errmsg) };
}

export function describeTokenError(errcode: number | null, errmsg: string): Bilingual {
  return inBoth((t) => tokenErrorText(t, errcode, errmsg));
}

/** The fix for an errcode that a person corrects in the MP admin (or WeChat's own words for any other). */
export function describeConfigError(errcode: number, errmsg: string): Bilingual {
  return inBoth((t) => configErrorText(t, errcode, errmsg));
}

export function tokenErrorText(t: Dictionary, errcode: number | null, errmsg: string): string {
  const w = t.wechatErrors;
  if (errcode === null) return errmsg === NO_APP_SECRET ? w.noAppSecret : fmt(w.network, { errmsg });
  switch (classifyErrcode(errcode)) {
    case "busy":
      return w.busy;
    case "minute-quota":
      return w.minuteQuota;
    case "daily-quota":
      return w.dailyQuota;
    case "permission":
      return w.permission;
    default:
      return configErrorText(t, errcode, errmsg);
  }
}

export function configErrorText(t: Dictionary, errcode: number, errmsg: string): string {
  const fix = configErrorFix(errcode, errmsg);
  const w = t.wechatErrors;
  const template = fix.sentence === "other" ? w.other : w.errcodes[fix.sentence];
  return fmt(template, { ip: fix.ip ?? w.unknownIp, errcode: fix.errcode, errmsg: fix.errmsg });
}
