import { AppError } from "../app-error";

// Group commit: requests that arrive while a write is in flight are gathered and written
// together in the next statement. Under load this turns N commits (N fsyncs) into a few,
// without adding latency when idle: a lone item is flushed at once.
//
// A batch that fails with a retryable error is retried here, as one batch for all its callers,
// after a jittered pause, until the earliest caller's deadline: 256 callers retrying on their
// own would hit a struggling database with 256 statements at the same instant.

type Pending<T, R> = { item: T; deadline: number; resolve: (r: R) => void; reject: (e: unknown) => void };

export type GroupCommitOptions = {
  maxBatch?: number;
  maxInFlight?: number;
  /** Whether a failed flush may succeed if tried again; such failures are retried up to the deadline. */
  retryable?: (err: unknown) => boolean;
  /** First pause before a retry; it doubles each time, with ±50 % jitter. */
  retryDelayMs?: number;
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function createGroupCommit<T, R>(flush: (items: T[]) => Promise<R[]>, opts: GroupCommitOptions = {}) {
  const maxBatch = opts.maxBatch ?? 256;
  const maxInFlight = opts.maxInFlight ?? 2;
  const retryable = opts.retryable ?? (() => false);
  const firstDelay = opts.retryDelayMs ?? 50;
  let queue: Pending<T, R>[] = [];
  let inFlight = 0;

  async function flushWithRetry(batch: Pending<T, R>[]): Promise<R[]> {
    const deadline = Math.min(...batch.map((p) => p.deadline));
    let delay = firstDelay;
    for (;;) {
      try {
        return await flush(batch.map((p) => p.item));
      } catch (err) {
        const pause = delay * (0.5 + Math.random());
        if (!retryable(err) || Date.now() + pause >= deadline) throw err;
        await sleep(pause);
        delay = Math.min(delay * 2, 800);
      }
    }
  }

  const pump = () => {
    while (inFlight < maxInFlight && queue.length) {
      // Callers whose deadline passed while queued have moved on (spooled); do not write for them.
      const now = Date.now();
      const taken = queue.splice(0, maxBatch);
      const live = taken.filter((p) => p.deadline > now);
      for (const p of taken) if (p.deadline <= now) p.reject(new AppError("DEADLINE_PASSED", { message: "deadline passed while queued" }));
      if (!live.length) continue;
      const batch = live;
      inFlight++;
      flushWithRetry(batch)
        .then(
          (results) => batch.forEach((p, i) => p.resolve(results[i]!)),
          (err) => batch.forEach((p) => p.reject(err)),
        )
        .finally(() => {
          inFlight--;
          pump();
        });
    }
  };

  return {
    /** `deadline` (epoch ms) bounds the retries of the batch this item joins. */
    submit(item: T, deadline = Date.now() + 3_000): Promise<R> {
      return new Promise<R>((resolve, reject) => {
        queue.push({ item, deadline, resolve, reject });
        // Defer to the end of this tick so requests parsed in the same turn share a statement.
        if (queue.length === 1) queueMicrotask(pump);
      });
    },
    get pending() {
      return queue.length + inFlight;
    },
  };
}
