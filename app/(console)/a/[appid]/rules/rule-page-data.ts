import type { BubbleMedia } from "@/components/wechat-bubble";
import { accountMediaPath } from "@/lib/accounts/account-path";
import type { ConsoleAccount } from "@/lib/accounts/console-account";
import { getPool, getPrisma } from "@/lib/db";
import { listMedia } from "@/lib/media/media-queries";
import type { StoredMedia } from "@/lib/media/types";

// What the rules pages read besides the rules: the account's time zone, which windows are in,
// and the kept media their replies name, with the URL the console shows each from.

export async function accountTimeZone(accountId: string): Promise<string> {
  const row = await getPrisma().account.findUniqueOrThrow({ where: { id: accountId }, select: { timeZone: true } });
  return row.timeZone;
}

export const mediaSrc = (account: Pick<ConsoleAccount, "appId">, id: string) => accountMediaPath(account.appId, id);

export type LibraryItem = { id: string; mediaId: string; kind: StoredMedia["kind"]; filename: string; src: string };

/** The account's permanent material, newest first: what a reply can be given without an upload. */
export async function mediaLibrary(account: Pick<ConsoleAccount, "id" | "appId">): Promise<LibraryItem[]> {
  const items = await listMedia(getPool(), account.id, { limit: 500 });
  return items.map((m) => ({ id: m.id, mediaId: m.mediaId, kind: m.kind, filename: m.filename, src: mediaSrc(account, m.id) }));
}

/** By media_id, for the bubbles. */
export function mediaByMediaId(library: LibraryItem[]): Record<string, BubbleMedia> {
  return Object.fromEntries(library.map((m) => [m.mediaId, { src: m.src, filename: m.filename }]));
}
