import { rawQuery, sql, type Queryable } from "../db";

// The overview's one statement for every account shown: each figure comes from an index
// (message by account and time, callback_event by account, outcome and time, access_token by
// account), so fifty accounts cost fifty index probes in one round trip, not fifty queries.

export type AccountSummaryRow = {
  accountId: string;
  lastMessageAt: Date | null;
  lastVerifiedAt: Date | null;
  messages24h: number;
  tokenEnc: string | null;
  expiresAt: Date | null;
  lastErrorAt: Date | null;
};

export async function selectAccountSummaries(db: Queryable, accountIds: readonly string[]): Promise<AccountSummaryRow[]> {
  if (!accountIds.length) return [];
  return rawQuery<AccountSummaryRow>(
    db,
    sql`SELECT a.id::text AS "accountId",
               m.received_at AS "lastMessageAt",
               v.last_at AS "lastVerifiedAt",
               (SELECT count(*)::int FROM message c WHERE c.account_id = a.id AND c.received_at > now() - interval '24 hours') AS "messages24h",
               t.token_enc AS "tokenEnc", t.expires_at AS "expiresAt", t.last_error_at AS "lastErrorAt"
          FROM account a
          LEFT JOIN LATERAL (SELECT received_at FROM message WHERE account_id = a.id ORDER BY received_at DESC LIMIT 1) m ON true
          LEFT JOIN LATERAL (SELECT last_at FROM callback_event WHERE account_id = a.id AND outcome = 'verified' ORDER BY last_at DESC LIMIT 1) v ON true
          LEFT JOIN access_token t ON t.account_id = a.id
         WHERE a.id = ANY(${accountIds}::uuid[])`,
  );
}
