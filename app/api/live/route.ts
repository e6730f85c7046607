import { requireAccountForRoute } from "@/lib/auth/require-user";
import { getCallbackStatus } from "@/lib/callback/callback-status";
import { getPool } from "@/lib/db";
import { getTimeZone } from "@/lib/i18n/server";
import { getNewestCursor } from "@/lib/messages/list-messages";
import { parseMessageFilters } from "@/lib/messages/message-filters";
import { listRefreshEvents } from "@/lib/tokens";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

// What the live views poll, for ?account=<AppID> (else the first account the user may see):
// ?scope=messages (with the page's filters) answers the newest row's cursor, ?scope=callback the
// callback status version, ?scope=token the latest token refresh. A changed value means "refresh".
// An account the user may not see answers 404, like one that does not exist.
export async function GET(request: Request): Promise<Response> {
  const params = new URL(request.url).searchParams;
  const access = await requireAccountForRoute(params.get("account"), { role: "viewer" });
  if (access instanceof Response) return access;
  const { account } = access;
  const scope = params.get("scope");
  const version =
    scope === "callback"
      ? (await getCallbackStatus(getPool(), account.id)).version
      : scope === "token"
        ? ((await listRefreshEvents(account.id, { limit: 1 }))[0]?.id ?? null)
        : await getNewestCursor(getPool(), { accountId: account.id, filters: parseMessageFilters(params), tz: await getTimeZone() });
  return Response.json({ version: `${account.id}|${version}` }, { headers: { "cache-control": "no-store" } });
}
