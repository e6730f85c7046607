import { isIP } from "node:net";

// The address to paste into WeChat's 服务器配置, and what is wrong with it: WeChat only calls
// http on port 80 or https on 443, and cannot reach localhost.

export type UrlWarning = { kind: "scheme" } | { kind: "port"; port: string } | { kind: "localhost" } | { kind: "ip" } | { kind: "http" };

export function publicBaseUrl(publicUrl: string | undefined, headers: Headers): { base: string; fromEnv: boolean } {
  if (publicUrl) return { base: publicUrl.replace(/\/+$/, ""), fromEnv: true };
  const proto = headers.get("x-forwarded-proto")?.split(",")[0]?.trim() || "http";
  const host = headers.get("x-forwarded-host")?.split(",")[0]?.trim() || headers.get("host") || "localhost";
  return { base: `${proto}://${host}`, fromEnv: false };
}

/**
 * The callback URL to paste for an account: `/api/wechat/<AppID>`, whose path names the account
 * (WeChat's URL check and some proxies handle a query poorly). The default (first) account keeps
 * the bare `/api/wechat` that was pasted before a second account existed.
 */
export function callbackUrlFor(base: string, appId: string | null, isDefault: boolean): string {
  return appId && !isDefault ? pathCallbackUrlFor(base, appId) : `${base.replace(/\/+$/, "")}/api/wechat`;
}

/** `/api/wechat/<AppID>`: served for every account, the default one included. */
export function pathCallbackUrlFor(base: string, appId: string): string {
  return `${base.replace(/\/+$/, "")}/api/wechat/${encodeURIComponent(appId)}`;
}

export function checkCallbackUrl(value: string): UrlWarning[] {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return [{ kind: "scheme" }];
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return [{ kind: "scheme" }];
  const warnings: UrlWarning[] = [];
  if (url.port && !((url.protocol === "http:" && url.port === "80") || (url.protocol === "https:" && url.port === "443"))) {
    warnings.push({ kind: "port", port: url.port });
  }
  const host = url.hostname.replace(/^\[|\]$/g, "");
  if (host === "localhost" || host.endsWith(".localhost") || host === "127.0.0.1" || host === "::1" || host === "0.0.0.0") {
    warnings.push({ kind: "localhost" });
  } else if (isIP(host)) {
    warnings.push({ kind: "ip" });
  }
  if (url.protocol === "http:") warnings.push({ kind: "http" });
  return warnings;
}
