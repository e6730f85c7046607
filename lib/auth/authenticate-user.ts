import { isAppError } from "../app-error";
import type { Prisma } from "../db";
import { admitLoginAttempt, recordLoginFailure, recordLoginSuccess, refundLoginAttempt } from "./login-throttle";
import { passwordGateFull, verifyPassword } from "./password";

export type AuthenticatedUser = { id: string; email: string; role: "admin" | "viewer"; sessionVersion: number };
export type AuthenticationResult =
  | { ok: true; user: AuthenticatedUser }
  | { ok: false; reason: "invalid" }
  | { ok: false; reason: "throttled"; retryAfterMs: number }
  | { ok: false; reason: "busy" };

// A hash of a random password: unknown e-mails cost the same bcrypt time as known ones, so the
// response time does not tell which addresses exist. They are throttled like known ones too.
const DUMMY_HASH = "$2b$12$vzms3Xdu3xM9gokmpDaFCekuYlCye06LnFKi1nyMk7LszL8D3Dfn6";

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** `ip` is the client address decided by lib/http/client-ip.ts. */
export async function authenticateUser(prisma: Prisma, input: { email: string; password: string; ip: string }): Promise<AuthenticationResult> {
  const email = normaliseEmail(input.email);
  // Refused before any database work: under a flood, "busy" must cost next to nothing.
  if (passwordGateFull()) return { ok: false, reason: "busy" };
  const admitted = await admitLoginAttempt(prisma, email, input.ip);
  if (!admitted.allowed) return { ok: false, reason: "throttled", retryAfterMs: admitted.retryAfterMs };
  const user = await prisma.user.findUnique({ where: { email }, select: { id: true, email: true, role: true, passwordHash: true, sessionVersion: true } });
  let valid: boolean;
  try {
    valid = await verifyPassword(input.password, user?.passwordHash ?? DUMMY_HASH);
  } catch (err) {
    if (!isAppError(err, "BUSY")) throw err;
    // Never checked, so it must not count against the pair.
    await refundLoginAttempt(prisma, email, input.ip);
    return { ok: false, reason: "busy" };
  }
  if (!user || !valid) {
    await recordLoginFailure(prisma, email, input.ip);
    return { ok: false, reason: "invalid" };
  }
  await recordLoginSuccess(prisma, email, input.ip);
  return { ok: true, user: { id: user.id, email: user.email, role: user.role, sessionVersion: user.sessionVersion } };
}
