import { AppError } from "../app-error";

// A thin client for WeChat's server API (api.weixin.qq.com): builds the request, bounds it with a
// timeout and turns the answer into data or { errcode, errmsg }. No retries and no policy here —
// lib/tokens decides what an errcode means — and nothing from Next.js or Prisma.
//
// Secrets travel in the URL (classic token) or the body (stable token); they never appear in an
// error raised from here, so callers may log these errors as they are.

export type WeChatFailure = { ok: false; errcode: number; errmsg: string };
export type WeChatResult<T> = { ok: true; data: T } | WeChatFailure;
export type TokenGrant = { accessToken: string; expiresIn: number };

/** The request never got a WeChat answer: timeout, refused connection, an HTTP error or a body that is not WeChat's JSON. */
// No `cause`: the fetch error may carry the URL, and the classic token's URL holds the AppSecret.
const networkError = (message: string) => new AppError("WECHAT_NETWORK", { message });

type Target = { baseUrl: string; timeoutMs: number };

/** POST /cgi-bin/stable_token. Without force_refresh the same token comes back until WeChat rotates it, 5 minutes before expiry. */
export async function requestStableToken(opts: Target & { appId: string; secret: string; forceRefresh: boolean }): Promise<WeChatResult<TokenGrant>> {
  const body = { grant_type: "client_credential", appid: opts.appId, secret: opts.secret, force_refresh: opts.forceRefresh };
  return toGrant(await send(opts, "POST", "/cgi-bin/stable_token", {}, body));
}

/** GET /cgi-bin/token. Every call issues a new token; the previous one keeps working for about 5 minutes. */
export async function requestClassicToken(opts: Target & { appId: string; secret: string }): Promise<WeChatResult<TokenGrant>> {
  return toGrant(await send(opts, "GET", "/cgi-bin/token", { grant_type: "client_credential", appid: opts.appId, secret: opts.secret }));
}

/** What media/get answers for an image or voice: the file itself. (A video's answer is JSON, `{video_url}`.) */
export type MediaBytes = { bytes: Buffer; contentType: string; filename: string | null };

/**
 * Any API taking `access_token` in the query string. `body` is sent as JSON, or as multipart when
 * it is a FormData (media/upload, material/add_material: the file goes in the field `media`).
 * With `binary`, an answer that is not JSON is the file (media/get, material/get_material);
 * WeChat still answers errors, and a video's URL, as JSON.
 */
export async function callWithAccessToken<T>(
  opts: Target & { accessToken: string; method: "GET" | "POST"; path: string; query?: Record<string, string>; body?: unknown; binary?: boolean },
): Promise<WeChatResult<T>> {
  const result = await send(opts, opts.method, opts.path, { ...opts.query, access_token: opts.accessToken }, opts.body, opts.binary);
  return result.ok ? { ok: true, data: result.data as T } : result;
}

async function send(
  target: Target,
  method: "GET" | "POST",
  path: string,
  query: Record<string, string>,
  body?: unknown,
  binary = false,
): Promise<WeChatResult<Record<string, unknown>>> {
  const url = new URL(path, target.baseUrl.endsWith("/") ? target.baseUrl : `${target.baseUrl}/`);
  for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
  const form = body instanceof FormData;
  let response: Response;
  try {
    response = await fetch(url, {
      method,
      // fetch writes the multipart boundary into the header itself.
      headers: body === undefined || form ? undefined : { "content-type": "application/json" },
      body: body === undefined ? undefined : form ? body : JSON.stringify(body),
      signal: AbortSignal.timeout(target.timeoutMs),
    });
  } catch (err) {
    throw networkError(describeFetchError(err, target.timeoutMs));
  }
  const contentType = response.headers.get("content-type") ?? "";
  // WeChat labels its JSON application/json or text/plain; anything else on a binary call is the file.
  if (binary && response.ok && !/json|text\/plain/i.test(contentType)) {
    let bytes: Buffer;
    try {
      bytes = Buffer.from(await response.arrayBuffer());
    } catch (err) {
      throw networkError(describeFetchError(err, target.timeoutMs));
    }
    const filename = /filename="?([^";]+)"?/i.exec(response.headers.get("content-disposition") ?? "")?.[1] ?? null;
    return { ok: true, data: { bytes, contentType: contentType || "application/octet-stream", filename } satisfies MediaBytes };
  }
  let text: string;
  try {
    text = await response.text();
  } catch (err) {
    throw networkError(describeFetchError(err, target.timeoutMs));
  }
  if (!response.ok) throw networkError(`HTTP ${response.status} from ${path}`);
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw networkError(`${path} answered something that is not JSON (${text.length} bytes)`);
  }
  if (typeof data !== "object" || data === null) throw networkError(`${path} answered JSON that is not an object`);
  const record = data as Record<string, unknown>;
  const errcode = typeof record.errcode === "number" ? record.errcode : 0;
  if (errcode !== 0) {
    return { ok: false, errcode, errmsg: typeof record.errmsg === "string" ? record.errmsg : "" };
  }
  return { ok: true, data: record };
}

function toGrant(result: WeChatResult<Record<string, unknown>>): WeChatResult<TokenGrant> {
  if (!result.ok) return result;
  const { access_token: accessToken, expires_in: expiresIn } = result.data;
  if (typeof accessToken !== "string" || !accessToken || typeof expiresIn !== "number" || !(expiresIn > 0)) {
    throw networkError("the token answer has no access_token or expires_in");
  }
  return { ok: true, data: { accessToken, expiresIn } };
}

function describeFetchError(err: unknown, timeoutMs: number): string {
  const e = err as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (e?.name === "TimeoutError") return `no answer within ${timeoutMs} ms`;
  // undici reports "fetch failed" and puts the reason (ECONNREFUSED, ENOTFOUND …) in `cause`.
  return e?.cause?.code ?? e?.cause?.message ?? e?.message ?? String(err);
}
