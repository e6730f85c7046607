import { createHash } from "node:crypto";
import type { Prisma } from "../db";

// The sign-in throttle, kept in PostgreSQL so every instance sees the same counts.
//
// Per (e-mail, client IP): PAIR_LIMIT attempts per WINDOW. An attempt is counted BEFORE the
// password is checked, by one INSERT … ON CONFLICT … RETURNING, so N parallel attempts cannot all
// pass a check that none of them has yet written: at most PAIR_LIMIT reach the hash. A successful
// sign-in resets the pair; while over the limit even the right password is refused, or the lock
// would only slow guessing down.
//
// Per e-mail, across all IPs: when EMAIL_CEILING failures or more were counted in the window (an
// attacker rotating addresses), a pair that has not signed in successfully within KNOWN_PAIR_MS
// gets only CEILING_PAIR_LIMIT attempt per window. It is never zero, and a pair that signed in
// before keeps its full allowance, so an attacker can slow the real admin down but not lock them
// out, neither from their usual address nor from a new one.
//
// Per client IP, across all e-mails: after IP_CEILING failures in the window, that address gets no
// more attempts for pairs it has never signed in with. Without it one address could try a new
// e-mail each time, get a fresh PAIR_LIMIT every time, and keep a core busy hashing; a pair that
// signed in from there before keeps its allowance, so a shared office address cannot be used to
// lock its own users out.
//
// What is stored is bounded whatever the client sends: keys are SHA-256 digests.

export const PAIR_LIMIT = 5;
export const EMAIL_CEILING = 20;
export const CEILING_PAIR_LIMIT = 1;
export const IP_CEILING = 50;
export const WINDOW_MS = 15 * 60_000;
export const KNOWN_PAIR_MS = 30 * 24 * 3600_000;
const PRUNE_EVERY_MS = 60_000;

export type ThrottleDecision = { allowed: true } | { allowed: false; retryAfterMs: number };

const digest = (text: string) => createHash("sha256").update(text).digest("hex");
export const pairKey = (email: string, ip: string) => digest(`pair\0${email}\0${ip}`);
export const emailKey = (email: string) => digest(`email\0${email}`);
export const ipKey = (ip: string) => digest(`ip\0${ip}`);

/** Counts one attempt for (email, ip) and says whether it may go on to the password check. */
export async function admitLoginAttempt(prisma: Prisma, email: string, ip: string): Promise<ThrottleDecision> {
  const windowMs = WINDOW_MS;
  const rows = await prisma.$queryRaw<
    { attempts: number; retry_after_ms: number; known: boolean; email_failures: number | null; ip_failures: number | null }[]
  >`
    WITH email_row AS (
      SELECT attempts FROM login_throttle
      WHERE key = ${emailKey(email)} AND window_start > now() - ${windowMs}::float8 * interval '1 millisecond'
    ), ip_row AS (
      SELECT attempts FROM login_throttle
      WHERE key = ${ipKey(ip)} AND window_start > now() - ${windowMs}::float8 * interval '1 millisecond'
    )
    INSERT INTO login_throttle AS t (key, attempts, window_start) VALUES (${pairKey(email, ip)}, 1, now())
    ON CONFLICT (key) DO UPDATE SET
      attempts = CASE WHEN t.window_start <= now() - ${windowMs}::float8 * interval '1 millisecond' THEN 1 ELSE LEAST(t.attempts + 1, 1000000) END,
      window_start = CASE WHEN t.window_start <= now() - ${windowMs}::float8 * interval '1 millisecond' THEN now() ELSE t.window_start END
    RETURNING
      t.attempts,
      GREATEST(0, EXTRACT(EPOCH FROM (t.window_start + ${windowMs}::float8 * interval '1 millisecond' - now())) * 1000)::float8 AS retry_after_ms,
      COALESCE(t.succeeded_at > now() - ${KNOWN_PAIR_MS}::float8 * interval '1 millisecond', false) AS known,
      (SELECT attempts FROM email_row) AS email_failures,
      (SELECT attempts FROM ip_row) AS ip_failures`;
  const row = rows[0]!;
  if (!row.known && (row.ip_failures ?? 0) >= IP_CEILING) return { allowed: false, retryAfterMs: Math.max(1_000, Math.ceil(row.retry_after_ms)) };
  const underAttack = (row.email_failures ?? 0) >= EMAIL_CEILING;
  const limit = underAttack && !row.known ? CEILING_PAIR_LIMIT : PAIR_LIMIT;
  if (row.attempts <= limit) return { allowed: true };
  return { allowed: false, retryAfterMs: Math.max(1_000, Math.ceil(row.retry_after_ms)) };
}

/** The attempt was admitted but never reached the password check (the hashing gate was full). */
export async function refundLoginAttempt(prisma: Prisma, email: string, ip: string): Promise<void> {
  await prisma.$executeRaw`UPDATE login_throttle SET attempts = GREATEST(attempts - 1, 0) WHERE key = ${pairKey(email, ip)}`;
}

/** A wrong password (or unknown e-mail): counts towards the e-mail's ceiling across all IPs, and the IP's across all e-mails. */
export async function recordLoginFailure(prisma: Prisma, email: string, ip: string): Promise<void> {
  const windowMs = WINDOW_MS;
  await prisma.$executeRaw`
    INSERT INTO login_throttle AS t (key, attempts, window_start) VALUES (${emailKey(email)}, 1, now()), (${ipKey(ip)}, 1, now())
    ON CONFLICT (key) DO UPDATE SET
      attempts = CASE WHEN t.window_start <= now() - ${windowMs}::float8 * interval '1 millisecond' THEN 1 ELSE LEAST(t.attempts + 1, 1000000) END,
      window_start = CASE WHEN t.window_start <= now() - ${windowMs}::float8 * interval '1 millisecond' THEN now() ELSE t.window_start END`;
  await pruneNowAndThen(prisma);
}

/** The right password: the pair starts afresh and is remembered as the user's own. */
export async function recordLoginSuccess(prisma: Prisma, email: string, ip: string): Promise<void> {
  await prisma.$executeRaw`UPDATE login_throttle SET attempts = 0, succeeded_at = now() WHERE key = ${pairKey(email, ip)}`;
}

const g = globalThis as typeof globalThis & { mpdeskThrottlePrunedAt?: number };

async function pruneNowAndThen(prisma: Prisma): Promise<void> {
  if (Date.now() - (g.mpdeskThrottlePrunedAt ?? 0) < PRUNE_EVERY_MS) return;
  g.mpdeskThrottlePrunedAt = Date.now();
  const windowMs = WINDOW_MS;
  await prisma.$executeRaw`
    DELETE FROM login_throttle
    WHERE window_start < now() - ${windowMs}::float8 * interval '1 millisecond'
      AND (succeeded_at IS NULL OR succeeded_at < now() - ${KNOWN_PAIR_MS}::float8 * interval '1 millisecond')`;
}
