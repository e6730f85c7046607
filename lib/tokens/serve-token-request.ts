import { isConnectionError } from "../db";
import { errorFields, log } from "../log";
import { verifyApiKey } from "./api-keys";
import { getAccessToken } from "./get-access-token";
import { keyFailureRetryAfterMs, recordKeyFailure } from "./key-failure-limit";
import { TokenUnavailableError } from "./types";

// GET /api/token[?account=<AppID>] as a plain function of the request's two inputs, so the route
// handler stays a thin adapter. The token is in the answer's body and never in a log line.

/** `clientIp`: the caller's address as lib/http/client-ip.ts decides it. */
export type TokenRequest = { authorization: string | null; appId: string | null; clientIp: string };
export type TokenAnswer = { status: number; body: Record<string, unknown>; headers?: Record<string, string> };
type ResolveAccount = (appId: string | null) => Promise<{ id: string; appId: string } | null>;

export async function serveTokenRequest(request: TokenRequest, resolveAccount: ResolveAccount): Promise<TokenAnswer> {
  const retryAfterMs = keyFailureRetryAfterMs(request.clientIp);
  if (retryAfterMs > 0) {
    return {
      status: 429,
      body: { error: "too_many_attempts", message: `Too many requests with a wrong API key from this address; try again in ${Math.ceil(retryAfterMs / 1000)} s.` },
      headers: { "retry-after": String(Math.ceil(retryAfterMs / 1000)) },
    };
  }
  const presented = /^Bearer\s+(\S+)\s*$/i.exec(request.authorization ?? "")?.[1];
  let caller: Awaited<ReturnType<typeof verifyApiKey>>;
  try {
    caller = presented ? await verifyApiKey(presented) : null;
  } catch (err) {
    log.error("token_api.keys_unavailable", errorFields(err));
    return { status: 503, body: { error: "unavailable", message: "API keys cannot be checked: the database is unreachable." } };
  }
  if (!caller) {
    recordKeyFailure(request.clientIp);
    return {
      status: 401,
      body: { error: "unauthorized", message: "Send an mpdesk API key as `Authorization: Bearer mpd_…` (npm run mpdesk -- api-key create --name <service>)." },
      headers: { "www-authenticate": 'Bearer realm="mpdesk"' },
    };
  }
  let account: Awaited<ReturnType<ResolveAccount>>;
  try {
    account = await resolveAccount(request.appId);
  } catch (err) {
    log.error("token_api.accounts_unavailable", errorFields(err));
    return { status: 503, body: { error: "accounts_unavailable" } };
  }
  if (!account) return { status: 404, body: { error: request.appId ? "unknown_account" : "no_account_configured" } };
  try {
    const { accessToken, expiresAt } = await getAccessToken(account.id);
    const expiresIn = Math.max(0, Math.floor((expiresAt.getTime() - Date.now()) / 1000));
    return { status: 200, body: { access_token: accessToken, expires_at: expiresAt.toISOString(), expires_in: expiresIn } };
  } catch (err) {
    if (err instanceof TokenUnavailableError) return { status: 503, body: { error: "token_unavailable", ...err.error } };
    log.error("token_api.failed", { account: account.appId, caller: caller.name, ...errorFields(err) });
    if (isConnectionError(err)) {
      return { status: 503, body: { error: "unavailable", message: "The database is unreachable and this instance holds no valid token." } };
    }
    return { status: 500, body: { error: "internal_error" } };
  }
}
