import { redirect } from "next/navigation";
import type { NextRequest } from "next/server";
import { accountPath } from "@/lib/accounts/account-path";
import { listVisibleAccounts, requireUser } from "@/lib/auth/require-user";

// `/a/first/<page>`: that page of the first account the user may see. The URLs from before the
// AppID was in the path (/messages, /settings/server, /token …) are sent here by proxy.ts, so
// bookmarks and links pasted earlier still open, now on an account's own URL.
export async function GET(request: NextRequest, { params }: { params: Promise<{ path?: string[] }> }) {
  const user = await requireUser();
  const [first] = await listVisibleAccounts(user);
  if (!first) redirect("/");
  const segments = (await params).path ?? [];
  const sub = segments.length ? (`/${segments.map(encodeURIComponent).join("/")}` as const) : "";
  redirect(`${accountPath(first.appId, sub)}${request.nextUrl.search}`);
}
