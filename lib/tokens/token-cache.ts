import { getPool } from "../db";
import { getEnv } from "../env";
import { errorFields, log } from "../log";
import { decryptSecret } from "../secrets";
import { isUsable } from "./refresh-policy";
import { readStoredToken } from "./token-store";
import type { RefreshResult, TokenGrant } from "./types";

// Each process keeps the decrypted token of every account it served, so a warm GET /api/token
// touches neither the database nor the cipher. Another instance's refresh reaches this cache by
// NOTIFY (token-runtime.ts); without it, an entry is re-read after 15 s, and every second once
// it is due for renewal — well inside the ~5 minutes a replaced classic token keeps working.

type CachedToken = TokenGrant & { loadedAt: number };
type TokenState = {
  cache: Map<string, CachedToken>;
  loading: Map<string, Promise<TokenGrant | null>>;
  refreshing: Map<string, Promise<RefreshResult>>;
};

const REVALIDATE_MS = 15_000;
const REVALIDATE_DUE_MS = 1_000;

const g = globalThis as typeof globalThis & { mpdeskTokenState?: TokenState };

/** Per-process state, on globalThis so route bundles and instrumentation share one copy. */
export function tokenState(): TokenState {
  g.mpdeskTokenState ??= { cache: new Map(), loading: new Map(), refreshing: new Map() };
  return g.mpdeskTokenState;
}

/** The cached token if it is still usable; schedules a background re-read when it may be stale. */
export function cachedToken(accountId: string, now = Date.now()): TokenGrant | null {
  const entry = tokenState().cache.get(accountId);
  if (!entry || !isUsable(entry, now)) return null;
  const staleAfter = now >= entry.refreshAt.getTime() ? REVALIDATE_DUE_MS : REVALIDATE_MS;
  if (now - entry.loadedAt > staleAfter) {
    entry.loadedAt = now; // one re-read per period, however many callers
    loadToken(accountId).catch((err) => log.warn("token.reload_failed", errorFields(err)));
  }
  return entry;
}

export function rememberToken(accountId: string, grant: TokenGrant): void {
  tokenState().cache.set(accountId, { ...grant, loadedAt: Date.now() });
}

export function forgetToken(accountId: string, token?: string): void {
  const cache = tokenState().cache;
  if (token === undefined || cache.get(accountId)?.token === token) cache.delete(accountId);
}

/** The stored token from the database into the cache (single flight per account). */
export function loadToken(accountId: string): Promise<TokenGrant | null> {
  const { loading } = tokenState();
  let pending = loading.get(accountId);
  if (!pending) {
    pending = (async () => {
      const stored = await readStoredToken(getPool(), accountId);
      if (!stored) {
        forgetToken(accountId);
        return null;
      }
      const grant: TokenGrant = {
        token: decryptSecret(stored.tokenEnc, getEnv().encryptionKey, "access_token.token", accountId),
        expiresAt: stored.expiresAt,
        refreshedAt: stored.refreshedAt,
        refreshAt: stored.refreshAt,
      };
      rememberToken(accountId, grant);
      return grant;
    })().finally(() => loading.delete(accountId));
    loading.set(accountId, pending);
  }
  return pending;
}
