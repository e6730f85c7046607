import { getCallbackRuntime } from "@/lib/callback/callback-runtime";
import { errorFields, log } from "@/lib/log";
import { getAccessToken, TokenUnavailableError, verifyApiKey } from "@/lib/tokens";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

// GET /api/token[?account=<AppID>] with `Authorization: Bearer <API key>`: the central token
// endpoint (中控) for the other internal services. The token is in the body, never in a log line.

const NO_STORE = { "cache-control": "no-store" };

function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return Response.json(body, { status, headers: { ...NO_STORE, ...headers } });
}

export async function GET(request: Request): Promise<Response> {
  const presented = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.get("authorization") ?? "")?.[1];
  const caller = presented ? await verifyApiKey(presented) : null;
  if (!caller) {
    return json(401, { error: "unauthorized", message: "Send an mpdesk API key as `Authorization: Bearer mpd_…` (npm run mpdesk -- api-key create --name <service>)." }, {
      "www-authenticate": 'Bearer realm="mpdesk"',
    });
  }
  const appId = new URL(request.url).searchParams.get("account");
  const account = await getCallbackRuntime()
    .accounts.resolve(appId)
    .catch((err) => {
      log.error("token_api.accounts_unavailable", errorFields(err));
      return undefined;
    });
  if (account === undefined) return json(503, { error: "accounts_unavailable" });
  if (!account) return json(404, { error: appId ? "unknown_account" : "no_account_configured" });
  try {
    const { accessToken, expiresAt } = await getAccessToken(account.id);
    return json(200, {
      access_token: accessToken,
      expires_at: expiresAt.toISOString(),
      expires_in: Math.max(0, Math.floor((expiresAt.getTime() - Date.now()) / 1000)),
    });
  } catch (err) {
    if (err instanceof TokenUnavailableError) {
      return json(503, { error: "token_unavailable", ...err.error });
    }
    log.error("token_api.failed", { account: account.appId, caller: caller.name, ...errorFields(err) });
    return json(500, { error: "internal_error" });
  }
}
