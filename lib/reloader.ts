// How an in-memory snapshot of some tables is reloaded when a NOTIFY says they changed: one load
// at a time, and a change notified while a load runs may have committed after that load read the
// tables, so exactly one more load follows it, however many notifications arrive meanwhile.
export function createReloader<T>(load: () => Promise<T>): { reload(): Promise<T>; running(): Promise<T> | null } {
  let loading: Promise<T> | null = null;
  let queued: Promise<T> | null = null;
  function reload(): Promise<T> {
    if (loading) {
      queued ??= loading
        .catch(() => {})
        .then(() => {
          queued = null;
          return reload();
        });
      return queued;
    }
    loading = load().finally(() => {
      loading = null;
    });
    return loading;
  }
  return { reload, running: () => loading };
}
