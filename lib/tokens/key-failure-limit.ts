// Bounds what wrong API keys cost: each client address may present FAILURE_LIMIT wrong (or
// missing, or malformed) keys per FAILURE_WINDOW_MS; after that every request from it is answered
// 429 with Retry-After until the window ends, before any hashing or database lookup. Only failures
// count, so a service with a valid key is never slowed down by its own traffic. Kept per process:
// a second instance doubles an attacker's allowance, not the cost per request.

export const FAILURE_LIMIT = 30;
export const FAILURE_WINDOW_MS = 60_000;
// Memory is bounded whatever the number of addresses; when full, windows that have ended go first.
const MAX_TRACKED = 10_000;

type Window = { failures: number; startedAt: number };
const g = globalThis as typeof globalThis & { mpdeskKeyFailures?: Map<string, Window> };
const windows = (): Map<string, Window> => (g.mpdeskKeyFailures ??= new Map());

/** Milliseconds until `ip` may try again, or 0 when it may now. */
export function keyFailureRetryAfterMs(ip: string, now = Date.now()): number {
  const w = windows().get(ip);
  if (!w || now - w.startedAt >= FAILURE_WINDOW_MS || w.failures < FAILURE_LIMIT) return 0;
  return w.startedAt + FAILURE_WINDOW_MS - now;
}

export function recordKeyFailure(ip: string, now = Date.now()): void {
  const map = windows();
  const w = map.get(ip);
  if (w && now - w.startedAt < FAILURE_WINDOW_MS) {
    w.failures++;
    return;
  }
  if (!w && map.size >= MAX_TRACKED) {
    for (const [k, v] of map) if (now - v.startedAt >= FAILURE_WINDOW_MS) map.delete(k);
    if (map.size >= MAX_TRACKED) map.clear();
  }
  map.set(ip, { failures: 1, startedAt: now });
}

export function forgetKeyFailures(): void {
  windows().clear();
}
