import { createHash, randomBytes } from "node:crypto";
import { LOCK } from "../advisory-locks";
import { AppError } from "../app-error";
import { getPool, getPrisma, rawExecute, sql } from "../db";
import { errorFields, log } from "../log";
import { isUuid } from "./token-store";

// Keys for the internal services that call mpdesk: GET /api/token (scope token:read) and
// POST /api/messages (scope messages:send). A key is "mpd_" + 32 random bytes
// (base64url); only its SHA-256 is stored. With 256 bits of entropy there is nothing to guess, so
// a slow password hash would add latency and no safety.
//
// Verification never waits for the database when warm: each process holds the hashes of the
// active keys. Creating or revoking a key sends NOTIFY mpdesk_api_keys_changed, which drops that
// snapshot in every running instance; without it, the snapshot is re-read every KEY_SNAPSHOT_TTL_MS.
// A revoked key therefore stops working at once, and at the latest after 5 seconds.
//
// api_key is plain CRUD, read and written through Prisma only: the snapshot makes the lookups rare.

const PREFIX = "mpd_";
const KEY_PATTERN = /^mpd_[A-Za-z0-9_-]{43}$/;
export const KEY_SNAPSHOT_TTL_MS = 5_000;
// A key not in the snapshot is looked up by its hash (it may have been created a moment ago, in
// another instance); a miss is remembered this long, so a wrong key presented again costs no query.
// Creating a key drops the misses, so a remembered miss never hides a key this instance created;
// a key created in another instance has a fresh random hash that no one can have presented before.
// Rotating wrong keys is bounded by the per-address limit (key-failure-limit.ts).
const MISS_MEMORY_MS = 60_000;
const MAX_MISSES = 10_000;
// last_used_at is written at most this often per key, not on every request.
const LAST_USED_WRITE_MS = 60_000;

/** A name the caller can correct: an AppError INVALID_INPUT whose message says what is wrong. */
const keyNameError = (message: string) => new AppError("INVALID_INPUT", { reason: "api_key_name", message });

/**
 * What a key may do. token:read is what every key could do before scopes existed, so it is the
 * column's default and what a key gets when none is named.
 */
export const API_KEY_SCOPES = ["token:read", "messages:send"] as const;
export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];
export const DEFAULT_API_KEY_SCOPES: readonly ApiKeyScope[] = ["token:read"];

export function isApiKeyScope(value: string): value is ApiKeyScope {
  return (API_KEY_SCOPES as readonly string[]).includes(value);
}

/** `accounts`: the AppIDs the key covers, oldest account first; null when it covers every account. */
export type ApiKeyInfo = {
  id: string;
  name: string;
  prefix: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
  accounts: string[] | null;
  /** In API_KEY_SCOPES order. */
  scopes: ApiKeyScope[];
};

/** A verified key: `accountIds` are the account ids it may act for, null for every account. */
export type ApiKeyCaller = { id: string; name: string; scopes: ReadonlySet<ApiKeyScope>; accountIds: ReadonlySet<string> | null };

/** Whether the key may act for this account. */
export function keyCovers(caller: ApiKeyCaller, accountId: string): boolean {
  return caller.accountIds === null || caller.accountIds.has(accountId);
}

export function keyAllows(caller: ApiKeyCaller, scope: ApiKeyScope): boolean {
  return caller.scopes.has(scope);
}

/** Known scopes in API_KEY_SCOPES order; anything else in the column (written by hand) grants nothing. */
function knownScopes(values: readonly string[]): ApiKeyScope[] {
  return API_KEY_SCOPES.filter((s) => values.includes(s));
}

export function hashApiKey(key: string): string {
  return createHash("sha256").update(key).digest("hex");
}

/**
 * Creates a key; the only time the key itself exists outside the caller is this return value.
 * `accountIds` (account ids, not AppIDs) limit it to those accounts; none means every account,
 * including the ones added later. `scopes` default to token:read.
 */
export async function createApiKey(
  name: string,
  opts: { accountIds?: readonly string[]; scopes?: readonly string[] } = {},
): Promise<{ id: string; name: string; key: string; scopes: ApiKeyScope[] }> {
  const clean = name.trim();
  if (!/^[\p{L}\p{N}][\p{L}\p{N} ._:@/-]{0,63}$/u.test(clean)) {
    throw keyNameError("A key name is 1–64 letters, digits, spaces or . _ : @ / - and starts with a letter or digit");
  }
  const unknown = (opts.scopes ?? []).filter((s) => !isApiKeyScope(s));
  if (unknown.length) {
    throw new AppError("INVALID_INPUT", {
      reason: "api_key_scope",
      message: `Unknown scope ${unknown.map((s) => `"${s}"`).join(", ")}; the scopes are ${API_KEY_SCOPES.join(", ")}`,
    });
  }
  const scopes = opts.scopes?.length ? knownScopes(opts.scopes) : [...DEFAULT_API_KEY_SCOPES];
  const key = PREFIX + randomBytes(32).toString("base64url");
  const prisma = getPrisma();
  const created = await prisma.$transaction(async (tx) => {
    // Names are unique among active keys; the lock makes check-then-insert safe against a concurrent create.
    await tx.$queryRaw`SELECT pg_advisory_xact_lock(${LOCK.apiKeys})::text`;
    const taken = await tx.apiKey.findFirst({ where: { name: clean, revokedAt: null }, select: { id: true } });
    if (taken) throw keyNameError(`An active key named "${clean}" exists; revoke it first or choose another name`);
    const accountIds = [...new Set(opts.accountIds ?? [])];
    if (accountIds.length && (await tx.account.count({ where: { id: { in: accountIds } } })) !== accountIds.length) {
      throw new AppError("NOT_FOUND", { reason: "unknown_account", message: "One of the accounts chosen for the key does not exist" });
    }
    return tx.apiKey.create({
      data: {
        name: clean,
        keyHash: hashApiKey(key),
        prefix: key.slice(0, PREFIX.length + 8),
        scopes,
        ...(accountIds.length ? { accounts: { create: accountIds.map((accountId) => ({ accountId })) } } : {}),
      },
    });
  });
  await notifyApiKeysChanged();
  return { id: created.id, name: created.name, key, scopes };
}

export async function listApiKeys(): Promise<ApiKeyInfo[]> {
  const rows = await getPrisma().apiKey.findMany({
    orderBy: [{ createdAt: "desc" }, { id: "asc" }],
    select: {
      id: true,
      name: true,
      prefix: true,
      createdAt: true,
      lastUsedAt: true,
      revokedAt: true,
      scopes: true,
      accounts: { select: { account: { select: { appId: true, createdAt: true } } } },
    },
  });
  return rows.map(({ accounts, scopes, ...k }) => ({
    ...k,
    scopes: knownScopes(scopes),
    accounts: accounts.length
      ? accounts
          .map((a) => a.account)
          .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || a.appId.localeCompare(b.appId))
          .map((a) => a.appId)
      : null,
  }));
}

/** Revokes the active key with this name (or id). False when there was none. */
export async function revokeApiKey(nameOrId: string): Promise<boolean> {
  const value = nameOrId.trim();
  const { count } = await getPrisma().apiKey.updateMany({
    where: { revokedAt: null, OR: isUuid(value) ? [{ id: value }, { name: value }] : [{ name: value }] },
    data: { revokedAt: new Date() },
  });
  if (count > 0) await notifyApiKeysChanged();
  return count > 0;
}

async function notifyApiKeysChanged(): Promise<void> {
  // Also drop our own snapshot: LISTEN does not run in every process (the CLI, tests).
  forgetApiKeys();
  await rawExecute(getPool(), sql`NOTIFY mpdesk_api_keys_changed`);
}

type Snapshot = { byHash: Map<string, ApiKeyCaller>; loadedAt: number };
type KeyState = { snapshot: Snapshot | null; loading: Promise<Snapshot> | null; misses: Map<string, number>; lastUsedWrites: Map<string, number> };
const g = globalThis as typeof globalThis & { mpdeskApiKeys?: KeyState };
const keyState = (): KeyState => (g.mpdeskApiKeys ??= { snapshot: null, loading: null, misses: new Map(), lastUsedWrites: new Map() });

export function forgetApiKeys(): void {
  keyState().snapshot = null;
  keyState().misses.clear();
}

// The scopes and accounts travel with the key in the snapshot, so checking them costs no query either.
const KEY_SELECT = { id: true, name: true, keyHash: true, scopes: true, accounts: { select: { accountId: true } } } as const;

function toCaller(r: { id: string; name: string; scopes: string[]; accounts: Array<{ accountId: string }> }): ApiKeyCaller {
  return {
    id: r.id,
    name: r.name,
    scopes: new Set(knownScopes(r.scopes)),
    accountIds: r.accounts.length ? new Set(r.accounts.map((a) => a.accountId)) : null,
  };
}

function loadSnapshot(): Promise<Snapshot> {
  const state = keyState();
  state.loading ??= getPrisma()
    .apiKey.findMany({ where: { revokedAt: null }, select: KEY_SELECT })
    .then((rows) => {
      state.snapshot = { byHash: new Map(rows.map((r) => [r.keyHash, toCaller(r)])), loadedAt: Date.now() };
      return state.snapshot;
    })
    .finally(() => {
      state.loading = null;
    });
  return state.loading;
}

/** The key's id, name, scopes and accounts if the presented Bearer key is active, else null. */
export async function verifyApiKey(presented: string): Promise<ApiKeyCaller | null> {
  if (!KEY_PATTERN.test(presented)) return null;
  const hash = hashApiKey(presented);
  const snapshot = await currentSnapshot();
  const found = snapshot.byHash.get(hash) ?? (await lookUpMiss(snapshot, hash));
  if (found) touchLastUsed(found.id);
  return found;
}

async function currentSnapshot(): Promise<Snapshot> {
  const { snapshot } = keyState();
  if (snapshot && Date.now() - snapshot.loadedAt < KEY_SNAPSHOT_TTL_MS) return snapshot;
  try {
    return await loadSnapshot();
  } catch (err) {
    // Database down: keep serving the keys we know (nobody can revoke one meanwhile either).
    if (!snapshot) throw err;
    log.warn("api_key.reload_failed", errorFields(err));
    return snapshot;
  }
}

async function lookUpMiss(snapshot: Snapshot, hash: string): Promise<ApiKeyCaller | null> {
  const { misses } = keyState();
  const now = Date.now();
  if (now - (misses.get(hash) ?? 0) < MISS_MEMORY_MS) return null;
  const row = await getPrisma().apiKey.findFirst({ where: { keyHash: hash, revokedAt: null }, select: KEY_SELECT });
  const found = row ? toCaller(row) : null;
  if (found) {
    snapshot.byHash.set(hash, found);
  } else {
    if (misses.size >= MAX_MISSES) misses.clear();
    misses.set(hash, now);
  }
  return found;
}

function touchLastUsed(id: string): void {
  const { lastUsedWrites } = keyState();
  const now = Date.now();
  if (now - (lastUsedWrites.get(id) ?? 0) < LAST_USED_WRITE_MS) return;
  lastUsedWrites.set(id, now);
  getPrisma()
    .apiKey.updateMany({ where: { id }, data: { lastUsedAt: new Date() } })
    .catch((err) => log.warn("api_key.touch_failed", errorFields(err)));
}
