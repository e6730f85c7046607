import { z } from "zod";
import { LOCK } from "../advisory-locks";
import { isAppError } from "../app-error";
import type { Prisma } from "../db";
import { normaliseEmail } from "./authenticate-user";
import { admitLoginAttempt, recordLoginFailure, recordLoginSuccess, refundLoginAttempt } from "./login-throttle";
import { generatePassword, hashPassword, verifyPassword } from "./password";

// The Users page's operations. Role changes and removals that could leave no admin are refused;
// they run under one advisory lock so two admins demoting each other at once cannot both win.

export const ZNewUser = z.object({
  email: z.preprocess((v) => (typeof v === "string" ? normaliseEmail(v) : v), z.email()),
  role: z.enum(["admin", "viewer"]),
  password: z.preprocess((v) => (typeof v === "string" && v === "" ? undefined : v), z.string().min(8).max(200).optional()),
});

export type UserRow = { id: string; email: string; role: "admin" | "viewer"; createdAt: Date };
export type UserChange = { ok: true; email: string } | { ok: false; reason: "lastAdmin" | "self" | "notFound" | "taken" };

export async function listUsers(prisma: Prisma): Promise<UserRow[]> {
  return prisma.user.findMany({ orderBy: [{ createdAt: "asc" }, { email: "asc" }], select: { id: true, email: true, role: true, createdAt: true } });
}

/**
 * With `accountIds`, the user is a member with `role` on those accounts only. Without: `admin` makes
 * an administrator of mpdesk, `viewer` a member who views every account that exists now (what a
 * viewer was before accounts had members; accounts added later are granted one by one).
 */
export async function createUser(
  prisma: Prisma,
  input: z.infer<typeof ZNewUser>,
  opts: { accountIds?: readonly string[] } = {},
): Promise<(UserChange & { ok: false }) | { ok: true; email: string; administrator: boolean; accountIds: string[]; generatedPassword?: string }> {
  const password = input.password ?? generatePassword();
  const existing = await prisma.user.findUnique({ where: { email: input.email }, select: { id: true } });
  if (existing) return { ok: false, reason: "taken" };
  const administrator = input.role === "admin" && !opts.accountIds?.length;
  const accountIds = administrator
    ? []
    : opts.accountIds?.length
      ? [...new Set(opts.accountIds)]
      : (await prisma.account.findMany({ orderBy: [{ createdAt: "asc" }, { id: "asc" }], select: { id: true } })).map((a) => a.id);
  const memberRole = opts.accountIds?.length ? input.role : "viewer";
  await prisma.user.create({
    data: {
      email: input.email,
      role: administrator ? "admin" : "viewer",
      passwordHash: await hashPassword(password),
      memberships: { create: accountIds.map((accountId) => ({ accountId, role: memberRole })) },
    },
  });
  return { ok: true, email: input.email, administrator, accountIds, generatedPassword: input.password ? undefined : password };
}

export async function changeUserRole(prisma: Prisma, userId: string, role: "admin" | "viewer"): Promise<UserChange> {
  return prisma.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(${LOCK.users})`;
    const user = await tx.user.findUnique({ where: { id: userId } });
    if (!user) return { ok: false, reason: "notFound" } as const;
    if (user.role === "admin" && role !== "admin" && (await tx.user.count({ where: { role: "admin" } })) <= 1)
      return { ok: false, reason: "lastAdmin" } as const;
    await tx.user.update({ where: { id: userId }, data: { role } });
    // An administrator has every account; per-account rows kept from before would silently come
    // back if they were made a member again, so a member starts from no access instead.
    if (role !== user.role) await tx.accountMember.deleteMany({ where: { userId } });
    return { ok: true, email: user.email } as const;
  });
}

export async function removeUser(prisma: Prisma, userId: string, actingUserId: string): Promise<UserChange> {
  if (userId === actingUserId) return { ok: false, reason: "self" };
  return prisma.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(${LOCK.users})`;
    const user = await tx.user.findUnique({ where: { id: userId } });
    if (!user) return { ok: false, reason: "notFound" } as const;
    if (user.role === "admin" && (await tx.user.count({ where: { role: "admin" } })) <= 1) return { ok: false, reason: "lastAdmin" } as const;
    await tx.user.delete({ where: { id: userId } });
    return { ok: true, email: user.email } as const;
  });
}

/** A new generated password, shown once; the user's existing sessions end (session_version). */
export async function resetUserPassword(
  prisma: Prisma,
  userId: string,
): Promise<{ ok: true; email: string; password: string } | { ok: false; reason: "notFound" }> {
  const password = generatePassword();
  const passwordHash = await hashPassword(password);
  const { count } = await prisma.user.updateMany({ where: { id: userId }, data: { passwordHash, sessionVersion: { increment: 1 } } });
  if (!count) return { ok: false, reason: "notFound" };
  const user = await prisma.user.findUniqueOrThrow({ where: { id: userId }, select: { email: true } });
  return { ok: true, email: user.email, password };
}

/** Ends every session issued to the user so far: sign-out, and a password change (before re-issuing the caller's). */
export async function endSessions(prisma: Prisma, userId: string, onlyIfVersion?: number): Promise<void> {
  await prisma.user.updateMany({
    where: { id: userId, ...(onlyIfVersion === undefined ? {} : { sessionVersion: onlyIfVersion }) },
    data: { sessionVersion: { increment: 1 } },
  });
}

export const ZOwnPassword = z
  .object({
    currentPassword: z.string().min(1).max(1024),
    newPassword: z.string().min(8).max(200),
    confirmPassword: z.string(),
  })
  .refine((v) => v.newPassword === v.confirmPassword, { path: ["confirmPassword"], message: "mismatch" });

export type OwnPasswordChange =
  { ok: true; email: string } | { ok: false; reason: "wrongCurrent" | "busy" | "notFound" } | { ok: false; reason: "throttled"; retryAfterMs: number };

/**
 * A user sets their own password; every session they hold ends (the caller re-issues its own).
 * The current password is checked under the sign-in throttle, so a stolen session cannot be used
 * to guess it faster than the sign-in form allows. `ip`: the client address (lib/http/client-ip.ts).
 */
export async function changeOwnPassword(
  prisma: Prisma,
  userId: string,
  input: { currentPassword: string; newPassword: string; ip: string },
): Promise<OwnPasswordChange> {
  const user = await prisma.user.findUnique({ where: { id: userId }, select: { email: true, passwordHash: true } });
  if (!user) return { ok: false, reason: "notFound" };
  const admitted = await admitLoginAttempt(prisma, user.email, input.ip);
  if (!admitted.allowed) return { ok: false, reason: "throttled", retryAfterMs: admitted.retryAfterMs };
  let valid: boolean;
  try {
    valid = await verifyPassword(input.currentPassword, user.passwordHash);
  } catch (err) {
    if (!isAppError(err, "BUSY")) throw err;
    await refundLoginAttempt(prisma, user.email, input.ip);
    return { ok: false, reason: "busy" };
  }
  if (!valid) {
    await recordLoginFailure(prisma, user.email, input.ip);
    return { ok: false, reason: "wrongCurrent" };
  }
  await recordLoginSuccess(prisma, user.email, input.ip);
  const passwordHash = await hashPassword(input.newPassword);
  await prisma.user.update({ where: { id: userId }, data: { passwordHash, sessionVersion: { increment: 1 } } });
  return { ok: true, email: user.email };
}
