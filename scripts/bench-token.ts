// `npm run bench:token`: the figures of the token service's closing note. Two app instances on one
// PostgreSQL (an embedded one in a temporary folder) and the test suite's mock WeChat API:
//  1. cold start: 2 × 100 concurrent GET /api/token → how many times WeChat's token API was called
//     (must be 1) and whether everyone got the same token;
//  2. warm cache: autocannon against /api/token, one instance, then both at once → p50/p99, req/s.
// Options: --connections N (50), --duration S (10), --upstream-delay MS (100: WeChat's own latency).
import { randomBytes, randomUUID } from "node:crypto";
import { createRequire } from "node:module";
import os from "node:os";
import pg from "pg";
import { ensureDatabase, startThrowawayPostgres } from "../lib/embedded-postgres";
import { encryptSecret } from "../lib/secrets";
import { startApp, TEST_ENCRYPTION_KEY, type AppServer } from "../tests/helpers/app-server";
import { eventually } from "../tests/helpers/eventually";
import { startMockWeChatApi, TOKEN_PATHS } from "../tests/helpers/mock-wechat-api";
import { buildApp } from "./lib/build";

type Histogram = { p50: number; p90: number; p99: number; max: number; average: number };
type Result = { latency: Histogram; requests: { average: number; total: number }; non2xx: number; errors: number; timeouts: number };
const autocannon = createRequire(import.meta.url)("autocannon") as (opts: {
  url: string;
  connections: number;
  duration: number;
  headers: Record<string, string>;
}) => Promise<Result>;

const option = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const connections = option("connections", 50);
const duration = option("duration", 10);
const upstreamDelay = option("upstream-delay", 100);

async function main() {
  process.env.NEXT_TELEMETRY_DISABLED = "1";
  buildApp();
  const server = await startThrowawayPostgres();
  const mock = await startMockWeChatApi();
  const apps: AppServer[] = [];
  try {
    await ensureDatabase(server.adminUrl, "bench");
    const databaseUrl = server.urlFor("bench");
    const appId = `wx${randomBytes(8).toString("hex")}`;
    const secret = randomBytes(16).toString("hex");
    mock.addApp({ appId, secret });
    mock.setDelay(TOKEN_PATHS.stable, upstreamDelay);

    const env = { WECHAT_API_BASE: mock.url, LOG_LEVEL: "warn" };
    apps.push(await startApp({ databaseUrl, env })); // migrates and seeds the first administrator
    apps.push(await startApp({ databaseUrl, env }));
    const sql = new pg.Client({ connectionString: databaseUrl });
    await sql.connect();
    const accountId = randomUUID();
    await sql.query(`INSERT INTO account (id, app_id, app_secret_enc, token) VALUES ($1, $2, $3, 'tok3n')`, [
      accountId,
      appId,
      encryptSecret(secret, Buffer.from(TEST_ENCRYPTION_KEY, "base64"), "account.app_secret", accountId),
    ]);
    await sql.query("NOTIFY mpdesk_account_changed");
    await sql.end();
    Object.assign(process.env, {
      DATABASE_URL: databaseUrl,
      MPDESK_ENCRYPTION_KEY: TEST_ENCRYPTION_KEY,
      AUTH_SECRET: randomBytes(32).toString("base64"),
      LOG_LEVEL: "warn",
    });
    const { createApiKey } = await import("../lib/tokens");
    const { getPool } = await import("../lib/db");
    const headers = { authorization: `Bearer ${(await createApiKey("bench")).key}` };
    await getPool().end();
    // Both instances must know the new account before the stampede (LISTEN/NOTIFY, a moment);
    // /api/health counts the accounts an instance knows without asking WeChat for a token.
    for (const app of apps) {
      await eventually(async () => (await (await fetch(`${app.url}/api/health`)).json()).accounts === 1, { what: `the account reaching ${app.url}` });
    }

    console.log(`\n== cold start: 2 instances × 100 concurrent callers (WeChat answers in ${upstreamDelay} ms) ==`);
    const started = performance.now();
    const cold = await Promise.all(
      Array.from({ length: 200 }, async (_, i) => {
        const res = await fetch(`${apps[i % 2]!.url}/api/token`, { headers });
        return { status: res.status, token: ((await res.json()) as { access_token?: string }).access_token };
      }),
    );
    const coldMs = Math.round(performance.now() - started);
    const statuses = [...new Set(cold.map((r) => r.status))].join(",");
    console.log(`upstream token API calls: ${mock.tokenCalls(appId)}`);
    console.log(`distinct tokens handed out: ${new Set(cold.map((r) => r.token)).size}; HTTP statuses: ${statuses}; all 200 answered in ${coldMs} ms`);

    const run = async (app: AppServer) => autocannon({ url: `${app.url}/api/token`, connections, duration, headers });
    const report = (label: string, r: Result) =>
      console.log(
        `${label}: p50 ${r.latency.p50} ms, p90 ${r.latency.p90} ms, p99 ${r.latency.p99} ms, max ${r.latency.max} ms; ` +
          `${Math.round(r.requests.average)} req/s (${r.requests.total} requests, ${r.non2xx} non-2xx, ${r.errors} errors)`,
      );
    console.log(`\n== warm cache: GET /api/token, ${connections} connections, ${duration} s ==`);
    await autocannon({ url: `${apps[0]!.url}/api/token`, connections: 10, duration: 2, headers }); // JIT warm-up
    report("one instance", await run(apps[0]!));
    const [a, b] = await Promise.all([run(apps[0]!), run(apps[1]!)]);
    report("both at once, instance A", a);
    report("both at once, instance B", b);
    console.log(`\nupstream token API calls in total: ${mock.tokenCalls(appId)}`);
    console.log(`machine: ${os.cpus().length} × ${os.cpus()[0]?.model.trim()}, Node ${process.version}; load generator on the same machine`);
  } finally {
    await Promise.all(apps.map((a) => a.stop()));
    await mock.close();
    await server.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
