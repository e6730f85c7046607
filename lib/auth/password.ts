import { hash, verify } from "@node-rs/bcrypt";
import { availableParallelism } from "node:os";
import { randomBytes } from "node:crypto";
import { AppError } from "../app-error";
import { onHashThread } from "./hash-threads";

// bcrypt at cost 12 is about a quarter of a second of one core. It runs natively on low-priority
// threads of its own (./hash-threads.ts), never on the event loop, and through one gate: at most HASH_CONCURRENCY hashes at
// a time (half the cores, so the other half stays free for the callback), at most
// HASH_QUEUE_LIMIT waiting. A sign-in beyond that is refused at once ("busy, try again") instead
// of piling up until WeChat's 5-second budget is gone. A sign-in's check also keeps its slot for as
// long again after it has answered (a timer, no CPU), so anonymous sign-ins can keep at most half of
// HASH_CONCURRENCY cores busy: on two cores a flood otherwise took one whole core, which the
// callback, PostgreSQL and the proxy share with it. Hashes written by bcryptjs ($2a$/$2b$) verify
// unchanged.

const COST = 12;
export const HASH_CONCURRENCY = Math.max(1, Math.floor(availableParallelism() / 2));
export const HASH_QUEUE_LIMIT = 4 * HASH_CONCURRENCY;

type Gate = { running: number; waiting: (() => void)[] };
const g = globalThis as typeof globalThis & { mpdeskHashGate?: Gate };
const gate = (): Gate => (g.mpdeskHashGate ??= { running: 0, waiting: [] });

/** How many slots are taken (hashing or resting) and how many checks wait: for tests and health. */
export function hashGateState(): { running: number; waiting: number } {
  const s = gate();
  return { running: s.running, waiting: s.waiting.length };
}

/** True when a sign-in arriving now would be refused: checked before any database work. */
export function passwordGateFull(): boolean {
  const s = gate();
  return s.running >= HASH_CONCURRENCY && s.waiting.length >= HASH_QUEUE_LIMIT;
}

async function throughGate<T>(work: () => Promise<T>, opts: { refuseWhenFull: boolean; restAfter?: boolean }): Promise<T> {
  const s = gate();
  if (s.running >= HASH_CONCURRENCY) {
    if (opts.refuseWhenFull && s.waiting.length >= HASH_QUEUE_LIMIT) throw new AppError("BUSY", { message: "password hashing is at capacity" });
    await new Promise<void>((resolve) => s.waiting.push(resolve));
  } else {
    s.running++;
  }
  // Hand the slot straight to the next waiter, so `running` never dips and lets a newcomer jump the queue.
  const release = () => {
    const next = s.waiting.shift();
    if (next) next();
    else s.running--;
  };
  const started = performance.now();
  try {
    return await work();
  } finally {
    // The caller has its answer now; only the slot rests.
    if (opts.restAfter) setTimeout(release, performance.now() - started);
    else release();
  }
}

/** Waits for a slot however long: setting a password is an admin's or user's own deliberate act. */
export function hashPassword(password: string): Promise<string> {
  return throughGate(() => onHashThread({ op: "hash", password, cost: COST }, HASH_CONCURRENCY, () => hash(password, COST)), { refuseWhenFull: false });
}

/** Throws AppError BUSY when the gate is full: the sign-in answers "try again" at once. A malformed stored hash verifies as false. */
export function verifyPassword(password: string, stored: string): Promise<boolean> {
  return throughGate(() => onHashThread({ op: "verify", password, stored }, HASH_CONCURRENCY, () => verify(password, stored)).catch(() => false), {
    refuseWhenFull: true,
    restAfter: true,
  });
}

/** 20 characters from an alphabet without look-alikes, for first-start admin passwords. */
export function generatePassword(): string {
  const alphabet = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKMNPQRSTUVWXYZ23456789";
  return Array.from(randomBytes(20), (b) => alphabet[b % alphabet.length]).join("");
}
