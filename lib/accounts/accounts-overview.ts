import type { Queryable } from "../db";
import type { TokenStatus } from "../tokens/types";
import { selectAccountSummaries, type AccountSummaryRow } from "./accounts-overview-queries";

// One line per account on the console's front page: is it receiving, did WeChat verify its URL,
// does it hold a token, how busy was it. The accounts come in already filtered to those the
// reader may see; the order is theirs.

export type AccountSummary = {
  accountId: string;
  lastMessageAt: Date | null;
  lastVerifiedAt: Date | null;
  messages24h: number;
  tokenState: TokenStatus["state"];
};

/** The same reading of the token row as getTokenStatus(): an error wins, then a missing token, then its expiry. */
export function tokenStateOf(row: Pick<AccountSummaryRow, "tokenEnc" | "expiresAt" | "lastErrorAt">, now = Date.now()): TokenStatus["state"] {
  if (row.lastErrorAt) return "error";
  if (!row.tokenEnc || !row.expiresAt) return "none";
  return row.expiresAt.getTime() <= now ? "expired" : "valid";
}

export async function summarizeAccounts(db: Queryable, accountIds: readonly string[]): Promise<AccountSummary[]> {
  const rows = new Map((await selectAccountSummaries(db, accountIds)).map((r) => [r.accountId, r]));
  return accountIds.flatMap((id) => {
    const r = rows.get(id);
    if (!r) return [];
    return [{ accountId: id, lastMessageAt: r.lastMessageAt, lastVerifiedAt: r.lastVerifiedAt, messages24h: r.messages24h, tokenState: tokenStateOf(r) }];
  });
}
