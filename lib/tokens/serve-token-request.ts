import { AppError, isAppError, toHttpError } from "../app-error";
import { isConnectionError } from "../db";
import { errorFields, log } from "../log";
import { assertKeyCovers, authenticateApiKey } from "./authenticate-api-key";
import { getAccessToken } from "./get-access-token";

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
  const caller = await authenticateApiKey(request, "token:read");
  let account: Awaited<ReturnType<ResolveAccount>>;
  try {
    account = await resolveAccount(request.appId);
  } catch (err) {
    log.error("token_api.accounts_unavailable", errorFields(err));
    throw new AppError("UNAVAILABLE", { reason: "accounts_unavailable", cause: err });
  }
  assertKeyCovers(caller, account);
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
