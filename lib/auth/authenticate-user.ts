import type { Prisma } from "../db";
import { checkLoginThrottle, clearLoginFailures, recordLoginFailure } from "./login-throttle";
import { verifyPassword } from "./password";

export type AuthenticatedUser = { id: string; email: string; role: "admin" | "viewer"; sessionVersion: number };
export type AuthenticationResult = { ok: true; user: AuthenticatedUser } | { ok: false; reason: "invalid" } | { ok: false; reason: "throttled"; retryAfterMs: number };

// A hash of a random password: unknown e-mails cost the same bcrypt time as known ones, so the
// response time does not tell which addresses exist.
const DUMMY_HASH = "$2b$12$vzms3Xdu3xM9gokmpDaFCekuYlCye06LnFKi1nyMk7LszL8D3Dfn6";

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

export async function authenticateUser(prisma: Prisma, input: { email: string; password: string; ip: string }): Promise<AuthenticationResult> {
  const email = normaliseEmail(input.email);
  const throttle = await checkLoginThrottle(prisma, email, input.ip);
  if (throttle.locked) return { ok: false, reason: "throttled", retryAfterMs: throttle.retryAfterMs };
  const user = await prisma.user.findUnique({ where: { email }, select: { id: true, email: true, role: true, passwordHash: true, sessionVersion: true } });
  const valid = await verifyPassword(input.password, user?.passwordHash ?? DUMMY_HASH);
  if (!user || !valid) {
    await recordLoginFailure(prisma, email, input.ip);
    return { ok: false, reason: "invalid" };
  }
  await clearLoginFailures(prisma, email, input.ip);
  return { ok: true, user: { id: user.id, email: user.email, role: user.role, sessionVersion: user.sessionVersion } };
}
