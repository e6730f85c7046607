// Runs once when a server process starts: warm the callback's account cache, listen for
// settings changes and start replaying the spool, before the first request arrives; then start
// the access_token refresher.
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { getCallbackRuntime } = await import("./lib/callback/callback-runtime");
  await getCallbackRuntime().start();
  const { startTokenRuntime } = await import("./lib/tokens/token-runtime");
  await startTokenRuntime();
}
