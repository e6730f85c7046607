import { randomUUID } from "node:crypto";
import type pg from "pg";
import { AppError } from "../app-error";
import { isConnectionError, isLastingRowError, isTransientError, sqlStateOf } from "../db";
import { errorFields, log } from "../log";
import { createGroupCommit } from "./group-commit";
import type { InboundRow } from "./inbound-row";
import { insertMessages, type InsertOutcome } from "./insert-messages";
import { quarantineRow } from "./quarantine";
import { countUnreadable, listSpool, quarantineSpoolFile, readSpoolEntries, removeFromSpool, writeToSpool, type SpoolIo } from "./spool";

/** `id`: the message's row when it is in the database (inserted or a duplicate). */
export type RecordOutcome = { stored: "inserted" | "duplicate" | "spooled" | "quarantined"; replyXml: string | null; id: string | null };

/** A stored message's deferred replies, handed to the job queue (idempotent: the same message queues its sends once). */
export type DeferSends = (items: Array<{ row: InboundRow; id: string }>) => Promise<void>;

export type MessageStoreOptions = {
  pool: pg.Pool;
  spoolDir: string;
  /**
   * From a request's arrival to its durable answer: WeChat gives up after 5 s, so 4 s leaves
   * room for the network. Connecting (1 s at most), the batch and its retries share it.
   */
  budgetMs?: number;
  /** Kept back from the budget for the spool write and its two fsyncs. */
  spoolReserveMs?: number;
  spoolIo?: SpoolIo;
  /**
   * Queues reply-all's other replies once their message is stored. Should it fail, the message
   * is spooled as well: its replay finds the row already there and queues the sends again, which
   * the sends' dedupe keys make harmless, so a passing outage loses none of them.
   */
  deferSends?: DeferSends;
};

/** One row's fate in a batch: stored (or already there), refused for good, or failed for another reason. */
type RowResult = InsertOutcome | { refused: unknown } | { failed: unknown };

const REPLAY_CHUNK = 200;

const hasDeferred = (row: InboundRow) => (row.answer?.deferred.length ?? 0) > 0;

export function createMessageStore({ pool, spoolDir, budgetMs = 4_000, spoolReserveMs = 500, spoolIo, deferSends }: MessageStoreOptions) {
  /**
   * The whole batch in one statement; if the database refuses it for something other than a
   * passing condition, one bad row may be the cause, so each row is tried alone and only that
   * row is refused. A passing condition (timeout, failover, full disk …) fails the batch as a
   * whole, and the group commit retries it once for everyone.
   */
  async function insertBatch(rows: InboundRow[]): Promise<RowResult[]> {
    try {
      return await insertMessages(pool, rows);
    } catch (err) {
      if (isTransientError(err)) throw err;
      if (rows.length === 1) return [isLastingRowError(err) ? { refused: err } : { failed: err }];
      log.warn("message.batch_refused", { rows: rows.length, sqlstate: sqlStateOf(err) });
    }
    const results: RowResult[] = [];
    for (const row of rows) {
      try {
        results.push((await insertMessages(pool, [row]))[0]!);
      } catch (err) {
        results.push(isLastingRowError(err) ? { refused: err } : { failed: err });
      }
    }
    return results;
  }

  const batcher = createGroupCommit<InboundRow, RowResult>(insertBatch, { retryable: isTransientError });
  let replaying: Promise<number> | null = null;
  // Finished replay passes, shown by /api/health: lets a test wait for "another pass has run"
  // instead of guessing how long one takes.
  let replayRounds = 0;
  let spoolCount = { at: 0, value: 0 };

  async function spool(row: InboundRow, cause: unknown): Promise<RecordOutcome> {
    try {
      await writeToSpool(spoolDir, row);
      spoolCount = { at: 0, value: 0 };
      log.warn("message.spooled", { account: row.accountId, ...errorFields(cause) });
      return { stored: "spooled", replyXml: row.replyXml, id: null };
    } catch (spoolErr) {
      log.error("message.spool_failed", { account: row.accountId, ...errorFields(spoolErr) });
      throw new AppError("STORE_UNAVAILABLE", { message: "database unreachable and spool not writable", cause: spoolErr });
    }
  }

  /**
   * Resolves only once the row is durable: committed in PostgreSQL, set aside in the quarantine
   * table, or fsync'd to the spool. `receivedAt` starts the request's time budget.
   */
  async function record(row: InboundRow, opts: { receivedAt?: Date } = {}): Promise<RecordOutcome> {
    const deadline = (opts.receivedAt?.getTime() ?? Date.now()) + budgetMs;
    const spoolBy = deadline - spoolReserveMs;
    let timer: NodeJS.Timeout | undefined;
    const outOfTime = new Promise<"timeout">((resolve) => {
      timer = setTimeout(() => resolve("timeout"), Math.max(0, spoolBy - Date.now()));
    });
    let result: RowResult | "timeout";
    try {
      // A statement still running at spoolBy may yet commit: the unique key makes the replay of
      // its spooled copy harmless, so the answer never waits for it.
      result = await Promise.race([batcher.submit(row, spoolBy), outOfTime]);
    } catch (err) {
      // Transient and still failing at the deadline, or an error nobody classified: keep the message.
      if (!isTransientError(err)) log.error("message.insert_failed", { account: row.accountId, ...errorFields(err) });
      return spool(row, err);
    } finally {
      clearTimeout(timer);
    }
    if (result === "timeout") return spool(row, new Error("database too slow for the callback's time budget"));
    if ("failed" in result) {
      log.error("message.insert_failed", { account: row.accountId, ...errorFields(result.failed) });
      return spool(row, result.failed);
    }
    if ("refused" in result) {
      try {
        await quarantineRow(pool, { source: `live:${randomUUID()}`, accountId: row.accountId, payload: JSON.stringify(row), error: result.refused });
        log.error("message.quarantined", { account: row.accountId, sqlstate: sqlStateOf(result.refused), ...errorFields(result.refused) });
        return { stored: "quarantined", replyXml: row.replyXml, id: null };
      } catch (err) {
        return spool(row, err); // the replay quarantines it once it can
      }
    }
    // Only a new message queues its deferred replies: a retried delivery gets the stored reply and nothing more.
    if (result.inserted && result.id && deferSends && hasDeferred(row)) {
      try {
        await deferSends([{ row, id: result.id }]);
      } catch (err) {
        log.error("message.defer_failed", { account: row.accountId, ...errorFields(err) });
        const spooled = await spool(row, err).catch(() => null);
        if (!spooled) log.error("message.deferred_sends_lost", { account: row.accountId, id: result.id });
      }
    }
    return { stored: result.inserted ? "inserted" : "duplicate", replyXml: result.replyXml, id: result.id };
  }

  /** A replayed message's deferred replies, whether this pass or an earlier one inserted it (see deferSends). */
  async function deferReplayed(rows: InboundRow[], outcomes: InsertOutcome[]): Promise<void> {
    if (!deferSends) return;
    const items = rows.flatMap((row, i) => (hasDeferred(row) && outcomes[i]?.id ? [{ row, id: outcomes[i].id }] : []));
    if (items.length) await deferSends(items);
  }

  /**
   * One pass over the spool, moving its messages into the database; idempotent, safe to run from
   * several instances. A file that cannot be read now waits for the next pass; a file that cannot
   * be parsed, or a row the database refuses for good, is set aside and never blocks the rest.
   */
  function replaySpool(): Promise<number> {
    replaying ??= (async () => {
      let replayed = 0;
      try {
        const names = await listSpool(spoolDir);
        for (let i = 0; i < names.length; i += REPLAY_CHUNK) {
          const { entries, unreadable, failed } = await readSpoolEntries(spoolDir, names.slice(i, i + REPLAY_CHUNK), spoolIo);
          for (const { name, reason } of unreadable) {
            log.error("spool.unreadable", { file: name, reason });
            await quarantineSpoolFile(spoolDir, name, reason);
          }
          for (const { name, error } of failed) log.warn("spool.read_failed", { file: name, ...errorFields(error) });
          if (!entries.length) continue;
          try {
            const rows = entries.map((e) => e.row);
            await deferReplayed(rows, await insertMessages(pool, rows));
            for (const e of entries) await removeFromSpool(spoolDir, e.name);
            replayed += entries.length;
            continue;
          } catch (err) {
            if (isTransientError(err)) throw err;
            log.warn("spool.batch_refused", { rows: entries.length, sqlstate: sqlStateOf(err) });
          }
          for (const e of entries) {
            try {
              await deferReplayed([e.row], await insertMessages(pool, [e.row]));
              replayed++;
            } catch (err) {
              // Not about this row (a missing table, a transient condition): stop and try the whole pass later.
              if (!isLastingRowError(err)) throw err;
              await quarantineRow(pool, { source: `spool:${e.name}`, accountId: e.row.accountId, payload: JSON.stringify(e.row), error: err });
              log.error("spool.quarantined", { file: e.name, account: e.row.accountId, sqlstate: sqlStateOf(err), ...errorFields(err) });
            }
            await removeFromSpool(spoolDir, e.name);
          }
        }
        if (replayed) log.info("spool.replayed", { count: replayed });
      } catch (err) {
        // An outage is reported by the callback already; a passing refusal (read-only, disk full) is worth a warning.
        if (isTransientError(err)) {
          if (!isConnectionError(err)) log.warn("spool.replay_postponed", errorFields(err));
        } else log.error("spool.replay_failed", errorFields(err));
      } finally {
        replaying = null;
        replayRounds++;
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

  /** Spool files put aside because they could not be parsed (they stay on this instance's disk). */
  const unreadableCount = () => countUnreadable(spoolDir);

  return { record, replaySpool, spoolSize, unreadableCount, replayRounds: () => replayRounds };
}

export type MessageStore = ReturnType<typeof createMessageStore>;
