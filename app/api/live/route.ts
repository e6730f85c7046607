import { getConsoleAccount } from "@/lib/accounts/console-account";
import { requireUserForRoute } from "@/lib/auth/require-user";
import { getCallbackStatus } from "@/lib/callback/callback-status";
import { getPool } from "@/lib/db";
import { getTimeZone } from "@/lib/i18n/server";
import { getNewestCursor } from "@/lib/messages/list-messages";
import { parseMessageFilters } from "@/lib/messages/message-filters";
import { listRefreshEvents } from "@/lib/tokens";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

// What the live views poll: ?scope=messages (with the page's filters) answers the newest row's
// cursor, ?scope=callback the callback status version, ?scope=token the latest token refresh.
// A changed value means "refresh".
export async function GET(request: Request): Promise<Response> {
  const user = await requireUserForRoute();
  if (user instanceof Response) return user;
  const params = new URL(request.url).searchParams;
  const { account } = await getConsoleAccount();
  let version: string | null = null;
  if (account) {
    const scope = params.get("scope");
    version =
      scope === "callback"
        ? (await getCallbackStatus(getPool(), account.id)).version
        : scope === "token"
          ? ((await listRefreshEvents(account.id, { limit: 1 }))[0]?.id ?? null)
          : await getNewestCursor(getPool(), { accountId: account.id, filters: parseMessageFilters(params), tz: await getTimeZone() });
  }
  return Response.json({ version: account ? `${account.id}|${version}` : null }, { headers: { "cache-control": "no-store" } });
}
