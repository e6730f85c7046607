// One JSON object per line on stdout: greppable, and shippable to any log collector.
// Callers pass counts, ids and outcomes; never secrets, tokens or message bodies.
type Level = "debug" | "info" | "warn" | "error";
const order: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };
const threshold = order[(process.env.LOG_LEVEL as Level) ?? "info"] ?? order.info;

// Lines are coalesced and written once per event-loop turn: on the callback's hot path a
// write(2) per request cost more than the rest of our own code together.
const pending: Record<"out" | "err", string[]> = { out: [], err: [] };
let scheduled = false;

function flush() {
  scheduled = false;
  if (pending.out.length) process.stdout.write(pending.out.join(""));
  if (pending.err.length) process.stderr.write(pending.err.join(""));
  pending.out = [];
  pending.err = [];
}
process.on("exit", flush);

function write(level: Level, msg: string, fields?: Record<string, unknown>) {
  if (order[level] < threshold) return;
  const line = JSON.stringify({ time: new Date().toISOString(), level, msg, ...fields });
  pending[level === "error" || level === "warn" ? "err" : "out"].push(line + "\n");
  if (!scheduled) {
    scheduled = true;
    setImmediate(flush);
  }
}

export const log = {
  debug: (msg: string, fields?: Record<string, unknown>) => write("debug", msg, fields),
  info: (msg: string, fields?: Record<string, unknown>) => write("info", msg, fields),
  warn: (msg: string, fields?: Record<string, unknown>) => write("warn", msg, fields),
  error: (msg: string, fields?: Record<string, unknown>) => write("error", msg, fields),
};

export function errorFields(err: unknown): Record<string, unknown> {
  if (err instanceof Error) {
    const code = (err as { code?: unknown }).code;
    return { error: err.message, ...(code ? { code } : {}) };
  }
  return { error: String(err) };
}
