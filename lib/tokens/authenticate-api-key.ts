import { AppError } from "../app-error";
import { errorFields, log } from "../log";
import { keyAllows, keyCovers, verifyApiKey, type ApiKeyCaller, type ApiKeyScope } from "./api-keys";
import { keyFailureRetryAfterMs, recordKeyFailure } from "./key-failure-limit";

// The one gate in front of every endpoint other services call with an API key (GET /api/token,
// POST /api/messages): the wrong-key limit per address, the Bearer key, then the scope the
// endpoint needs. Every refusal is an AppError, answered through the one code → HTTP table.

export type ApiKeyRequest = { authorization: string | null; clientIp: string };

export async function authenticateApiKey(request: ApiKeyRequest, scope: ApiKeyScope): Promise<ApiKeyCaller> {
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
  let caller: ApiKeyCaller | null;
  try {
    caller = presented ? await verifyApiKey(presented) : null;
  } catch (err) {
    log.error("api_key.unavailable", errorFields(err));
    throw new AppError("UNAVAILABLE", { userMessage: "API keys cannot be checked: the database is unreachable.", cause: err });
  }
  if (!caller) {
    recordKeyFailure(request.clientIp);
    throw new AppError("UNAUTHORIZED", {
      userMessage: `Send an mpdesk API key as \`Authorization: Bearer mpd_…\` (npm run mpdesk -- api-key create --name <service> --scope ${scope}).`,
      headers: { "www-authenticate": 'Bearer realm="mpdesk"' },
    });
  }
  // A key made for one job does not do the other: a key that only sends must not hand out the
  // token that would let its holder call WeChat around mpdesk, and the reverse.
  if (!keyAllows(caller, scope)) {
    throw new AppError("FORBIDDEN", {
      reason: "insufficient_scope",
      userMessage: `This API key lacks the ${scope} scope; create one with npm run mpdesk -- api-key create --name <service> --scope ${scope}.`,
    });
  }
  return caller;
}

/**
 * Refuses an account the key does not cover. A key scoped to some accounts gets the same 403 for
 * every other AppID, existing or not, so it cannot learn which other accounts this mpdesk serves;
 * only a key covering every account goes on to see a 404.
 */
export function assertKeyCovers(caller: ApiKeyCaller, account: { id: string } | null): void {
  if (caller.accountIds && !(account && keyCovers(caller, account.id))) throw new AppError("FORBIDDEN");
}
