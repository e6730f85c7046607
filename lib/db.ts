import pg from "pg";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "./generated/prisma/client";
import { getEnv } from "./env";
import { log, errorFields } from "./log";

// One pg pool per process, shared by Prisma (through its adapter) and by the callback's lean
// insert path. Created lazily so `next build` and unit tests need no database.

type Globals = { mpdeskPool?: pg.Pool; mpdeskPrisma?: InstanceType<typeof PrismaClient> };
const g = globalThis as typeof globalThis & Globals;

export function createPool(connectionString: string, max = 10): pg.Pool {
  const pool = new pg.Pool({
    connectionString,
    max,
    // Fail fast when the database is down: the callback has a 5-second budget to retry or spool.
    connectionTimeoutMillis: 1_000,
    query_timeout: 4_000,
    idleTimeoutMillis: 30_000,
  });
  // An idle client losing its server emits 'error' on the pool; unhandled, it would kill the process.
  pool.on("error", (err) => log.warn("db.pool.error", errorFields(err)));
  return pool;
}

export function getPool(): pg.Pool {
  g.mpdeskPool ??= createPool(getEnv().DATABASE_URL);
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
