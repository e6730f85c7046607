import { access, constants, mkdir } from "node:fs/promises";
import type pg from "pg";
import packageJson from "../package.json" with { type: "json" };
import type { AccountDirectory } from "./accounts/callback-accounts";
import { rawQuery, sql } from "./db";
import { errorFields, log } from "./log";
import type { MessageStore } from "./messages/message-store";

// "Can this instance serve callbacks?" — yes with the database up; still yes (degraded) with
// the database down as long as it knows its accounts and can spool; otherwise no (503).

export type Health = {
  status: "ok" | "degraded" | "unavailable";
  version: string;
  database: { reachable: boolean; latencyMs?: number; error?: string };
  accounts: number | null;
  spool: { pending: number; writable: boolean; replayRounds: number };
};

// A monitor polls health every few seconds: log each distinct failure once a minute, not every poll.
let lastLogged = { message: "", at: 0 };
function logUnreachable(err: Error) {
  const now = Date.now();
  if (err.message === lastLogged.message && now - lastLogged.at < 60_000) return;
  lastLogged = { message: err.message, at: now };
  log.warn("health.database_unreachable", errorFields(err));
}

export async function checkHealth(deps: { pool: pg.Pool; accounts: AccountDirectory; store: MessageStore; spoolDir: string }): Promise<Health> {
  const started = performance.now();
  const database = await rawQuery(deps.pool, sql`SELECT 1`)
    .then(() => ({ reachable: true, latencyMs: Math.round(performance.now() - started) }))
    .catch((err: Error) => {
      logUnreachable(err);
      // Anonymous callers see only this; the driver's message names host, port and user.
      return { reachable: false, error: "database unreachable" };
    });
  const accounts = await deps.accounts
    .resolve()
    .then((a) => (a ? 1 : 0))
    .catch(() => null);
  const writable = await mkdir(deps.spoolDir, { recursive: true })
    .then(() => access(deps.spoolDir, constants.W_OK))
    .then(() => true)
    .catch(() => false);
  const pending = await deps.store.spoolSize().catch(() => 0);
  const status = database.reachable ? "ok" : accounts !== null && writable ? "degraded" : "unavailable";
  return { status, version: packageJson.version, database, accounts, spool: { pending, writable, replayRounds: deps.store.replayRounds() } };
}
