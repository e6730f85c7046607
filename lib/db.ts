import pg from "pg";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "./generated/prisma/client";
import { getEnv } from "./env";
import { log, errorFields } from "./log";

// One pg pool per process, shared by Prisma (through its adapter) and by the callback's lean
// insert path. Created lazily so `next build` and unit tests need no database.

type Globals = { mpdeskPool?: pg.Pool; mpdeskPrisma?: InstanceType<typeof PrismaClient> };
const g = globalThis as typeof globalThis & Globals;

export type PoolOptions = {
  /**
   * Server-side limit on every statement. The server cancels the statement itself (57014), so a
   * caller that gives up leaves nothing running; the client-side timeout is only a backstop.
   */
  statementTimeoutMs?: number;
};

export function createPool(connectionString: string, max = 10, opts: PoolOptions = {}): pg.Pool {
  const statementTimeout = opts.statementTimeoutMs ?? DEFAULT_STATEMENT_TIMEOUT_MS;
  const pool = new pg.Pool({
    connectionString,
    max,
    // Fail fast when the database is down: the callback has a 5-second budget to retry or spool.
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    // Sent in the startup packet: it holds for every statement on the connection, Prisma's too.
    statement_timeout: statementTimeout,
    query_timeout: statementTimeout + 1_000,
    idleTimeoutMillis: 30_000,
  });
  // An idle client losing its server emits 'error' on the pool; unhandled, it would kill the process.
  pool.on("error", (err) => log.warn("db.pool.error", errorFields(err)));
  return pool;
}

export const CONNECT_TIMEOUT_MS = 1_000;
export const DEFAULT_STATEMENT_TIMEOUT_MS = 3_000;

export function getPool(): pg.Pool {
  g.mpdeskPool ??= createPool(getEnv().DATABASE_URL, 10, { statementTimeoutMs: getEnv().MPDESK_STATEMENT_TIMEOUT_MS });
  return g.mpdeskPool;
}

export function getPrisma(): InstanceType<typeof PrismaClient> {
  g.mpdeskPrisma ??= new PrismaClient({ adapter: new PrismaPg(getPool()) });
  return g.mpdeskPrisma;
}

export type Prisma = InstanceType<typeof PrismaClient>;

/** Errors after which the same statement may succeed later: the server is down, restarting or unreachable. */
export function isConnectionError(err: unknown): boolean {
  const e = err as { code?: string; message?: string } | undefined;
  const code = e?.code ?? "";
  if (["ECONNREFUSED", "ECONNRESET", "EPIPE", "ETIMEDOUT", "ENOTFOUND", "EHOSTUNREACH", "EAI_AGAIN"].includes(code)) return true;
  // 08: connection exception, 57P0x: admin shutdown / crash shutdown / cannot connect now, 53300: too many connections.
  if (/^08|^57P0|^53300$/.test(code)) return true;
  return /Connection terminated|timeout exceeded when trying to connect|Query read timeout|Client has encountered a connection error|connection .*closed/i.test(
    e?.message ?? "",
  );
}

const sqlState = (err: unknown): string => {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === "string" && /^[0-9A-Z]{5}$/.test(code) ? code : "";
};

/**
 * Errors after which the same statement may well succeed in a moment, though the connection
 * itself was fine: a statement timeout or lock timeout, a read-only server during a failover,
 * a full disk or exhausted memory, serialization failures and deadlocks, the server's own I/O errors.
 */
export function isTransientError(err: unknown): boolean {
  if (isConnectionError(err)) return true;
  const code = sqlState(err);
  // 53: insufficient resources (53100 disk full, 53200 out of memory, 53300 too many connections).
  // 57014 query canceled, 57P0x shutdown, 55P03 lock not available, 25006 read-only transaction,
  // 40001/40P01 serialization failure/deadlock, 58: system errors (58030 I/O error), 08: connection.
  return /^(08|53|57|58|40001$|40P01$|55P03$|55006$|25006$|25P03$)/.test(code);
}

/**
 * Refusals about this row's data, which no retry will change: 22 data exceptions (a value
 * too long, a bad number, an untranslatable character), 23 integrity violations (the dedupe
 * conflict never raises: it is ON CONFLICT DO NOTHING), 54 program limits (an index row too big).
 */
export function isLastingRowError(err: unknown): boolean {
  return /^(22|23|54)/.test(sqlState(err));
}

export function sqlStateOf(err: unknown): string | null {
  return sqlState(err) || null;
}
