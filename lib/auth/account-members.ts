import type { Prisma } from "../db";
import type { AccountRole } from "./account-access";

// Who is a member of which account, with which role: what the Users page and `mpdesk user grant`
// change. An administrator of mpdesk is never a member: they have every account already, so a
// grant to them is refused rather than stored where it would mean nothing.

export type AccountGrant = AccountRole | "none";

export type AccountRef = { id: string; appId: string; displayName: string | null };

export type GrantResult =
  { ok: true; email: string; account: AccountRef; role: AccountGrant } | { ok: false; reason: "notFound" | "unknownAccount" | "administrator" };

/** Every account, oldest first, with the names people gave them. */
export async function listAccountRefs(prisma: Prisma): Promise<AccountRef[]> {
  return prisma.account.findMany({ orderBy: [{ createdAt: "asc" }, { id: "asc" }], select: { id: true, appId: true, displayName: true } });
}

/** The accounts with these AppIDs, in the order given; `missing` names the AppIDs that match none. */
export async function findAccountsByAppId(prisma: Prisma, appIds: readonly string[]): Promise<{ accounts: AccountRef[]; missing: string[] }> {
  const unique = [...new Set(appIds)];
  const rows = await prisma.account.findMany({ where: { appId: { in: unique } }, select: { id: true, appId: true, displayName: true } });
  const byAppId = new Map(rows.map((r) => [r.appId, r]));
  return { accounts: unique.flatMap((a) => byAppId.get(a) ?? []), missing: unique.filter((a) => !byAppId.has(a)) };
}

/** Each member's role per account, by user id then account id. Administrators have no rows. */
export async function listMemberships(prisma: Prisma): Promise<Map<string, Map<string, AccountRole>>> {
  const rows = await prisma.accountMember.findMany({ select: { userId: true, accountId: true, role: true } });
  const byUser = new Map<string, Map<string, AccountRole>>();
  for (const r of rows) {
    let roles = byUser.get(r.userId);
    if (!roles) byUser.set(r.userId, (roles = new Map()));
    roles.set(r.accountId, r.role);
  }
  return byUser;
}

/** Sets a member's role on one account; `none` removes their access to it. */
export async function grantAccountRole(
  prisma: Prisma,
  input: { userId?: string; email?: string; accountId?: string; appId?: string; role: AccountGrant },
): Promise<GrantResult> {
  const user = await prisma.user.findFirst({
    where: input.userId ? { id: input.userId } : { email: input.email ?? "" },
    select: { id: true, email: true, role: true },
  });
  if (!user || (!input.userId && !input.email)) return { ok: false, reason: "notFound" };
  const account = await prisma.account.findFirst({
    where: input.accountId ? { id: input.accountId } : { appId: input.appId ?? "" },
    select: { id: true, appId: true, displayName: true },
  });
  if (!account || (!input.accountId && !input.appId)) return { ok: false, reason: "unknownAccount" };
  if (user.role === "admin") return { ok: false, reason: "administrator" };
  const key = { userId_accountId: { userId: user.id, accountId: account.id } };
  if (input.role === "none") await prisma.accountMember.deleteMany({ where: { userId: user.id, accountId: account.id } });
  else await prisma.accountMember.upsert({ where: key, create: { userId: user.id, accountId: account.id, role: input.role }, update: { role: input.role } });
  return { ok: true, email: user.email, account, role: input.role };
}

/**
 * A member's role on each of the given accounts at once (the Users page's row). Accounts removed
 * meanwhile are skipped; an administrator is refused, as in grantAccountRole.
 */
export async function setMemberAccess(
  prisma: Prisma,
  userId: string,
  roles: ReadonlyMap<string, AccountGrant>,
): Promise<{ ok: true; email: string } | { ok: false; reason: "notFound" | "administrator" }> {
  return prisma.$transaction(async (tx) => {
    const user = await tx.user.findUnique({ where: { id: userId }, select: { email: true, role: true } });
    if (!user) return { ok: false, reason: "notFound" } as const;
    if (user.role === "admin") return { ok: false, reason: "administrator" } as const;
    const existing = new Set((await tx.account.findMany({ where: { id: { in: [...roles.keys()] } }, select: { id: true } })).map((a) => a.id));
    const none = [...roles].filter(([id, role]) => existing.has(id) && role === "none").map(([id]) => id);
    if (none.length) await tx.accountMember.deleteMany({ where: { userId, accountId: { in: none } } });
    for (const [accountId, role] of roles) {
      if (!existing.has(accountId) || role === "none") continue;
      await tx.accountMember.upsert({ where: { userId_accountId: { userId, accountId } }, create: { userId, accountId, role }, update: { role } });
    }
    return { ok: true, email: user.email } as const;
  });
}
