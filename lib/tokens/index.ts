// The access_token service: one refresher for every instance, a central token endpoint
// (app/api/token), API keys for its callers, and every refresh on record.
export type { RefreshEvent, RefreshTrigger, TokenEndpoint, TokenError, TokenStatus } from "./types";
export { getTokenStatus, listRefreshEvents, refreshTokenNow } from "./token-status";
export {
  API_KEY_SCOPES,
  createApiKey,
  isApiKeyScope,
  keyAllows,
  keyCovers,
  listApiKeys,
  revokeApiKey,
  verifyApiKey,
  type ApiKeyCaller,
  type ApiKeyInfo,
  type ApiKeyScope,
} from "./api-keys";
export { getAccessToken } from "./get-access-token";
export { serveTokenRequest, type TokenAnswer, type TokenRequest } from "./serve-token-request";
export { callWeChatApi, type WeChatApiRequest } from "./call-wechat-api";
export { startTokenRuntime } from "./token-runtime";
