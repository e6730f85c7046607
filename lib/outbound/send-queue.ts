import { createHash } from "node:crypto";
import PgBoss from "pg-boss";
import { getEnv } from "../env";
import { errorFields, log } from "../log";
import type { CustomMessage } from "./types";

// Deferred sends: what is sent after the callback answered (the rest of a reply-all) and what
// WeChat answered -1 or did not answer in time. pg-boss keeps the jobs in PostgreSQL, in a schema
// of its own on mpdesk's database, so a job outlives the process that queued it; every instance
// works jobs (pg-boss hands each to one worker with SKIP LOCKED) and nothing lives in memory.
//
// pg-boss is pinned at 10.4.2: 11 and later need Node 22, and mpdesk runs on Node 20.
//
// A job never sends twice on its own: it re-reads its row first (a row already sent or failed is
// done), and deliverSend claims each attempt with a conditional UPDATE. A rule's send has no row
// until its job first runs; its dedupe key ('rule:<inbound id>:<position>') makes that insert
// happen once however often the job runs.

export const SEND_QUEUE = "outbound-send";
const SCHEMA = "mpdesk_queue";
/** A job still active after this long (its process died) is handed to another worker. */
const EXPIRE_S = 60;
/** How often pg-boss looks for such jobs: a crash delays its sends by at most EXPIRE_S + this. */
const MAINTENANCE_S = 30;

export type SendJob =
  /** Retry a queued row. */
  | { accountId: string; id: string }
  /**
   * Send a rule's replies after the passive one (reply-all's 2nd, 3rd …), in order: one job per
   * message, so the follower never gets the third before the second. Each row is written on the
   * job's first run and found again by its key on the next.
   */
  | RuleSends;

export type RuleSends = { accountId: string; ruleId: string; inReplyTo: string; messages: CustomMessage[] };

type QueueState = { boss: PgBoss | null; starting: Promise<PgBoss> | null; working: boolean };
const g = globalThis as typeof globalThis & { mpdeskSendQueue?: QueueState };
const state = (): QueueState => (g.mpdeskSendQueue ??= { boss: null, starting: null, working: false });

/** The same job id for the same send: queuing it twice (a replayed spool, a retried call) adds no second job. */
function jobId(key: string): string {
  const h = createHash("sha256").update(key).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** Given with every job rather than kept on the queue, which keeps the options it was created with. */
function retryOptions(): PgBoss.SendOptions {
  const env = getEnv();
  return { retryLimit: env.MPDESK_SEND_RETRY_LIMIT, retryDelay: env.MPDESK_SEND_RETRY_DELAY_S, retryBackoff: true, expireInSeconds: EXPIRE_S };
}

async function boss(): Promise<PgBoss> {
  const s = state();
  if (s.boss) return s.boss;
  s.starting ??= (async () => {
    const env = getEnv();
    const b = new PgBoss({
      connectionString: env.DATABASE_URL,
      schema: SCHEMA,
      application_name: "mpdesk-queue",
      max: 3,
      // No cron schedules here: the clock monitor would only cost queries.
      schedule: false,
      maintenanceIntervalSeconds: MAINTENANCE_S,
    });
    // A lost connection is reported here and retried by pg-boss; it must not crash the process.
    b.on("error", (err) => log.warn("queue.error", errorFields(err)));
    await b.start();
    await b.createQueue(SEND_QUEUE);
    s.boss = b;
    return b;
  })().finally(() => {
    s.starting = null;
  });
  return s.starting;
}

export const sendQueue = {
  /** Starts the queue and this instance's worker (lib/outbound/send-worker.ts); once per process. */
  async start(handler: (jobs: PgBoss.JobWithMetadata<SendJob>[]) => Promise<void>): Promise<void> {
    const s = state();
    const b = await boss();
    if (s.working) return;
    s.working = true;
    await b.work<SendJob>(SEND_QUEUE, { includeMetadata: true, batchSize: 1, pollingIntervalSeconds: 1 }, handler);
  },

  /** Queues the retry of a row that stays queued (WeChat answered -1, or nothing in time). */
  async retry(row: { accountId: string; id: string }): Promise<void> {
    const options = { ...retryOptions(), id: jobId(`row:${row.id}`), startAfter: getEnv().MPDESK_SEND_RETRY_DELAY_S };
    await (await boss()).send(SEND_QUEUE, row satisfies SendJob, options);
  },

  /** Queues reply-all's other replies, one job per message, in one statement. */
  async sendLater(sends: RuleSends[]): Promise<void> {
    if (!sends.length) return;
    const options = retryOptions();
    await (
      await boss()
    ).insert(
      sends.map((d) => ({
        name: SEND_QUEUE,
        id: jobId(`rule:${d.accountId}:${d.inReplyTo}`),
        data: d satisfies SendJob,
        retryLimit: options.retryLimit,
        retryDelay: options.retryDelay,
        retryBackoff: options.retryBackoff,
        expireInSeconds: options.expireInSeconds,
      })),
    );
  },

  /**
   * Stops working and closes the queue's connections. A send in flight has 8 s to finish; a job
   * still active then is failed, so it is retried at once by another worker rather than after it expires.
   */
  async stop(): Promise<void> {
    const s = state();
    const b = s.boss ?? (await s.starting?.catch(() => null)) ?? null;
    s.boss = null;
    s.working = false;
    await b?.stop({ graceful: true, timeout: 8_000, wait: true });
  },
};
