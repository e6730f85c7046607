import { getPrisma } from "../db";

// Who may see and change which account. An administrator of mpdesk (user.role admin) manages
// users and accounts and is admin on every account. Every other user has, per account, the role
// in account_member: admin (settings, secrets, token, and everything a viewer sees) or viewer
// (read only); an account without a row is one the user cannot see at all, anywhere. Read from
// the database on every check, like the user's own role, so a change applies on the next request.

export type AccountRole = "admin" | "viewer";
export type AccountUser = { id: string; role: "admin" | "viewer" };

/** Every account the user may see, by account id, with the user's role on it. */
export async function accountRoles(user: AccountUser): Promise<Map<string, AccountRole>> {
  const prisma = getPrisma();
  if (user.role === "admin") {
    const rows = await prisma.account.findMany({ select: { id: true } });
    return new Map(rows.map((r) => [r.id, "admin"]));
  }
  const rows = await prisma.accountMember.findMany({ where: { userId: user.id }, select: { accountId: true, role: true } });
  return new Map(rows.map((r) => [r.accountId, r.role]));
}

/** Whether `role` may do what `needed` may: an account admin may do everything a viewer may. */
export function roleAllows(role: AccountRole | null, needed: AccountRole): boolean {
  return role === "admin" || (role === "viewer" && needed === "viewer");
}
