import assert from "node:assert/strict";
import { randomBytes, randomUUID } from "node:crypto";
import { after, before, describe, test } from "node:test";
import pg from "pg";
import { decryptSecret, encryptSecret } from "../../lib/secrets";
import { startApp, configureLib, TEST_ENCRYPTION_KEY, type AppServer } from "../helpers/app-server";
import { BUSINESS_PATH, startMockWeChatApi, TOKEN_PATHS, wechatErrmsg, type MockWeChatApi } from "../helpers/mock-wechat-api";
import { createTestDatabase } from "../helpers/test-database";
import { eventually } from "../helpers/eventually";

// The access_token service against a mock of WeChat's API over real HTTP and a real PostgreSQL:
// two app instances on one database, plus this test process as a third user of lib/tokens
// (business calls, the console's functions). Every account below is its own AppID at the mock,
// so call counts are per test.

type Tokens = typeof import("../../lib/tokens");
type Account = { id: string; appId: string; secret: string };
const secrets: string[] = [];

let db: Awaited<ReturnType<typeof createTestDatabase>>;
let mock: MockWeChatApi;
let sql: pg.Client;
let apps: AppServer[] = [];
let tokens: Tokens;
let auth: Record<string, string>;
let main: Account;
const encryptionKey = Buffer.from(TEST_ENCRYPTION_KEY, "base64");
// Deliberate sleeps only: each one lets time pass to show that something does NOT happen (no
// retry, no second refresh) or that a deadline passed. Waits for something to happen use eventually().
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const newAppId = () => `wx${randomBytes(8).toString("hex")}`;
const newSecret = () => randomBytes(16).toString("hex");

/** An account as the console saves it (AppSecret encrypted), known to the mock with these token rules. */
async function addAccount(
  opts: { endpoint?: "stable" | "classic"; lifetimeSec?: number; rotateWindowSec?: number; storedSecret?: string } = {},
): Promise<Account> {
  const account = { id: randomUUID(), appId: newAppId(), secret: newSecret() };
  secrets.push(account.secret);
  mock.addApp({ appId: account.appId, secret: account.secret, lifetimeSec: opts.lifetimeSec, rotateWindowSec: opts.rotateWindowSec });
  await sql.query(`INSERT INTO account (id, app_id, app_secret_enc, token, token_endpoint) VALUES ($1, $2, $3, 'tok3n', $4)`, [
    account.id,
    account.appId,
    encryptSecret(opts.storedSecret ?? account.secret, encryptionKey, "account.app_secret", account.id),
    opts.endpoint ?? "stable",
  ]);
  await sql.query("NOTIFY mpdesk_account_changed");
  return account;
}

async function events(accountId: string) {
  const { rows } = await sql.query(
    `SELECT trigger, endpoint, outcome, errcode, errmsg, instance, created_at FROM token_refresh_event WHERE account_id = $1 ORDER BY id`,
    [accountId],
  );
  return rows as Array<{
    trigger: string;
    endpoint: string;
    outcome: string;
    errcode: number | null;
    errmsg: string | null;
    instance: string;
    created_at: Date;
  }>;
}

async function getToken(app: AppServer, appId?: string, headers = auth) {
  const res = await fetch(`${app.url}/api/token${appId ? `?account=${appId}` : ""}`, { headers });
  return { status: res.status, body: (await res.json()) as Record<string, any> };
}

async function knownToApps(account: Account) {
  for (const app of apps) {
    // Each app learns of a new account or key through NOTIFY, a moment later.
    await eventually(async () => (await getToken(app, account.appId)).status !== 404, { what: `${account.appId} reaching ${app.url}` });
  }
}

before(async () => {
  mock = await startMockWeChatApi();
  db = await createTestDatabase();
  sql = new pg.Client({ connectionString: db.url });
  await sql.connect();
  // This process uses lib/tokens too, configured like the apps.
  configureLib(db.url, mock.url, { MPDESK_TOKEN_BACKOFF_MS: "20", MPDESK_WECHAT_TIMEOUT_MS: "1000" });
  tokens = await import("../../lib/tokens");

  main = await addAccount(); // the first account: the default of GET /api/token
  // Retention: an event from before the retention period, pruned when an instance starts; a recent one kept.
  const archive = await addAccount();
  await sql.query(
    `INSERT INTO token_refresh_event (account_id, trigger, endpoint, outcome, latency_ms, instance, created_at)
     VALUES ($1, 'scheduled', 'stable', 'success', 5, 'old', now() - interval '31 days'), ($1, 'scheduled', 'stable', 'success', 5, 'recent', now() - interval '29 days')`,
    [archive.id],
  );
  const env = { WECHAT_API_BASE: mock.url, MPDESK_TOKEN_BACKOFF_MS: "20", MPDESK_WECHAT_TIMEOUT_MS: "2000", LOG_LEVEL: "info" };
  // One after the other: both would seed the first administrator of an empty database.
  apps.push(await startApp({ databaseUrl: db.url, env }));
  apps.push(await startApp({ databaseUrl: db.url, env }));
  auth = { authorization: `Bearer ${(await tokens.createApiKey("tests")).key}` };
});

after(async () => {
  await Promise.all(apps.map((a) => a.stop()));
  const { getPool } = await import("../../lib/db");
  await getPool().end();
  await sql?.end();
  await mock?.close();
  await db?.drop();
});

describe("one token for every instance", () => {
  test("cold start: 200 concurrent callers across two instances get one token from one upstream call", async () => {
    mock.setDelay(TOKEN_PATHS.stable, 200); // a slow WeChat: every caller arrives while the refresh is under way
    try {
      const results = await Promise.all(Array.from({ length: 200 }, (_, i) => getToken(apps[i % 2]!)));
      assert.deepEqual(new Set(results.map((r) => r.status)), new Set([200]), JSON.stringify(results.find((r) => r.status !== 200)?.body));
      const issued = new Set(results.map((r) => r.body.access_token));
      assert.equal(issued.size, 1, "everyone got the same token");
      assert.equal(mock.tokenCalls(main.appId), 1, "WeChat's token API was called exactly once");
      const [token] = issued;
      assert.ok(mock.isValid(token));
      const expiresAt = new Date(results[0]!.body.expires_at);
      assert.ok(expiresAt.getTime() > Date.now() + 7_000_000, "expires_at is the token's, about two hours ahead");
      const recorded = await events(main.id);
      assert.deepEqual(
        recorded.map((e) => [e.trigger, e.outcome, e.endpoint]),
        [["on-demand", "success", "stable"]],
      );
    } finally {
      mock.setDelay(TOKEN_PATHS.stable, 0);
    }
    // Warm: served from memory, no further upstream calls; the token is encrypted at rest.
    for (const app of apps) assert.equal((await getToken(app)).status, 200);
    assert.equal(mock.tokenCalls(main.appId), 1);
    const { rows } = await sql.query(`SELECT token_enc FROM access_token WHERE account_id = $1`, [main.id]);
    assert.match(rows[0].token_enc, /^v2:/, "bound to its row");
    const served = (await getToken(apps[0]!)).body.access_token;
    assert.equal(served.length > 100, true);
    assert.ok(!rows[0].token_enc.includes(served));
    assert.equal(decryptSecret(rows[0].token_enc, encryptionKey, "access_token.token", main.id), served);
  });

  test("a token is refreshed once, ahead of its expiry, by one of the instances", async () => {
    // 6-second tokens that WeChat renews in their last 2 seconds: the refresher is due about 1 s before expiry.
    const short = await addAccount({ lifetimeSec: 6, rotateWindowSec: 2 });
    await knownToApps(short);
    const first = await getToken(apps[0]!, short.appId);
    assert.equal(first.status, 200);
    const expiry = new Date(first.body.expires_at).getTime();
    await sleep(expiry - Date.now() + 300); // past the expiry: one refresh, and no second one

    assert.equal(mock.tokenCalls(short.appId), 2, "one refresh for one expiry, whatever the number of instances");
    const recorded = await events(short.id);
    assert.deepEqual(
      recorded.map((e) => [e.trigger, e.outcome]),
      [
        ["on-demand", "success"],
        ["scheduled", "success"],
      ],
    );
    assert.ok(recorded[1]!.created_at.getTime() < expiry, "renewed before the old token expired");
    for (const app of apps) {
      const now = await getToken(app, short.appId);
      assert.equal(now.status, 200);
      assert.notEqual(now.body.access_token, first.body.access_token);
      assert.ok(mock.isValid(now.body.access_token));
    }
    assert.equal(mock.tokenCalls(short.appId), 2);
  });

  test("old refresh events are pruned at start; recent ones are kept", async () => {
    await eventually(
      async () => {
        const { rows } = await sql.query(`SELECT instance FROM token_refresh_event WHERE instance IN ('old', 'recent')`);
        return rows.length === 1 && rows[0].instance === "recent";
      },
      { what: "pruning" },
    );
  });
});

describe("GET /api/token needs an API key", () => {
  test("none, malformed, wrong or revoked → 401; valid → 200", async () => {
    for (const headers of [
      {},
      { authorization: "Bearer nonsense" },
      { authorization: `Bearer mpd_${randomBytes(32).toString("base64url")}` },
      { authorization: auth.authorization!.replace("Bearer", "Basic") },
    ]) {
      const res = await getToken(apps[0]!, undefined, headers as Record<string, string>);
      assert.equal(res.status, 401, JSON.stringify(headers));
      assert.equal(res.body.access_token, undefined);
    }
    const { key } = await tokens.createApiKey("short-lived");
    const bearer = { authorization: `Bearer ${key}` };
    for (const app of apps) assert.equal((await getToken(app, undefined, bearer)).status, 200);
    assert.equal(await tokens.revokeApiKey("short-lived"), true);
    assert.equal(await tokens.revokeApiKey("short-lived"), false, "nothing left to revoke");
    for (const app of apps) await eventually(async () => (await getToken(app, undefined, bearer)).status === 401, { timeoutMs: 6_000, what: "revocation" });
    assert.equal((await getToken(apps[1]!)).status, 200, "other keys keep working");

    const listed = await tokens.listApiKeys();
    const revoked = listed.find((k) => k.name === "short-lived")!;
    assert.ok(revoked.revokedAt);
    assert.ok(key.startsWith(revoked.prefix) && revoked.prefix.length < 16, "listed by a short prefix");
    assert.ok(revoked.lastUsedAt, "last use recorded");
    const { rows } = await sql.query(`SELECT key_hash FROM api_key WHERE name = 'short-lived'`);
    assert.equal(rows[0].key_hash.length, 64, "stored as a SHA-256, not the key");
    assert.ok(!JSON.stringify(rows).includes(key));
  });

  test("?account= picks the account; an unknown AppID is 404", async () => {
    assert.equal((await getToken(apps[0]!, newAppId())).status, 404);
  });

  test("a key scoped to accounts: 200 for those, 403 for every other AppID, existing or not; an unscoped key covers all", async () => {
    const other = await addAccount();
    await knownToApps(other);
    const { key } = await tokens.createApiKey("scoped", { accountIds: [other.id] });
    const scoped = { authorization: `Bearer ${key}` };
    for (const app of apps) {
      const own = await getToken(app, other.appId, scoped);
      assert.equal(own.status, 200, JSON.stringify(own.body));
      assert.ok(mock.isValid(own.body.access_token));
      // The default account (no ?account=) is main, which the key does not cover.
      for (const appId of [main.appId, undefined, newAppId()]) {
        const refused = await getToken(app, appId, scoped);
        assert.equal(refused.status, 403, `${appId ?? "default"}: ${JSON.stringify(refused.body)}`);
        assert.deepEqual(refused.body, { error: "forbidden" }, "an unknown AppID answers like a known one");
      }
      for (const appId of [main.appId, other.appId, undefined]) assert.equal((await getToken(app, appId)).status, 200, "the unscoped key");
    }
    // A refusal for another account is not a wrong key: more of them than the wrong-key limit allows, and the key still works.
    for (let i = 0; i < 35; i++) assert.equal((await getToken(apps[0]!, main.appId, scoped)).status, 403);
    assert.equal((await getToken(apps[0]!, other.appId, scoped)).status, 200);

    const listed = await tokens.listApiKeys();
    assert.deepEqual(listed.find((k) => k.name === "scoped")?.accounts, [other.appId]);
    assert.equal(listed.find((k) => k.name === "tests")?.accounts, null, "unscoped: every account");
    await assert.rejects(tokens.createApiKey("nowhere", { accountIds: [randomUUID()] }), /does not exist/);
    assert.equal(await tokens.revokeApiKey("scoped"), true);
  });
});

describe("invalid token from a business call: compare-and-refresh", () => {
  let biz: Account;
  before(async () => {
    biz = await addAccount();
  });

  test("40001 → one refresh shared by all the calls that failed, one retry each", async () => {
    const first = await tokens.getAccessToken(biz.id);
    assert.equal(mock.tokenCalls(biz.appId), 1);
    mock.rotateStable(biz.appId); // someone else forced a new stable token: ours is dead
    assert.equal(mock.isValid(first.accessToken), false);

    const results = await Promise.all(
      Array.from({ length: 20 }, () => tokens.callWeChatApi<{ ip_list: string[] }>(biz.id, { method: "GET", path: BUSINESS_PATH })),
    );
    for (const r of results) assert.ok(r.ip_list.length > 0);
    assert.equal(mock.tokenCalls(biz.appId), 2, "one refresh, not one per failed call");
    assert.equal(mock.calls(BUSINESS_PATH, biz.appId), 40, "each call retried once");
    assert.deepEqual(
      (await events(biz.id)).map((e) => [e.trigger, e.outcome]),
      [
        ["on-demand", "success"],
        ["invalid-token", "success"],
      ],
    );
    const current = await tokens.getAccessToken(biz.id);
    assert.notEqual(current.accessToken, first.accessToken);
    // The other instances pick up the new token (NOTIFY).
    await knownToApps(biz);
    for (const app of apps) {
      await eventually(async () => (await getToken(app, biz.appId)).body.access_token === current.accessToken, { what: "new token on every instance" });
    }
  });

  test("a second 40001 after the refresh is an error, not a loop", async () => {
    const businessBefore = mock.calls(BUSINESS_PATH, biz.appId);
    const tokenBefore = mock.tokenCalls(biz.appId);
    mock.script(biz.appId, BUSINESS_PATH, { errcode: 40001 }, { errcode: 40001 });
    await assert.rejects(tokens.callWeChatApi(biz.id, { method: "GET", path: BUSINESS_PATH }), (err: any) => {
      assert.equal(err.code, "WECHAT_API");
      assert.equal(err.details.errcode, 40001);
      return true;
    });
    await sleep(200); // no third call comes after the error
    assert.equal(mock.calls(BUSINESS_PATH, biz.appId) - businessBefore, 2, "the call and one retry");
    // WeChat handed back the same stable token, so it was replaced by force (rationed): at most two token calls.
    const tokenCalls = mock.tokenCalls(biz.appId) - tokenBefore;
    assert.ok(tokenCalls >= 1 && tokenCalls <= 2, `token calls: ${tokenCalls}`);
    const recent = (await events(biz.id)).slice(2);
    assert.equal(recent.length, tokenCalls);
    assert.ok(recent.every((e) => e.trigger === "invalid-token"));
  });
});

describe("errors from WeChat's token API", () => {
  test("40164 (IP not whitelisted): not retried; status and /api/token carry errcode, IP and fix", async () => {
    const acct = await addAccount();
    const errmsg = wechatErrmsg(40164, { ip: "203.0.113.7" });
    mock.failAlways(acct.appId, TOKEN_PATHS.stable, { errcode: 40164, errmsg });
    await knownToApps(acct); // (this first request already met the error)
    for (const app of [...apps, ...apps]) {
      const res = await getToken(app, acct.appId);
      assert.equal(res.status, 503);
      assert.equal(res.body.errcode, 40164);
      assert.equal(res.body.ip, "203.0.113.7");
      assert.match(res.body.fix.en, /203\.0\.113\.7.*whitelist/);
      assert.equal(res.body.access_token, undefined);
    }
    await assert.rejects(tokens.getAccessToken(acct.id), { name: "AppError", code: "TOKEN_UNAVAILABLE" });
    await sleep(300); // many backoff periods: the refresher must not try again by itself
    assert.equal(mock.tokenCalls(acct.appId), 1, "asked once, never retried");

    const status = await tokens.getTokenStatus(acct.id);
    assert.equal(status.state, "error");
    assert.equal(status.blocked, true);
    assert.deepEqual([status.lastError?.errcode, status.lastError?.ip, status.lastError?.errmsg], [40164, "203.0.113.7", errmsg]);
    assert.match(status.lastError!.fix.zh, /IP 白名单/);
    assert.deepEqual(
      (await events(acct.id)).map((e) => [e.trigger, e.outcome, e.errcode]),
      [["on-demand", "error", 40164]],
    );

    // The administrator whitelists the address and presses "test connection".
    mock.failAlways(acct.appId, TOKEN_PATHS.stable, null);
    const manual = await tokens.refreshTokenNow(acct.id);
    assert.equal(manual.ok, true);
    assert.equal((await tokens.getTokenStatus(acct.id)).state, "valid");
    assert.equal((await getToken(apps[1]!, acct.appId)).status, 200);
    assert.deepEqual(
      (await events(acct.id)).map((e) => [e.trigger, e.outcome]),
      [
        ["on-demand", "error"],
        ["manual", "success"],
      ],
    );
  });

  test("40125 (wrong AppSecret): not retried until the account is saved with the right one", async () => {
    const acct = await addAccount({ storedSecret: newSecret() });
    await assert.rejects(tokens.getAccessToken(acct.id), (err: any) => err.details.errcode === 40125 && /AppSecret/.test(err.details.fix.en));
    await assert.rejects(tokens.getAccessToken(acct.id), (err: any) => err.details.errcode === 40125);
    await sleep(300);
    assert.equal(mock.tokenCalls(acct.appId), 1);
    const status = await tokens.getTokenStatus(acct.id);
    assert.deepEqual([status.state, status.lastError?.errcode, status.lastError?.ip], ["error", 40125, null]);

    // Saving the account lifts the block: the refresher (or the next caller) tries again, once.
    await sql.query(`UPDATE account SET app_secret_enc = $2, updated_at = now() WHERE id = $1`, [
      acct.id,
      encryptSecret(acct.secret, encryptionKey, "account.app_secret", acct.id),
    ]);
    await sql.query("NOTIFY mpdesk_account_changed");
    await eventually(async () => (await tokens.getTokenStatus(acct.id)).state === "valid", { what: "a token after the fix" });
    assert.equal(mock.tokenCalls(acct.appId), 2);
  });

  test("-1 (busy): retried with backoff, then success; every attempt recorded", async () => {
    const acct = await addAccount();
    mock.script(acct.appId, TOKEN_PATHS.stable, { errcode: -1 }, { errcode: -1 });
    const got = await tokens.getAccessToken(acct.id);
    assert.ok(mock.isValid(got.accessToken));
    assert.equal(mock.tokenCalls(acct.appId), 3);
    assert.deepEqual(
      (await events(acct.id)).map((e) => [e.trigger, e.outcome, e.errcode]),
      [
        ["on-demand", "error", -1],
        ["on-demand", "error", -1],
        ["on-demand", "success", null],
      ],
    );
    const status = await tokens.getTokenStatus(acct.id);
    assert.deepEqual([status.state, status.lastError], ["valid", null]);
  });

  test("a timeout or an HTTP error counts as a network failure: backoff, then success", async () => {
    const acct = await addAccount();
    mock.script(acct.appId, TOKEN_PATHS.stable, { delayMs: 1_300 }, { status: 502 });
    const got = await tokens.getAccessToken(acct.id);
    assert.ok(mock.isValid(got.accessToken));
    const recorded = await events(acct.id);
    assert.deepEqual(
      recorded.map((e) => [e.outcome, e.errcode]),
      [
        ["error", null],
        ["error", null],
        ["success", null],
      ],
    );
    assert.match(recorded[0]!.errmsg!, /no answer within 1000 ms/);
    assert.match(recorded[1]!.errmsg!, /HTTP 502/);
  });

  test("45009 (daily quota): stops until the quota resets; a manual refresh still asks", async () => {
    const acct = await addAccount();
    mock.failAlways(acct.appId, TOKEN_PATHS.stable, { errcode: 45009 });
    await assert.rejects(tokens.getAccessToken(acct.id), (err: any) => err.details.errcode === 45009 && /midnight/.test(err.details.fix.en));
    await assert.rejects(tokens.getAccessToken(acct.id), (err: any) => err.details.errcode === 45009);
    await sleep(300);
    assert.equal(mock.tokenCalls(acct.appId), 1, "no retry the same day");
    const status = await tokens.getTokenStatus(acct.id);
    assert.equal(status.state, "error");
    const hoursAway = (status.nextAttemptAt!.getTime() - Date.now()) / 3_600_000;
    assert.ok(hoursAway > 0 && hoursAway <= 24, `next attempt at the next midnight in China (${status.nextAttemptAt?.toISOString()})`);
    assert.equal(status.nextAttemptAt!.getUTCHours(), 16, "00:00 UTC+8");
    const manual = await tokens.refreshTokenNow(acct.id);
    assert.equal(manual.ok, false);
    assert.equal(mock.tokenCalls(acct.appId), 2);
    assert.deepEqual(
      (await events(acct.id)).map((e) => e.trigger),
      ["on-demand", "manual"],
    );
  });
});

describe("per-account endpoint and the console's view", () => {
  test("classic endpoint: each refresh issues a new token, the previous one keeps working for a while", async () => {
    const acct = await addAccount({ endpoint: "classic" });
    assert.equal((await tokens.getTokenStatus(acct.id)).state, "none");
    const first = await tokens.getAccessToken(acct.id);
    const manual = await tokens.refreshTokenNow(acct.id);
    assert.equal(manual.ok, true);
    const second = await tokens.getAccessToken(acct.id);
    assert.notEqual(second.accessToken, first.accessToken);
    assert.ok(mock.isValid(first.accessToken) && mock.isValid(second.accessToken));
    assert.equal(mock.calls(TOKEN_PATHS.classic, acct.appId), 2);
    assert.equal(mock.calls(TOKEN_PATHS.stable, acct.appId), 0);

    const listed = await tokens.listRefreshEvents(acct.id);
    assert.deepEqual(
      listed.map((e) => [e.trigger, e.endpoint, e.outcome]),
      [
        ["manual", "classic", "success"],
        ["on-demand", "classic", "success"],
      ],
    );
    assert.equal(typeof listed[0]!.id, "string");
    assert.ok(listed[0]!.instance.includes(String(process.pid)));
    assert.equal((await tokens.listRefreshEvents(acct.id, { limit: 1 })).length, 1);
    const status = await tokens.getTokenStatus(acct.id);
    assert.equal(status.endpoint, "classic");
    assert.equal(status.state, "valid");
    assert.ok(status.lastRefreshAt && status.expiresAt && status.expiresAt > status.lastRefreshAt);
  });
});

test("no token, AppSecret or API key ever reaches the logs", () => {
  const logs = apps.map((a) => a.logs()).join("\n");
  assert.match(logs, /token\.refreshed/, "the instances did log their refreshes");
  const leaked = [...mock.issuedTokens(), ...secrets, auth.authorization!.slice(7)].filter((s) => logs.includes(s));
  assert.deepEqual(leaked, []);
});
