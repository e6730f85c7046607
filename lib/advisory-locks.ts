// Every PostgreSQL advisory lock mpdesk takes, in one place, so two features can never pick the
// same id by accident. The numbers are part of the deployed protocol: an old and a new instance
// running side by side during an upgrade must agree on them, so never renumber an existing one.
//
// PostgreSQL keeps the one-key (bigint) and two-key (int, int) forms apart: a lock on 727002 and a
// lock on (727002, n) do not conflict. The two-key classes take a second key derived from a row id.

/** One-key locks (pg_advisory_lock(bigint)). */
export const LOCK = {
  /** Serialises concurrent starts applying migrations. */
  migrations: 727_001,
  /** Role changes and removals of console users, so the last admin cannot be removed twice over. */
  users: 727_002,
  /** Creating an API key: names are unique among active keys. */
  apiKeys: 727_003,
  /** Pruning callback counters past their retention: one instance at a time. */
  callbackEventPrune: 727_010,
} as const;

/** Two-key lock classes (pg_advisory_lock(int, hashtext(id))). */
export const LOCK_CLASS = {
  /** The one instance allowed to ask WeChat for an account's access_token. */
  tokenRefresh: 727_002,
  /** Writers of one account's reply rules (console, file import, WeChat import, menu import), one at a time. */
  replyRules: 727_003,
  /** Publishing an account's menu: menu/create and the version it records, one at a time, in order. */
  menuPublish: 727_004,
} as const;
