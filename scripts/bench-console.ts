// `npm run bench:console`: seeds 1,000,000 messages into a fresh database and times the
// message log's own data queries (lib/messages/list-messages.ts, the functions the page calls):
// the first page, filtered pages, content searches and a deep keyset page. Target: p95 ≤ 150 ms.
//
// Uses BENCH_DATABASE_URL's server when set (a throwaway database is created and dropped on
// it), else an embedded PostgreSQL in a temporary folder. `--count N` seeds N rows instead.
import { randomBytes, randomUUID } from "node:crypto";
import pg from "pg";
import { applyMigrations } from "../lib/apply-migrations";
import { createPool } from "../lib/db";
import { startThrowawayPostgres, type EmbeddedDatabase } from "../lib/embedded-postgres";
import { listMessages, PAGE_SIZE } from "../lib/messages/list-messages";
import type { TMessageFilters, TPageCursor } from "../lib/messages/message-filters";
import { seedMessages } from "./lib/seed-messages";

const arg = (name: string) => (process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : undefined);
const COUNT = Number(arg("--count") ?? 1_000_000);
const RUNS = Number(arg("--runs") ?? 50);
const TARGET_MS = 150;

async function main() {
  let embedded: EmbeddedDatabase | undefined;
  let adminUrl = process.env.BENCH_DATABASE_URL;
  if (!adminUrl) {
    embedded = await startThrowawayPostgres();
    adminUrl = embedded.adminUrl;
  }
  const name = `mpdesk_bench_${randomBytes(4).toString("hex")}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  try {
    await run(url.toString());
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => {});
    await admin.end();
    await embedded?.stop();
  }
}

async function run(databaseUrl: string) {
  await applyMigrations(databaseUrl);
  const pool = createPool(databaseUrl, 4);
  try {
    const accountId = randomUUID();
    await pool.query(`INSERT INTO account (id, app_id, token) VALUES ($1, 'wx0123456789abcdef', 'benchmarktoken')`, [accountId]);
    // Seeding and ANALYZE take longer than the app pool's 3-second statement timeout (MPDESK_STATEMENT_TIMEOUT_MS).
    const seeder = new pg.Client({ connectionString: databaseUrl });
    await seeder.connect();
    let t = Date.now();
    await seedMessages(seeder, { accountId, count: COUNT });
    console.log(`seeded ${COUNT.toLocaleString("en")} messages in ${((Date.now() - t) / 1000).toFixed(1)} s`);
    t = Date.now();
    await seeder.query("ANALYZE message");
    await seeder.end();
    console.log(`ANALYZE in ${((Date.now() - t) / 1000).toFixed(1)} s`);

    // Inputs taken from the data itself, so every case returns rows.
    const follower = (
      await pool.query<{ from_user: string }>(`SELECT from_user FROM message WHERE account_id = $1 ORDER BY received_at DESC LIMIT 1`, [accountId])
    ).rows[0]!.from_user;
    const deepOffset = Math.floor(COUNT * 0.9);
    const deep = (
      await pool.query<{ c: string }>(
        `SELECT to_char(received_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') || '~' || id AS c FROM message WHERE account_id = $1 ORDER BY received_at DESC, id DESC OFFSET $2 LIMIT 1`,
        [accountId, deepOffset],
      )
    ).rows[0]!.c;

    const cases: Array<{ name: string; filters: TMessageFilters; cursor?: TPageCursor }> = [
      { name: "first page", filters: {} },
      { name: "filtered: type=location", filters: { type: "location" } },
      { name: "filtered: event=SCAN", filters: { type: "event", event: "SCAN" } },
      { name: "filtered: one follower", filters: { openid: follower } },
      { name: "filtered: date range", filters: { from: daysAgo(20), to: daysAgo(18) } },
      { name: "search: 退款 (2 chars)", filters: { q: "退款" } },
      { name: "search: 专票 (rarer)", filters: { q: "专票" } },
      { name: "search: refund (latin)", filters: { q: "REFUND" } },
      { name: "search: #997 (rare)", filters: { q: "#997" } },
      { name: "search: no match", filters: { q: "不存在的词" } },
      { name: "search + type + dates", filters: { q: "发票", type: "text", from: daysAgo(60), to: daysAgo(1) } },
      { name: `deep keyset page (row ${deepOffset.toLocaleString("en")})`, filters: {}, cursor: { before: deep } },
      { name: "deep page, older than a search hit", filters: { q: "退款" }, cursor: { before: deep } },
    ];

    const results: Array<{ name: string; rows: number; p50: number; p95: number; max: number }> = [];
    for (const c of cases) {
      const opts = { accountId, filters: c.filters, cursor: c.cursor, tz: "Asia/Shanghai" };
      for (let i = 0; i < 3; i++) await listMessages(pool, opts);
      const times: number[] = [];
      let rows = 0;
      for (let i = 0; i < RUNS; i++) {
        const started = performance.now();
        rows = (await listMessages(pool, opts)).items.length;
        times.push(performance.now() - started);
      }
      times.sort((a, b) => a - b);
      const q = (p: number) => times[Math.min(times.length - 1, Math.ceil(p * times.length) - 1)]!;
      results.push({ name: c.name, rows, p50: q(0.5), p95: q(0.95), max: times.at(-1)! });
    }

    // Chinese characters take two columns in a terminal.
    const width = (str: string) => [...str].reduce((n, ch) => n + (/[\u3000-\u9fff\uff00-\uffef]/.test(ch) ? 2 : 1), 0);
    const pad = (str: string, n: number) => str + " ".repeat(Math.max(0, n - width(str)));
    const w = Math.max(...results.map((r) => width(r.name)));
    console.log(`\nmessages page data queries — ${COUNT.toLocaleString("en")} rows, ${RUNS} runs each, page size ${PAGE_SIZE}, target p95 ≤ ${TARGET_MS} ms\n`);
    console.log(`${pad("query", w)} | rows | p50 ms | p95 ms | max ms | target`);
    console.log(`${"-".repeat(w)}-|------|--------|--------|--------|-------`);
    for (const r of results) {
      console.log(
        `${pad(r.name, w)} | ${String(r.rows).padStart(4)} | ${r.p50.toFixed(1).padStart(6)} | ${r.p95.toFixed(1).padStart(6)} | ${r.max.toFixed(1).padStart(6)} | ${r.p95 <= TARGET_MS ? "ok" : "MISSED"}`,
      );
    }
    const missed = results.filter((r) => r.p95 > TARGET_MS);
    if (missed.length) {
      console.log(`\n${missed.length} quer${missed.length === 1 ? "y" : "ies"} over the target`);
      process.exitCode = 1;
    }
  } finally {
    await pool.end();
  }
}

function daysAgo(n: number): string {
  return new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
