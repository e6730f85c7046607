import type { Prisma } from "../db";

// Failed sign-ins per (e-mail, IP), kept in PostgreSQL so every instance sees the same count.
// Five failures within fifteen minutes lock that pair until the oldest of them ages out; while
// locked even the right password is refused, or the lock would only slow guessing down.

export const MAX_FAILURES = 5;
export const WINDOW_MS = 15 * 60_000;

export type ThrottleState = { locked: false } | { locked: true; retryAfterMs: number };

export async function checkLoginThrottle(prisma: Prisma, email: string, ip: string, now = new Date()): Promise<ThrottleState> {
  const since = new Date(now.getTime() - WINDOW_MS);
  const recent = await prisma.loginAttempt.findMany({
    where: { email, ip, createdAt: { gt: since } },
    orderBy: { createdAt: "desc" },
    take: MAX_FAILURES,
    select: { createdAt: true },
  });
  if (recent.length < MAX_FAILURES) return { locked: false };
  // Unlocks when the oldest of the last MAX_FAILURES failures leaves the window.
  const oldest = recent[recent.length - 1]!.createdAt.getTime();
  return { locked: true, retryAfterMs: Math.max(1_000, oldest + WINDOW_MS - now.getTime()) };
}

export async function recordLoginFailure(prisma: Prisma, email: string, ip: string): Promise<void> {
  await prisma.loginAttempt.create({ data: { email, ip } });
  // Keep the table small: nothing older than a day matters.
  await prisma.loginAttempt.deleteMany({ where: { createdAt: { lt: new Date(Date.now() - 24 * 3600_000) } } });
}

export async function clearLoginFailures(prisma: Prisma, email: string, ip: string): Promise<void> {
  await prisma.loginAttempt.deleteMany({ where: { email, ip } });
}
