import { cachedToken, loadToken } from "./token-cache";
import { isUsable } from "./refresh-policy";
import { refreshAccessToken } from "./refresh-access-token";
import { tokenUnavailable } from "./types";

/**
 * The account's current access_token, for business calls and GET /api/token. From memory when
 * warm; else the stored one; else a refresh shared with every concurrent caller (trigger
 * "on-demand"). Throws AppError TOKEN_UNAVAILABLE with the fix when no token can be had.
 */
export async function getAccessToken(accountId: string): Promise<{ accessToken: string; expiresAt: Date }> {
  const grant = cachedToken(accountId) ?? (await usableStoredToken(accountId)) ?? (await refreshOnDemand(accountId));
  return { accessToken: grant.token, expiresAt: grant.expiresAt };
}

async function usableStoredToken(accountId: string) {
  const stored = await loadToken(accountId);
  return stored && isUsable(stored, Date.now()) ? stored : null;
}

async function refreshOnDemand(accountId: string) {
  const result = await refreshAccessToken(accountId, { trigger: "on-demand" });
  if (result.ok) return result.grant;
  if (result.grant) return result.grant;
  throw tokenUnavailable(result.error);
}
