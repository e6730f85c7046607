import pg from "pg";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "./generated/prisma/client";
import { getEnv } from "./env";
import { log, errorFields } from "./log";

// One pg pool per process, shared by Prisma (through its adapter) and by the callback's lean
// insert path. Created lazily so `next build` and unit tests need no database.
//
// Which tables go through which door, one door per table:
// - Raw SQL, through rawQuery()/rawExecute() below, in one queries module per domain: what is
//   hot-path, set-based or runs under a lock, where Prisma's per-query cost or its missing SQL
//   (json_to_recordset, ON CONFLICT counters, keysets, GROUP BY, GIN search) would show.
//     message             lib/messages/message-queries.ts (reads), insert-messages.ts (the batch insert)
//     message_quarantine  lib/messages/quarantine.ts
//     callback_event      lib/callback/callback-queries.ts (counters, the console's reads, retention)
//     access_token        lib/tokens/token-store.ts (the token row, under the refresh lock)
//     token_refresh_event lib/tokens/token-store.ts (written in the refresh's transaction, read there too)
//     login_throttle      lib/auth/login-throttle.ts (atomic upserts; Prisma's tagged $queryRaw,
//                         because every caller holds the Prisma handle of the sign-in flow)
//     reply_cooldown      lib/replies/rule-queries.ts (a conditional upsert, on the callback's path)
//     media_asset         lib/media/media-queries.ts (bytea, which listings must not read)
//     inbox_read          lib/inbox/inbox-queries.ts (read markers, joined into the inbox query)
//     menu_draft, menu_version
//                         lib/menu/menu-queries.ts (json kept byte for byte, versions numbered under a lock)
//     menu_conditional    lib/menu/conditional-queries.ts
// - Prisma, for plain CRUD: user, api_key, account settings and the console's account list.
//   The account row is also joined into the token row by token-store.ts under the refresh lock,
//   and read once per change by the callback's account directory; those two reads stay raw.
//   Reply rules (reply_rule, reply_keyword, reply_message) are written through Prisma
//   (lib/replies/rule-set-io.ts) and read raw, once per change, into the callback's rules snapshot.
//
// Outside the tables, the database's own machinery talks to pg directly and stays where it is:
// migrations, the embedded server's bootstrap, LISTEN connections, the one-off secret-envelope upgrade.
//
// The handle: a query function, and any domain function that calls one, takes it as its first
// parameter, `db: Queryable` for raw SQL, `prisma: Prisma` for Prisma, so a caller can hand it a
// transaction's client or a test's own pool. getPool()/getPrisma() are called only where a
// handle starts: pages, route handlers, server actions, scripts, and the process-wide services
// that are called without one (the callback and token runtimes, the token service API, the
// API-key snapshot, the console's account choice and session check).

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

/** Anything that runs a statement: a pg.Pool, a pg.PoolClient inside a transaction, a pg.Client. */
export interface Queryable {
  query<R extends pg.QueryResultRow = pg.QueryResultRow>(text: string | pg.QueryConfig, values?: unknown[]): Promise<pg.QueryResult<R>>;
}

/**
 * A piece of SQL with its parameters, composed with the `sql` tag: an interpolated value becomes
 * a placeholder, an interpolated fragment is inlined with its own values. Placeholders are
 * numbered only when the statement is run, so fragments compose in any order without splicing text.
 */
export class Sql {
  constructor(
    readonly strings: readonly string[],
    readonly values: readonly unknown[],
  ) {}

  /** Text with $1…$n, and the values in that order. The same param() object is one placeholder. */
  toQuery(): { text: string; values: unknown[] } {
    const values: unknown[] = [];
    const seen = new Map<SqlParam, number>();
    let text = this.strings[0]!;
    for (let i = 0; i < this.values.length; i++) {
      const v = this.values[i];
      let n: number;
      if (v instanceof SqlParam) {
        n = seen.get(v) ?? values.push(v.value);
        seen.set(v, n);
      } else {
        n = values.push(v);
      }
      text += `$${n}` + this.strings[i + 1]!;
    }
    return { text, values };
  }
}

/** A value used more than once in a statement, sent once: `const v = param(x); sql\`a = ${v} OR b = ${v}\``. */
export class SqlParam {
  constructor(readonly value: unknown) {}
}
export const param = (value: unknown): SqlParam => new SqlParam(value);

export function sql(strings: TemplateStringsArray, ...values: unknown[]): Sql {
  const out: string[] = [strings[0]!];
  const vals: unknown[] = [];
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v instanceof Sql) {
      out[out.length - 1] += v.strings[0]!;
      for (let j = 0; j < v.values.length; j++) {
        vals.push(v.values[j]);
        out.push(v.strings[j + 1]!);
      }
      out[out.length - 1] += strings[i + 1]!;
    } else {
      vals.push(v);
      out.push(strings[i + 1]!);
    }
  }
  return new Sql(out, vals);
}

/** Trusted SQL text with no values: a constant column list, a keyword such as ASC or DESC. Never input. */
export const rawSql = (text: string): Sql => new Sql([text], []);

export const emptySql = rawSql("");

export function joinSql(parts: readonly Sql[], separator: string): Sql {
  if (!parts.length) return emptySql;
  const strings: string[] = [...parts[0]!.strings];
  const values: unknown[] = [...parts[0]!.values];
  for (const p of parts.slice(1)) {
    strings[strings.length - 1] += separator + p.strings[0]!;
    for (let j = 0; j < p.values.length; j++) {
      values.push(p.values[j]);
      strings.push(p.strings[j + 1]!);
    }
  }
  return new Sql(strings, values);
}

type Statement = Sql | pg.QueryConfig;
const toConfig = (q: Statement): pg.QueryConfig => (q instanceof Sql ? q.toQuery() : q);

/**
 * Every raw statement runs through here. Rows come back as the statement shapes them (columns
 * aliased to the domain's names), or through `map`, one mapper per row type, when a value needs
 * converting. A QueryConfig passes through untouched, for a named (prepared) hot-path statement.
 */
export async function rawQuery<R extends pg.QueryResultRow, T = R>(db: Queryable, q: Statement, map?: (row: R) => T): Promise<T[]> {
  const { rows } = await db.query<R>(toConfig(q));
  return map ? rows.map(map) : (rows as unknown as T[]);
}

/** A statement run for its effect: the number of rows it touched. */
export async function rawExecute(db: Queryable, q: Statement): Promise<number> {
  const { rowCount } = await db.query(toConfig(q));
  return rowCount ?? 0;
}

/** Runs `fn` on one connection inside BEGIN … COMMIT, rolled back if it throws. */
export async function withTransaction<T>(pool: pg.Pool, fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    const result = await fn(client);
    await client.query("COMMIT");
    return result;
  } catch (err) {
    await client.query("ROLLBACK").catch(() => {});
    throw err;
  } finally {
    client.release();
  }
}
