import { isIP } from "node:net";
import { AppError } from "../app-error";

export type ProtocolErrorReason =
  "bad_xml" | "doctype" | "bad_base64" | "bad_ciphertext" | "bad_padding" | "bad_length" | "appid_mismatch" | "missing_encrypt" | "bad_key";

/**
 * For anything wrong with what WeChat (or someone pretending to be WeChat) sent us: an AppError
 * WECHAT_PROTOCOL carrying `reason`, which the HTTP layer answers with a 400. Programmer mistakes
 * (bad arguments to builders) are plain TypeError / RangeError instead, so they surface as 500s
 * rather than being blamed on the request.
 */
export function protocolError(reason: ProtocolErrorReason, message?: string): AppError<"WECHAT_PROTOCOL"> {
  return new AppError("WECHAT_PROTOCOL", { reason, message: message ?? reason });
}

export type WeChatErrorClass = "ok" | "invalid-token" | "config" | "busy" | "minute-quota" | "daily-quota" | "permission" | "other";

const INVALID_TOKEN_CODES = new Set([40001, 40014, 42001]);
// Retrying these never helps: a human has to fix the account settings. Each has its own sentence
// in the dictionaries (wechatErrors.errcodes).
export const CONFIG_ERRCODES = [40013, 40125, 40164, 40243, 89501, 89503, 89506, 89507] as const;
export type ConfigErrcode = (typeof CONFIG_ERRCODES)[number];
const CONFIG_CODES = new Set<number>(CONFIG_ERRCODES);

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

/**
 * What a person should do about a configuration errcode, as data: which sentence (the errcode, or
 * "other") and what fills it. The caller renders it from the dictionaries, in either language.
 */
export type ConfigErrorFix = { sentence: `${ConfigErrcode}` | "other"; ip: string | null; errcode: number; errmsg: string };

export function configErrorFix(errcode: number, errmsg: string): ConfigErrorFix {
  const sentence = CONFIG_CODES.has(errcode) ? (String(errcode) as `${ConfigErrcode}`) : "other";
  return { sentence, ip: extractIpFromErrmsg(errmsg), errcode, errmsg };
}
