import { isIP } from "node:net";

export type ProtocolErrorReason =
  | "bad_xml"
  | "doctype"
  | "bad_base64"
  | "bad_ciphertext"
  | "bad_padding"
  | "bad_length"
  | "appid_mismatch"
  | "missing_encrypt"
  | "bad_key";

/**
 * Raised for anything wrong with what WeChat (or someone pretending to be
 * WeChat) sent us. The HTTP layer maps it to a 400 carrying `reason`.
 * Programmer mistakes (bad arguments to builders) are plain TypeError /
 * RangeError instead, so they surface as 500s rather than being blamed on
 * the request.
 */
export class WeChatProtocolError extends Error {
  constructor(
    public readonly reason: ProtocolErrorReason,
    message?: string,
  ) {
    super(message ?? reason);
    this.name = "WeChatProtocolError";
  }
}

export type WeChatErrorClass =
  | "ok"
  | "invalid-token"
  | "config"
  | "busy"
  | "minute-quota"
  | "daily-quota"
  | "permission"
  | "other";

const INVALID_TOKEN_CODES = new Set([40001, 40014, 42001]);
// Retrying these never helps: a human has to fix the account settings.
const CONFIG_CODES = new Set([40013, 40125, 40164, 40243, 89501, 89503, 89506, 89507]);

export function classifyErrcode(errcode: number | undefined): WeChatErrorClass {
  if (errcode === undefined || errcode === 0) return "ok";
  if (INVALID_TOKEN_CODES.has(errcode)) return "invalid-token";
  if (CONFIG_CODES.has(errcode)) return "config";
  if (errcode === -1) return "busy";
  if (errcode === 45011) return "minute-quota";
  if (errcode === 45009) return "daily-quota";
  if (errcode === 48001) return "permission";
  return "other";
}

const IPV4_ANYWHERE = /(?<![\d.])(?:\d{1,3}\.){3}\d{1,3}(?![\d.])/g;

/**
 * WeChat puts the caller's address in the errmsg of whitelist errors, e.g.
 * "invalid ip 203.0.113.7 ipv6 ::ffff:203.0.113.7, not in whitelist rid: …".
 * That address is what the user must whitelist, and it is often not the one
 * they expect (NAT, proxies), so we surface it verbatim.
 */
export function extractIpFromErrmsg(errmsg: string): string | null {
  // The address right after "invalid ip" is the one WeChat checks.
  const named = /invalid ip\s+([^\s,;]+)/i.exec(errmsg)?.[1];
  if (named) {
    const ip = normaliseIp(named);
    if (ip) return ip;
  }
  for (const m of errmsg.matchAll(IPV4_ANYWHERE)) {
    if (isIP(m[0]) === 4) return m[0];
  }
  for (const token of errmsg.split(/[\s,;()[\]"']+/)) {
    const ip = normaliseIp(token);
    if (ip) return ip;
  }
  return null;
}

function normaliseIp(token: string): string | null {
  const t = token.replace(/[.,;]+$/, "");
  if (isIP(t) === 4) return t;
  if (isIP(t) === 6) {
    // An IPv4-mapped IPv6 address is whitelisted as the plain IPv4 one.
    const mapped = /^::ffff:((?:\d{1,3}\.){3}\d{1,3})$/i.exec(t)?.[1];
    return mapped ?? t;
  }
  return null;
}

const SETTINGS_PATH_EN = "设置与开发 → 基本配置";
const SETTINGS_PATH_ZH = "「设置与开发 → 基本配置」";

/** A fix the console can show next to a failed token request. */
export function describeConfigError(errcode: number, errmsg: string): { en: string; zh: string } {
  const ip = extractIpFromErrmsg(errmsg);
  const ipEn = ip ?? "this server's outbound IP address";
  const ipZh = ip ?? "本服务器的出口 IP";
  switch (errcode) {
    case 40164:
      return {
        en: `Add ${ipEn} to the IP whitelist in ${SETTINGS_PATH_EN}, then retry.`,
        zh: `请在公众号后台${SETTINGS_PATH_ZH}的 IP 白名单中添加 ${ipZh}，然后重试。`,
      };
    case 40125:
      return {
        en: `The AppSecret is wrong. Copy it again (or reset it) in ${SETTINGS_PATH_EN} → AppSecret; resetting invalidates the old one everywhere it is used.`,
        zh: `AppSecret 不正确。请在${SETTINGS_PATH_ZH}重新复制（或重置）开发者密码 AppSecret；重置后旧密码在所有地方立即失效。`,
      };
    case 40013:
      return {
        en: `The AppID is invalid. Copy the 开发者ID (AppID) from ${SETTINGS_PATH_EN}; it starts with "wx" and is 18 characters long.`,
        zh: `AppID 无效。请从${SETTINGS_PATH_ZH}复制开发者 ID（AppID），它以 wx 开头，共 18 位。`,
      };
    case 40243:
      return {
        en: `The AppSecret is frozen. Unfreeze or reset it in ${SETTINGS_PATH_EN}, then save the current AppSecret here.`,
        zh: `AppSecret 已被冻结。请在${SETTINGS_PATH_ZH}解冻或重置 AppSecret，并在此处保存最新的 AppSecret。`,
      };
    case 89501:
      return {
        en: `Calls from ${ipEn} are waiting for the account administrator to confirm them in WeChat. Ask the administrator to approve, or add the IP to the whitelist in ${SETTINGS_PATH_EN}.`,
        zh: `来自 ${ipZh} 的调用正在等待管理员在微信中确认。请联系管理员确认，或在${SETTINGS_PATH_ZH}的 IP 白名单中添加该 IP。`,
      };
    case 89503:
      return {
        en: `Calls from ${ipEn} need the account administrator's confirmation (a request was sent to them in WeChat). Add the IP to the whitelist in ${SETTINGS_PATH_EN} to stop this.`,
        zh: `来自 ${ipZh} 的调用需要管理员确认（已向管理员微信发送确认请求）。在${SETTINGS_PATH_ZH}的 IP 白名单中添加该 IP 即可避免。`,
      };
    case 89506:
      return {
        en: `The administrator refused calls from ${ipEn} twice within 24 hours; this IP is blocked for 24 hours. Add it to the whitelist in ${SETTINGS_PATH_EN} if it is yours.`,
        zh: `管理员在 24 小时内两次拒绝了来自 ${ipZh} 的调用，该 IP 24 小时内不可再调用。如确为本服务器，请在${SETTINGS_PATH_ZH}的 IP 白名单中添加。`,
      };
    case 89507:
      return {
        en: `The administrator refused calls from ${ipEn}; this IP is blocked for 1 hour. Add it to the whitelist in ${SETTINGS_PATH_EN} if it is yours.`,
        zh: `管理员拒绝了来自 ${ipZh} 的调用，该 IP 1 小时内不可再调用。如确为本服务器，请在${SETTINGS_PATH_ZH}的 IP 白名单中添加。`,
      };
    default:
      return {
        en: `WeChat returned errcode ${errcode}: ${errmsg}`,
        zh: `微信返回错误码 ${errcode}：${errmsg}`,
      };
  }
}
