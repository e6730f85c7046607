import { getEnv } from "../env";
import { callWithAccessToken } from "../wechat/api-client";
import { classifyErrcode } from "../wechat/errors";
import { getAccessToken } from "./get-access-token";
import { refreshAccessToken } from "./refresh-access-token";
import { forgetToken } from "./token-cache";
import { tokenUnavailable, wechatApiError } from "./types";

/** `body` is JSON, or multipart when a FormData; `binary` accepts a file as the answer (see callWithAccessToken). */
export type WeChatApiRequest = { method: "GET" | "POST"; path: string; query?: Record<string, string>; body?: unknown; binary?: boolean };

/**
 * Calls a WeChat API with the account's access_token. On 40001/40014/42001 the token is refreshed
 * only if it is still the stored one (compare-and-refresh: a token another caller already replaced
 * is not replaced again), and the call is retried once. A second refusal is an error, never a loop.
 */
export async function callWeChatApi<T>(accountId: string, request: WeChatApiRequest): Promise<T> {
  const env = getEnv();
  let { accessToken } = await getAccessToken(accountId);
  for (let retried = false; ; retried = true) {
    const result = await callWithAccessToken<T>({ baseUrl: env.WECHAT_API_BASE, timeoutMs: env.MPDESK_WECHAT_TIMEOUT_MS, accessToken, ...request });
    if (result.ok) return result.data;
    if (retried || classifyErrcode(result.errcode) !== "invalid-token") throw wechatApiError(result.errcode, result.errmsg, request.path);
    forgetToken(accountId, accessToken);
    const refreshed = await refreshAccessToken(accountId, { trigger: "invalid-token", failedToken: accessToken });
    if (!refreshed.ok) throw tokenUnavailable(refreshed.error);
    accessToken = refreshed.grant.token;
  }
}
