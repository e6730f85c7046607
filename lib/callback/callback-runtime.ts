import { createAccountDirectory } from "../accounts/callback-accounts";
import { getPool } from "../db";
import { getEnv } from "../env";
import { errorFields, log } from "../log";
import { createMessageStore } from "../messages/message-store";
import { createCallbackLog } from "./callback-log";
import type { CallbackDeps } from "./handle-callback";

// The callback's long-lived collaborators, built once per process (and kept on globalThis so
// Next.js module duplication between route bundles and instrumentation shares one set).

type CallbackRuntime = CallbackDeps & { start(): Promise<void> };
const g = globalThis as typeof globalThis & { mpdeskCallbackRuntime?: CallbackRuntime };

const SPOOL_REPLAY_MS = 2_000;

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
    async start() {
      if (started) return;
      started = true;
      // The listener's first connect loads the accounts; resolve() loads them only if it could not.
      await accounts.listen();
      await accounts.resolve().catch((err) => log.warn("accounts.initial_load_failed", errorFields(err)));
      // Spooled messages go back into the database as soon as it answers again.
      const replay = () => void store.replaySpool().finally(() => setTimeout(replay, SPOOL_REPLAY_MS).unref());
      replay();
    },
  };
  return g.mpdeskCallbackRuntime;
}
