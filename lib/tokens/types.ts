import { AppError } from "../app-error";

// The shapes the console and the CLI read (exported again from lib/tokens/index.ts).

export type TokenEndpoint = "stable" | "classic";
export type RefreshTrigger = "scheduled" | "on-demand" | "invalid-token" | "manual";

export type TokenError = { errcode: number | null; errmsg: string; ip: string | null; fix: { en: string; zh: string } };

export type TokenStatus = {
  state: "none" | "valid" | "expired" | "error";
  endpoint: TokenEndpoint;
  expiresAt: Date | null;
  lastRefreshAt: Date | null;
  lastError: TokenError | null;
  /** No automatic attempt before this (backoff, minute or daily quota); null when none is pending. */
  nextAttemptAt: Date | null;
  /** A configuration error stopped automatic attempts until the account is saved again or refreshed by hand. */
  blocked: boolean;
};

export type RefreshEvent = {
  id: string;
  trigger: RefreshTrigger;
  endpoint: TokenEndpoint;
  outcome: "success" | "error";
  errcode: number | null;
  errmsg: string | null;
  latencyMs: number;
  instance: string;
  createdAt: Date;
};

/** A token as every instance holds it: the secret itself, when it dies, and when it is due for renewal. */
export type TokenGrant = { token: string; expiresAt: Date; refreshedAt: Date; refreshAt: Date };

/** No token can be handed out: the reason, and what a person should do about it (the /api/token 503's body). */
export function tokenUnavailable(error: TokenError): AppError<"TOKEN_UNAVAILABLE"> {
  const message = error.errcode === null ? `access_token unavailable: ${error.errmsg}` : `access_token unavailable: errcode ${error.errcode}`;
  return new AppError("TOKEN_UNAVAILABLE", { message, details: error });
}

/** A business API answered an errcode (after the one retry that 40001/40014/42001 earn). */
export function wechatApiError(errcode: number, errmsg: string, path: string): AppError<"WECHAT_API"> {
  return new AppError("WECHAT_API", { message: `${path} failed with errcode ${errcode}: ${errmsg}`, details: { errcode, errmsg, path } });
}

export function accountNotFound(accountId: string): AppError<"NOT_FOUND"> {
  return new AppError("NOT_FOUND", { message: `no account with id ${accountId}`, reason: "unknown_account" });
}

/** What a refresh produced: a token, or why not (with the previous token if it still works). */
export type RefreshResult = { ok: true; grant: TokenGrant } | { ok: false; error: TokenError; grant: TokenGrant | null };
