import type pg from "pg";
import { isConnectionError } from "../db";
import { errorFields, log } from "../log";
import { createGroupCommit } from "./group-commit";
import type { InboundRow } from "./inbound-row";
import { insertMessages, type InsertOutcome } from "./insert-messages";
import { listSpool, quarantineSpoolFile, readSpoolEntries, removeFromSpool, writeToSpool } from "./spool";

export type RecordOutcome = { stored: "inserted" | "duplicate" | "spooled"; replyXml: string | null };

// Checked by `code`, not instanceof: Next.js may load this module once per bundle, so the class
// the store throws and the class a route imports are not always the same object.
export class StoreUnavailableError extends Error {
  readonly code = "STORE_UNAVAILABLE";
}

export const isStoreUnavailable = (err: unknown) => (err as { code?: unknown } | null)?.code === "STORE_UNAVAILABLE";

export type MessageStoreOptions = {
  pool: pg.Pool;
  spoolDir: string;
  /** How long to keep retrying the database before spooling; WeChat gives up after 5 s. */
  retryBudgetMs?: number;
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function createMessageStore({ pool, spoolDir, retryBudgetMs = 3_000 }: MessageStoreOptions) {
  const batcher = createGroupCommit<InboundRow, InsertOutcome>((rows) => insertMessages(pool, rows));
  let replaying: Promise<number> | null = null;
  let spoolCount = { at: 0, value: 0 };

  /** Resolves only once the row is durable: committed in PostgreSQL, or fsync'd to the spool. */
  async function record(row: InboundRow): Promise<RecordOutcome> {
    const deadline = Date.now() + retryBudgetMs;
    let delay = 50;
    let lastError: unknown;
    for (;;) {
      try {
        const outcome = await batcher.submit(row);
        return { stored: outcome.inserted ? "inserted" : "duplicate", replyXml: outcome.replyXml };
      } catch (err) {
        lastError = err;
        if (!isConnectionError(err)) {
          // Not an outage: perhaps one bad row failed its whole batch. Try it alone once.
          const [alone] = await insertMessages(pool, [row]).catch((e) => {
            if (isConnectionError(e)) return [undefined];
            throw e;
          });
          if (alone) return { stored: alone.inserted ? "inserted" : "duplicate", replyXml: alone.replyXml };
        }
      }
      if (Date.now() + delay >= deadline) break;
      await sleep(delay);
      delay = Math.min(delay * 2, 800);
    }
    try {
      await writeToSpool(spoolDir, row);
      spoolCount = { at: 0, value: 0 };
      log.warn("message.spooled", { account: row.accountId, ...errorFields(lastError) });
      return { stored: "spooled", replyXml: row.replyXml };
    } catch (spoolErr) {
      log.error("message.spool_failed", { account: row.accountId, ...errorFields(spoolErr) });
      throw new StoreUnavailableError("database unreachable and spool not writable");
    }
  }

  /** Moves spooled messages into the database; idempotent, safe to run from several instances. */
  function replaySpool(): Promise<number> {
    replaying ??= (async () => {
      let replayed = 0;
      try {
        for (;;) {
          const names = (await listSpool(spoolDir)).slice(0, 200);
          if (!names.length) break;
          const { entries, unreadable } = await readSpoolEntries(spoolDir, names);
          for (const name of unreadable) {
            log.error("spool.unreadable", { file: name });
            await quarantineSpoolFile(spoolDir, name);
          }
          if (entries.length) {
            await insertMessages(pool, entries.map((e) => e.row));
            for (const e of entries) await removeFromSpool(spoolDir, e.name);
            replayed += entries.length;
          }
        }
        if (replayed) log.info("spool.replayed", { count: replayed });
      } catch (err) {
        if (!isConnectionError(err)) log.error("spool.replay_failed", errorFields(err));
      } finally {
        replaying = null;
        spoolCount = { at: 0, value: 0 };
      }
      return replayed;
    })();
    return replaying;
  }

  async function spoolSize(): Promise<number> {
    if (Date.now() - spoolCount.at > 1_000) spoolCount = { at: Date.now(), value: (await listSpool(spoolDir)).length };
    return spoolCount.value;
  }

  return { record, replaySpool, spoolSize };
}

export type MessageStore = ReturnType<typeof createMessageStore>;
