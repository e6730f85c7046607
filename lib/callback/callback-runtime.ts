import type pg from "pg";
import { createAccountDirectory } from "../accounts/callback-accounts";
import { LOCK } from "../advisory-locks";
import { getPool, rawQuery, sql, withTransaction } from "../db";
import { getEnv } from "../env";
import { errorFields, log } from "../log";
import { createMessageStore, type DeferSends } from "../messages/message-store";
import { sendQueue } from "../outbound/send-queue";
import { startSendWorker } from "../outbound/send-worker";
import { createReplyRules } from "../replies/reply-rules-directory";
import { pruneReplyCooldowns } from "../replies/rule-queries";
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
  return withTransaction(pool, async (client) => {
    const rows = await rawQuery<{ locked: boolean }>(client, sql`SELECT pg_try_advisory_xact_lock(${LOCK.callbackEventPrune}) AS locked`);
    return rows[0]?.locked ? await pruneCallbackEvents(client, retentionDays) : null;
  });
}

export function getCallbackRuntime(): CallbackRuntime {
  if (g.mpdeskCallbackRuntime) return g.mpdeskCallbackRuntime;
  const env = getEnv();
  const pool = getPool();
  const accounts = createAccountDirectory({ pool, connectionString: env.DATABASE_URL, encryptionKey: env.encryptionKey });
  // Reply-all's other replies: one customer-service send each, queued once the message is stored.
  const deferSends: DeferSends = (items) =>
    sendQueue.sendLater(
      items.flatMap(({ row, id }) => {
        const ruleId = row.answer?.ruleId;
        return ruleId ? [{ accountId: row.accountId, ruleId, inReplyTo: id, messages: row.answer!.deferred }] : [];
      }),
    );
  const store = createMessageStore({ pool, spoolDir: env.spoolDir, deferSends });
  const callbackLog = createCallbackLog(pool);
  const replyRules = createReplyRules({ pool, connectionString: env.DATABASE_URL });
  let started = false;
  g.mpdeskCallbackRuntime = {
    accounts,
    store,
    callbackLog,
    // A rule that cannot be decided answers "success": the message is still stored, and WeChat
    // is not made to retry over a reply. A retry gets the first delivery's stored reply. Reply mode
    // "all": the first reply goes back passively, the others are queued as customer-service sends.
    decideReply: (row) =>
      replyRules.decide(row).then(
        (d) => (d ? { reply: d.reply, ruleId: d.ruleId, deferred: d.deferred } : null),
        (err) => (log.error("replies.decide_failed", errorFields(err)), null),
      ),
    timestampWindowS: env.MPDESK_CALLBACK_TIMESTAMP_WINDOW_S,
    async start() {
      if (started) return;
      started = true;
      // The listener's first connect loads the accounts; resolve() loads them only if it could not.
      await accounts.listen();
      await accounts.resolve().catch((err) => log.warn("accounts.initial_load_failed", errorFields(err)));
      // Rules, too, are loaded before the first message, and reloaded on NOTIFY.
      await replyRules.listen();
      // Deferred sends: this instance works its share of the queue from now on.
      await startSendWorker().catch((err) => log.error("queue.start_failed", errorFields(err)));
      // Spooled messages go back into the database as soon as it answers again.
      const replay = () => void store.replaySpool().finally(() => setTimeout(replay, SPOOL_REPLAY_MS).unref());
      replay();
      const days = env.MPDESK_CALLBACK_EVENT_RETENTION_DAYS;
      const prune = () =>
        void pruneOnOneInstance(pool, days)
          .then((n) => n && log.info("callback.events_pruned", { deleted: n, retentionDays: days }))
          .catch((err) => log.warn("callback.prune_failed", errorFields(err)));
      // Deleting the same expired rows twice is harmless: no lock needed between instances.
      const pruneCooldowns = () => void pruneReplyCooldowns(pool).catch((err) => log.warn("replies.cooldown_prune_failed", errorFields(err)));
      prune();
      pruneCooldowns();
      setInterval(prune, PRUNE_MS).unref();
      setInterval(pruneCooldowns, PRUNE_MS).unref();
    },
  };
  return g.mpdeskCallbackRuntime;
}
