// Group commit: requests that arrive while a write is in flight are gathered and written
// together in the next statement. Under load this turns N commits (N fsyncs) into a few,
// without adding latency when idle: a lone item is flushed at once.

type Pending<T, R> = { item: T; resolve: (r: R) => void; reject: (e: unknown) => void };

export type GroupCommitOptions = { maxBatch?: number; maxInFlight?: number };

export function createGroupCommit<T, R>(flush: (items: T[]) => Promise<R[]>, opts: GroupCommitOptions = {}) {
  const maxBatch = opts.maxBatch ?? 256;
  const maxInFlight = opts.maxInFlight ?? 2;
  let queue: Pending<T, R>[] = [];
  let inFlight = 0;

  const pump = () => {
    while (inFlight < maxInFlight && queue.length) {
      const batch = queue.slice(0, maxBatch);
      queue = queue.slice(batch.length);
      inFlight++;
      flush(batch.map((p) => p.item))
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
    submit(item: T): Promise<R> {
      return new Promise<R>((resolve, reject) => {
        queue.push({ item, resolve, reject });
        // Defer to the end of this tick so requests parsed in the same turn share a statement.
        if (queue.length === 1) queueMicrotask(pump);
      });
    },
    get pending() {
      return queue.length + inFlight;
    },
  };
}
