import type { Queryable } from "../db";
import { upsertReadMarker } from "./inbox-queries";

// Opening a follower's thread marks it read for the user who opened it, through the newest row
// the page showed (not the table's newest), so a message that arrived while the page rendered
// stays unread.

export async function markThreadRead(db: Queryable, m: { userId: string; accountId: string; openId: string; throughId: string | null }): Promise<void> {
  if (!m.throughId) return;
  await upsertReadMarker(db, { userId: m.userId, accountId: m.accountId, openId: m.openId, through: m.throughId });
}
