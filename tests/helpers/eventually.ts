// Waiting for something another process does (a NOTIFY reaching an app, a row being written, a
// server coming up) by polling until it holds, not by sleeping a guessed time: fast when the
// machine is idle, still correct when it is loaded.

/**
 * Calls `check` until it returns without throwing and not `false`, and returns its value. Past
 * the deadline, the last failure is thrown (an assertion's own message, or `what` not happening).
 * `giveUp`, asked before each try, ends the wait at once with the error it returns: for a
 * condition that can no longer come true (the process that would make it true has exited).
 */
export async function eventually<T>(
  check: () => T | Promise<T>,
  opts: { timeoutMs?: number; intervalMs?: number; what?: string; giveUp?: () => Error | undefined } = {},
): Promise<Exclude<Awaited<T>, false>> {
  const { timeoutMs = 10_000, intervalMs = 50, what = "the condition", giveUp } = opts;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const reason = giveUp?.();
    if (reason) throw reason;
    let failure: unknown;
    try {
      const value = await check();
      if (value !== false) return value as Exclude<Awaited<T>, false>;
      failure = new Error(`${what} did not happen within ${timeoutMs} ms`);
    } catch (err) {
      failure = err;
    }
    if (Date.now() >= deadline) throw failure;
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
