import { classifyErrcode, describeConfigError, extractIpFromErrmsg } from "../wechat/errors";
import type { TokenError } from "./types";

// The sentence the console shows next to a failed refresh. Configuration errors get the
// settings-page fix from lib/wechat/errors; the rest say what mpdesk is doing about it.

export const NO_APP_SECRET = "No AppSecret is saved for this account";

export function toTokenError(errcode: number | null, errmsg: string): TokenError {
  return { errcode, errmsg, ip: errcode === null ? null : extractIpFromErrmsg(errmsg), fix: describeTokenError(errcode, errmsg) };
}

export function describeTokenError(errcode: number | null, errmsg: string): { en: string; zh: string } {
  if (errcode === null) {
    if (errmsg === NO_APP_SECRET) {
      return {
        en: "Save the account's AppSecret (设置与开发 → 基本配置 → 开发者密码) in mpdesk's settings; without it no access_token can be requested.",
        zh: "请在 mpdesk 设置中保存该公众号的 AppSecret（「设置与开发 → 基本配置 → 开发者密码」），否则无法获取 access_token。",
      };
    }
    return {
      en: `WeChat's API could not be reached (${errmsg}). Check this server's outbound network, DNS and proxy; mpdesk keeps retrying with backoff.`,
      zh: `无法连接微信接口（${errmsg}）。请检查本服务器的出站网络、DNS 和代理设置；mpdesk 会按退避策略自动重试。`,
    };
  }
  switch (classifyErrcode(errcode)) {
    case "busy":
      return {
        en: "WeChat was busy (-1). mpdesk retries with backoff; nothing to do unless this persists.",
        zh: "微信系统繁忙（-1）。mpdesk 会按退避策略自动重试，如持续出现再处理。",
      };
    case "minute-quota":
      return {
        en: "Too many token requests this minute (45011). mpdesk waits for the next minute before asking again.",
        zh: "本分钟调用次数超限（45011）。mpdesk 将在下一分钟再请求。",
      };
    case "daily-quota":
      return {
        en: "Today's quota for the token API is used up (45009). mpdesk stops asking until it resets at midnight (Beijing time). An administrator can reset it earlier with /cgi-bin/clear_quota (10 times a month); also look for another program requesting tokens with this AppID.",
        zh: "今日获取 access_token 的次数已用完（45009）。mpdesk 将停止请求，直到北京时间零点额度重置。管理员可调用 /cgi-bin/clear_quota 提前清零（每月 10 次）；并请检查是否有其他程序在用同一 AppID 获取 token。",
      };
    case "permission":
      return {
        en: "This account lacks the permission for this API (48001): it depends on the account type and certification.",
        zh: "该公众号没有此接口权限（48001），接口权限取决于账号类型和认证状态。",
      };
    default:
      return describeConfigError(errcode, errmsg);
  }
}
