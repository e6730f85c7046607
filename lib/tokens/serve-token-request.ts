import { AppError, isAppError, toHttpError } from "../app-error";
import { isConnectionError } from "../db";
import { errorFields, log } from "../log";
import { keyAllows, keyCovers, verifyApiKey } from "./api-keys";
import { getAccessToken } from "./get-access-token";
import { keyFailureRetryAfterMs, recordKeyFailure } from "./key-failure-limit";

// GET /api/token[?account=<AppID>] as a plain function of the request's two inputs, so the route
// handler stays a thin adapter. The token is in the answer's body and never in a log line.
// Every refusal is an AppError, answered through the one code → HTTP table.

/** `clientIp`: the caller's address as lib/http/client-ip.ts decides it. */
export type TokenRequest = { authorization: string | null; appId: string | null; clientIp: string };
export type TokenAnswer = { status: number; body: Record<string, unknown>; headers?: Record<string, string> };
type ResolveAccount = (appId: string | null) => Promise<{ id: string; appId: string } | null>;

export async function serveTokenRequest(request: TokenRequest, resolveAccount: ResolveAccount): Promise<TokenAnswer> {
  try {
    return { status: 200, body: await tokenFor(request, resolveAccount) };
  } catch (err) {
    return toHttpError(err);
  }
}

async function tokenFor(request: TokenRequest, resolveAccount: ResolveAccount): Promise<Record<string, unknown>> {
  const retryAfterMs = keyFailureRetryAfterMs(request.clientIp);
  if (retryAfterMs > 0) {
    const seconds = Math.ceil(retryAfterMs / 1000);
    throw new AppError("RATE_LIMITED", {
      reason: "too_many_attempts",
      userMessage: `Too many requests with a wrong API key from this address; try again in ${seconds} s.`,
      headers: { "retry-after": String(seconds) },
    });
  }
  const presented = /^Bearer\s+(\S+)\s*$/i.exec(request.authorization ?? "")?.[1];
  let caller: Awaited<ReturnType<typeof verifyApiKey>>;
  try {
    caller = presented ? await verifyApiKey(presented) : null;
  } catch (err) {
    log.error("token_api.keys_unavailable", errorFields(err));
    throw new AppError("UNAVAILABLE", { userMessage: "API keys cannot be checked: the database is unreachable.", cause: err });
  }
  if (!caller) {
    recordKeyFailure(request.clientIp);
    throw new AppError("UNAUTHORIZED", {
      userMessage: "Send an mpdesk API key as `Authorization: Bearer mpd_…` (npm run mpdesk -- api-key create --name <service>).",
      headers: { "www-authenticate": 'Bearer realm="mpdesk"' },
    });
  }
  // A key made for sending messages only does not hand out the token it would otherwise bypass.
  if (!keyAllows(caller, "token:read")) {
    throw new AppError("FORBIDDEN", { userMessage: "This API key lacks the token:read scope (npm run mpdesk -- api-key create --scope token:read)." });
  }
  let account: Awaited<ReturnType<ResolveAccount>>;
  try {
    account = await resolveAccount(request.appId);
  } catch (err) {
    log.error("token_api.accounts_unavailable", errorFields(err));
    throw new AppError("UNAVAILABLE", { reason: "accounts_unavailable", cause: err });
  }
  // A key scoped to some accounts gets 403 for every other AppID, existing or not, so it cannot
  // learn which other accounts this mpdesk serves; only a key covering every account sees the 404.
  if (caller.accountIds && !(account && keyCovers(caller, account.id))) throw new AppError("FORBIDDEN");
  if (!account) throw new AppError("NOT_FOUND", { reason: request.appId ? "unknown_account" : "no_account_configured" });
  try {
    const { accessToken, expiresAt } = await getAccessToken(account.id);
    const expiresIn = Math.max(0, Math.floor((expiresAt.getTime() - Date.now()) / 1000));
    return { access_token: accessToken, expires_at: expiresAt.toISOString(), expires_in: expiresIn };
  } catch (err) {
    // The 503 token_unavailable carries errcode, errmsg, ip and the fix in both languages.
    if (isAppError(err, "TOKEN_UNAVAILABLE")) throw err;
    log.error("token_api.failed", { account: account.appId, caller: caller.name, ...errorFields(err) });
    if (isConnectionError(err)) {
      throw new AppError("UNAVAILABLE", { userMessage: "The database is unreachable and this instance holds no valid token.", cause: err });
    }
    throw err;
  }
}
