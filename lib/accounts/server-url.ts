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

/** The callback URL for an account. Only the default (first) account may omit ?account=. */
export function callbackUrlFor(base: string, appId: string | null, isDefault: boolean): string {
  const url = `${base.replace(/\/+$/, "")}/api/wechat`;
  return appId && !isDefault ? `${url}?account=${encodeURIComponent(appId)}` : url;
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
