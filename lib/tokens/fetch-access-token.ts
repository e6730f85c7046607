import { isAppError } from "../app-error";
import { requestClassicToken, requestStableToken } from "../wechat/api-client";
import type { TokenEndpoint } from "./types";

// One call to WeChat's token API, whichever endpoint the account uses, timed. A network failure
// becomes errcode null so the caller has a single shape to record and to decide on.

export type FetchOutcome =
  { ok: true; token: string; expiresIn: number; latencyMs: number } | { ok: false; errcode: number | null; errmsg: string; latencyMs: number };

export async function fetchAccessToken(opts: {
  baseUrl: string;
  timeoutMs: number;
  endpoint: TokenEndpoint;
  appId: string;
  secret: string;
  forceRefresh: boolean;
}): Promise<FetchOutcome> {
  const started = performance.now();
  const latency = () => Math.round(performance.now() - started);
  try {
    const result =
      opts.endpoint === "stable"
        ? await requestStableToken({ ...opts })
        : await requestClassicToken({ baseUrl: opts.baseUrl, timeoutMs: opts.timeoutMs, appId: opts.appId, secret: opts.secret });
    if (!result.ok) return { ok: false, errcode: result.errcode, errmsg: result.errmsg, latencyMs: latency() };
    return { ok: true, token: result.data.accessToken, expiresIn: result.data.expiresIn, latencyMs: latency() };
  } catch (err) {
    if (isAppError(err, "WECHAT_NETWORK")) return { ok: false, errcode: null, errmsg: err.message, latencyMs: latency() };
    throw err;
  }
}
