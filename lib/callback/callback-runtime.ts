import type pg from "pg";
import { createAccountDirectory } from "../accounts/callback-accounts";
import { LOCK } from "../advisory-locks";
import { getPool } from "../db";
import { getEnv } from "../env";
import { errorFields, log } from "../log";
import { createMessageStore } from "../messages/message-store";
import { createCallbackLog, pruneCallbackEvents } from "./callback-log";
import type { CallbackDeps } from "./handle-callback";

// The callback's long-lived collaborators, built once per process (and kept on globalThis so
// Next.js module duplication between route bundles and instrumentation shares one set).

type CallbackRuntime = CallbackDeps & { start(): Promise<void> };
const g = globalThis as typeof globalThis & { mpdeskCallbackRuntime?: CallbackRuntime };

const SPOOL_REPLAY_MS = 2_000;
const PRUNE_MS = 3_600_000;
/** Deletes expired callback counters, unless another instance is doing so right now: the lock is
 * held for the length of one prune, so of several instances sharing a database one deletes. */
async function pruneOnOneInstance(pool: pg.Pool, retentionDays: number): Promise<number | null> {
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    const { rows } = await client.query<{ locked: boolean }>("SELECT pg_try_advisory_xact_lock($1) AS locked", [LOCK.callbackEventPrune]);
    const deleted = rows[0]?.locked ? await pruneCallbackEvents(client, retentionDays) : null;
    await client.query("COMMIT");
    return deleted;
  } catch (err) {
    await client.query("ROLLBACK").catch(() => {});
    throw err;
  } finally {
    client.release();
  }
}

export function getCallbackRuntime(): CallbackRuntime {
  if (g.mpdeskCallbackRuntime) return g.mpdeskCallbackRuntime;
  const env = getEnv();
  const pool = getPool();
  const accounts = createAccountDirectory({ pool, connectionString: env.DATABASE_URL, encryptionKey: env.encryptionKey });
  const store = createMessageStore({ pool, spoolDir: env.spoolDir });
  const callbackLog = createCallbackLog(pool);
  let started = false;
  g.mpdeskCallbackRuntime = {
    accounts,
    store,
    callbackLog,
    timestampWindowS: env.MPDESK_CALLBACK_TIMESTAMP_WINDOW_S,
    async start() {
      if (started) return;
      started = true;
      // The listener's first connect loads the accounts; resolve() loads them only if it could not.
      await accounts.listen();
      await accounts.resolve().catch((err) => log.warn("accounts.initial_load_failed", errorFields(err)));
      // Spooled messages go back into the database as soon as it answers again.
      const replay = () => void store.replaySpool().finally(() => setTimeout(replay, SPOOL_REPLAY_MS).unref());
      replay();
      const days = env.MPDESK_CALLBACK_EVENT_RETENTION_DAYS;
      const prune = () =>
        void pruneOnOneInstance(pool, days)
          .then((n) => n && log.info("callback.events_pruned", { deleted: n, retentionDays: days }))
          .catch((err) => log.warn("callback.prune_failed", errorFields(err)));
      prune();
      setInterval(prune, PRUNE_MS).unref();
    },
  };
  return g.mpdeskCallbackRuntime;
}
