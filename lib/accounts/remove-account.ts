import type { Prisma } from "../db";

// Removing an account deletes everything kept for it: the foreign keys cascade from account to
// messages, callback counters, the token row and its refresh events, members and API-key scopes.
// What is deleted is counted first, so whoever confirms (the console, the CLI) sees it named.

export type AccountRemoval = {
  accountId: string;
  appId: string;
  displayName: string | null;
  messages: number;
  /** Callback requests counted (verifications and refusals), not counter rows. */
  callbackEvents: number;
  tokenRefreshEvents: number;
  /** Per-account roles granted to members. */
  members: number;
  /** API keys scoped to this account among others: they lose this account only. */
  apiKeyScopes: number;
  /** API keys scoped to this account alone: revoked, since a key with no scope left would cover every account. */
  apiKeysRevoked: number;
  hasToken: boolean;
};

type Db = Pick<Prisma, "account" | "message" | "callbackEvent" | "tokenRefreshEvent" | "accountMember" | "apiKeyAccount" | "accessToken" | "apiKey">;

/** Active keys whose only scope is this account. */
async function keysScopedOnlyTo(db: Db, accountId: string): Promise<string[]> {
  const keys = await db.apiKey.findMany({
    where: { revokedAt: null, accounts: { some: { accountId }, every: { accountId } } },
    select: { id: true },
  });
  return keys.map((k) => k.id);
}

/** What removing the account would delete; null when there is no such account. */
export async function describeAccountRemoval(prisma: Db, accountId: string): Promise<AccountRemoval | null> {
  const account = await prisma.account.findUnique({ where: { id: accountId }, select: { id: true, appId: true, displayName: true } });
  if (!account) return null;
  const where = { accountId };
  const [messages, callbackEvents, tokenRefreshEvents, members, scopes, token, onlyHere] = await Promise.all([
    prisma.message.count({ where }),
    prisma.callbackEvent.aggregate({ where, _sum: { count: true } }),
    prisma.tokenRefreshEvent.count({ where }),
    prisma.accountMember.count({ where }),
    prisma.apiKeyAccount.count({ where: { accountId, apiKey: { revokedAt: null } } }),
    prisma.accessToken.findUnique({ where, select: { accountId: true } }),
    keysScopedOnlyTo(prisma, accountId),
  ]);
  return {
    accountId: account.id,
    appId: account.appId,
    displayName: account.displayName,
    messages,
    callbackEvents: callbackEvents._sum.count ?? 0,
    tokenRefreshEvents,
    members,
    apiKeyScopes: scopes - onlyHere.length,
    apiKeysRevoked: onlyHere.length,
    hasToken: token !== null,
  };
}

/**
 * Deletes the account and everything kept for it, and tells every instance: the callback stops
 * serving its URL and the token cache drops its token. Returns what was deleted, or null when no
 * account has that AppID.
 */
export async function removeAccount(prisma: Prisma, appId: string): Promise<AccountRemoval | null> {
  return prisma.$transaction(async (tx) => {
    const account = await tx.account.findUnique({ where: { appId }, select: { id: true } });
    if (!account) return null;
    const removal = await describeAccountRemoval(tx, account.id);
    if (!removal) return null;
    const revoke = await keysScopedOnlyTo(tx, account.id);
    if (revoke.length) await tx.apiKey.updateMany({ where: { id: { in: revoke } }, data: { revokedAt: new Date() } });
    await tx.account.delete({ where: { id: account.id } });
    // Delivered at commit, so no instance reloads before the row is gone.
    await tx.$executeRaw`SELECT pg_notify('mpdesk_account_changed', ''), pg_notify('mpdesk_token_changed', ${account.id})`;
    if (revoke.length) await tx.$executeRaw`SELECT pg_notify('mpdesk_api_keys_changed', '')`;
    return removal;
  });
}
