// Runs once when a server process starts: warm the callback's account cache, listen for
// settings changes, start replaying the spool and working the deferred sends, before the first
// request arrives; then start the access_token refresher.
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { getCallbackRuntime } = await import("./lib/callback/callback-runtime");
  await getCallbackRuntime().start();
  const { startTokenRuntime } = await import("./lib/tokens/token-runtime");
  await startTokenRuntime();
  // Next.js exits on these signals once its requests are done; meanwhile the queue stops taking
  // jobs and lets a send in flight finish. A job cut short is retried by another worker after it
  // expires, and its row's claim keeps it from being sent twice.
  const { sendQueue } = await import("./lib/outbound/send-queue");
  for (const signal of ["SIGTERM", "SIGINT"] as const) process.once(signal, () => void sendQueue.stop().catch(() => {}));
}
