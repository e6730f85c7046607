import { z } from "zod";
import { LOCK } from "../advisory-locks";
import type { Prisma } from "../db";
import { normaliseEmail } from "./authenticate-user";
import { generatePassword, hashPassword } from "./password";

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

export async function createUser(prisma: Prisma, input: z.infer<typeof ZNewUser>): Promise<(UserChange & { ok: false }) | { ok: true; email: string; generatedPassword?: string }> {
  const password = input.password ?? generatePassword();
  const existing = await prisma.user.findUnique({ where: { email: input.email }, select: { id: true } });
  if (existing) return { ok: false, reason: "taken" };
  await prisma.user.create({ data: { email: input.email, role: input.role, passwordHash: await hashPassword(password) } });
  return { ok: true, email: input.email, generatedPassword: input.password ? undefined : password };
}

export async function changeUserRole(prisma: Prisma, userId: string, role: "admin" | "viewer"): Promise<UserChange> {
  return prisma.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(${LOCK.users})`;
    const user = await tx.user.findUnique({ where: { id: userId } });
    if (!user) return { ok: false, reason: "notFound" } as const;
    if (user.role === "admin" && role !== "admin" && (await tx.user.count({ where: { role: "admin" } })) <= 1) return { ok: false, reason: "lastAdmin" } as const;
    await tx.user.update({ where: { id: userId }, data: { role } });
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
export async function resetUserPassword(prisma: Prisma, userId: string): Promise<{ ok: true; email: string; password: string } | { ok: false; reason: "notFound" }> {
  const password = generatePassword();
  const passwordHash = await hashPassword(password);
  const { count } = await prisma.user.updateMany({ where: { id: userId }, data: { passwordHash, sessionVersion: { increment: 1 } } });
  if (!count) return { ok: false, reason: "notFound" };
  const user = await prisma.user.findUniqueOrThrow({ where: { id: userId }, select: { email: true } });
  return { ok: true, email: user.email, password };
}
