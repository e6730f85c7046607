// Runs once when a server process starts: warm the callback's account cache, listen for
// settings changes, start replaying the spool and working the deferred sends, before the first
// request arrives; then start the access_token refresher.
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { getCallbackRuntime } = await import("./lib/callback/callback-runtime");
  await getCallbackRuntime().start();
  const { startTokenRuntime } = await import("./lib/tokens/token-runtime");
  await startTokenRuntime();
  // On a shutdown signal the queue stops taking jobs and lets a send in flight finish (a job cut
  // short goes back to the queue at once, as a failed try); the process's exit waits for that.
  // A job left active by a process that died outright is retried by another worker after it
  // expires, and its row's claim keeps it from being sent twice.
  const { sendQueue } = await import("./lib/outbound/send-queue");
  const { stopBeforeExit } = await import("./lib/stop-before-exit");
  stopBeforeExit(() => sendQueue.stop(), 10_000);
}
