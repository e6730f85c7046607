import { z } from "zod";
import { AppError } from "./app-error";
import { parseTrustedProxies, type TrustedProxies } from "./http/client-ip";

// Configuration is read once and validated here; every other module asks getEnv().
// Errors name the variable and say what is wrong, so a misconfigured deployment fails at start.

const postgresUrl = z.string().refine((v) => /^postgres(ql)?:\/\/.+/.test(v), "must be a postgres:// or postgresql:// URL");

const base64Key32 = z.string().refine((v) => decodeKey(v) !== null, "must be 32 random bytes, as 64 hex characters or base64 (openssl rand -base64 32)");

export const ZEnv = z.object({
  DATABASE_URL: postgresUrl,
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  AUTH_SECRET: z.string().min(32, "must be at least 32 characters (openssl rand -base64 32)"),
  MPDESK_ENCRYPTION_KEY: base64Key32,
  WECHAT_API_BASE: z.url({ protocol: /^https?$/ }).default("https://api.weixin.qq.com"),
  PUBLIC_URL: z.url({ protocol: /^https?$/ }).optional(),
  MPDESK_DATA_DIR: z.string().min(1).default(".mpdesk"),
  MPDESK_SPOOL_DIR: z.string().min(1).optional(),
  LOG_LEVEL: z.enum(["debug", "info", "warn", "error"]).default("info"),
  // The access_token service (lib/tokens). Refresh events older than this are pruned.
  MPDESK_TOKEN_EVENT_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
  // The callback (lib/callback). Its per-minute counters are pruned after this many days; a
  // request whose timestamp is further than this from the server's clock is refused.
  MPDESK_CALLBACK_EVENT_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
  MPDESK_CALLBACK_TIMESTAMP_WINDOW_S: z.coerce.number().int().min(1).max(86_400).default(300),
  // Timeout of each call to WeChat's API, and the first delay of the exponential backoff after -1 or a network error.
  MPDESK_WECHAT_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(5_000),
  MPDESK_TOKEN_BACKOFF_MS: z.coerce.number().int().min(1).max(60_000).default(1_000),
  // Deferred customer-service sends (lib/outbound/send-queue.ts): the first retry waits about this
  // many seconds, each next one twice as long, up to this many retries; then the send is failed.
  MPDESK_SEND_RETRY_DELAY_S: z.coerce.number().int().min(1).max(3_600).default(5),
  MPDESK_SEND_RETRY_LIMIT: z.coerce.number().int().min(0).max(20).default(10),
  // Server-side statement_timeout of every pooled connection; the callback spools rather than wait past its budget.
  MPDESK_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(50).max(600_000).default(3_000),
  // Reverse proxies whose X-Forwarded-For is believed: CIDRs, `loopback` (default) or `none`.
  MPDESK_TRUSTED_PROXIES: z
    .string()
    .default("loopback")
    .superRefine((v, ctx) => {
      try {
        parseTrustedProxies(v);
      } catch (err) {
        ctx.addIssue({ code: "custom", message: `is invalid: ${(err as Error).message}` });
      }
    }),
});

export type TEnv = z.infer<typeof ZEnv> & { spoolDir: string; encryptionKey: Buffer; trustedProxies: TrustedProxies };

// Exactly 32 bytes, spelled exactly: Node's base64 decoder skips characters it does not know and
// stops at the first "=", so a key with junk in it, or two keys pasted together, would otherwise
// decode to some 32 bytes without a word.
export function decodeKey(value: string): Buffer | null {
  const v = value.trim();
  if (/^[0-9a-fA-F]{64}$/.test(v)) return Buffer.from(v, "hex");
  const b64 = /^[A-Za-z0-9+/]{43}=?$/.test(v) || /^[A-Za-z0-9_-]{43}=?$/.test(v);
  if (!b64) return null;
  const buf = Buffer.from(v, v.includes("-") || v.includes("_") ? "base64url" : "base64");
  // The 43rd character carries 4 bits that must be zero; otherwise it is not what a generator wrote.
  return buf.length === 32 && buf.toString("base64url") === v.replace(/=$/, "").replace(/\+/g, "-").replace(/\//g, "_") ? buf : null;
}

/** An AppError CONFIG whose message lists the problems, one a line, each naming its variable. */
export function configError(problems: string[]): AppError<"CONFIG"> {
  return new AppError("CONFIG", { message: `Invalid configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`, details: { problems } });
}

export function parseEnv(source: Record<string, string | undefined>): TEnv {
  // Empty strings come from `FOO=` in shells and .env files; treat them as unset.
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ""));
  const result = ZEnv.safeParse(cleaned);
  if (!result.success) {
    throw configError(
      result.error.issues.map((i) => {
        const name = i.path.join(".");
        return cleaned[name] === undefined ? `${name} is not set` : `${name} ${i.message}`;
      }),
    );
  }
  const env = result.data;
  return {
    ...env,
    spoolDir: env.MPDESK_SPOOL_DIR ?? `${env.MPDESK_DATA_DIR}/spool`,
    encryptionKey: decodeKey(env.MPDESK_ENCRYPTION_KEY)!,
    trustedProxies: parseTrustedProxies(env.MPDESK_TRUSTED_PROXIES),
  };
}

let cached: TEnv | undefined;

export function getEnv(): TEnv {
  cached ??= parseEnv(process.env);
  return cached;
}
