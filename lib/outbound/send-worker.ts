import type PgBoss from "pg-boss";
import { getPool } from "../db";
import { log } from "../log";
import { sendQueue, type SendJob } from "./send-queue";
import { deliverSend, sendCustomMessage } from "./send-message";

// This instance's share of the deferred sends: each job is one send, tried once per run; a send
// WeChat has not accepted yet throws, so pg-boss tries it again after its backoff.

async function work(jobs: PgBoss.JobWithMetadata<SendJob>[]): Promise<void> {
  const db = getPool();
  for (const job of jobs) {
    const lastTry = job.retryCount >= job.retryLimit;
    const d = job.data;
    if ("id" in d) {
      const outcome = await deliverSend(db, d, { lastTry, resume: true });
      if (outcome.status === "queued") throw new Error(`send ${outcome.id} deferred: WeChat did not accept it yet`);
      continue;
    }
    for (const [i, message] of d.messages.entries()) {
      const origin = { source: "rule" as const, ruleId: d.ruleId, inReplyTo: d.inReplyTo, position: i + 1 };
      const outcome = await sendCustomMessage(db, d.accountId, message, origin, { lastTry, resume: true });
      // The later replies wait for this one, so the follower reads them in the rule's order.
      if (outcome.status === "queued") throw new Error(`send ${outcome.id} deferred: WeChat did not accept it yet`);
      // The window closed before the job ran (a spooled message replayed late): nothing is sent,
      // and the thread shows the reply as failed with the reason.
      if (outcome.status === "refused") log.info("outbound.deferred_refused", { account: d.accountId, inReplyTo: d.inReplyTo, error: outcome.error });
    }
  }
}

export const startSendWorker = () => sendQueue.start(work);
