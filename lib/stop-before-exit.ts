// On SIGTERM/SIGINT, `next start` closes its HTTP server (letting requests in flight finish) and
// then calls process.exit itself, without waiting for anything the app started. A job of the send
// queue that is active at that moment would stay active in PostgreSQL until it expires, and its
// send would wait minutes for another worker. So once a shutdown signal has arrived, the process's
// exit waits for `stop` too (at most `limitMs`): Next's draining of requests and ours of the queue
// run side by side, and the process ends when both are done.

export function stopBeforeExit(stop: () => Promise<void>, limitMs: number): void {
  let stopping: Promise<void> | null = null;
  const begin = () => (stopping ??= Promise.race([stop().catch(() => {}), new Promise<void>((resolve) => setTimeout(resolve, limitMs).unref())]));
  for (const signal of ["SIGTERM", "SIGINT"] as const) process.once(signal, () => void begin());

  const exit = process.exit.bind(process);
  process.exit = ((code?: number | string | null) => {
    if (!stopping) return exit(code);
    void stopping.then(() => exit(code));
  }) as typeof process.exit;
}
