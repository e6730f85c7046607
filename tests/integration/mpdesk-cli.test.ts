import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import bcrypt from "bcryptjs";
import pg from "pg";
import { startApp, TEST_ENCRYPTION_KEY, type AppServer } from "../helpers/app-server";
import { startMockWeChatApi, TOKEN_PATHS, wechatErrmsg, type MockWeChatApi } from "../helpers/mock-wechat-api";
import { runMpdesk, type MpdeskRun } from "../helpers/run-mpdesk";
import { createTestDatabase } from "../helpers/test-database";
import { removeEmbeddedStandIn } from "../../lib/embedded-postgres";
import { eventually } from "../helpers/eventually";
import { generateEncodingAesKey } from "../../lib/wechat/crypto";
import { computeSignature } from "../../lib/wechat/signature";

// `npm run mpdesk -- …` as an operator or a deployment script runs it: a separate process on the
// app's database, next to a running instance.

let db: Awaited<ReturnType<typeof createTestDatabase>>;
let mock: MockWeChatApi;
let app: AppServer;
let sql: pg.Client;
const account = { appId: `wx${randomBytes(8).toString("hex")}`, secret: randomBytes(16).toString("hex") };

type Run = MpdeskRun;

const mpdesk = (args: string[], opts: { env?: Record<string, string | undefined>; input?: string } = {}): Promise<Run> =>
  runMpdesk(args, { databaseUrl: db.url, env: { WECHAT_API_BASE: mock.url, ...opts.env }, input: opts.input });

/** The CLI in a terminal of its own (a pseudo-terminal by script(1)), answering `answer` once `prompt` shows. */
function mpdeskInTerminal(args: string[], prompt: RegExp, answer: string): Promise<Run> {
  return new Promise((resolve) => {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      DATABASE_URL: db.url,
      MPDESK_ENCRYPTION_KEY: TEST_ENCRYPTION_KEY,
      AUTH_SECRET: randomBytes(32).toString("base64"),
    };
    const command = [process.execPath, "--import", "tsx", "scripts/mpdesk.ts", ...args].join(" ");
    const child = spawn("script", ["-qefc", command, "/dev/null"], { env, stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let answered = false;
    child.stdout.on("data", (d) => {
      stdout += d;
      if (!answered && prompt.test(stdout)) {
        answered = true;
        child.stdin.write(`${answer}\r`);
      }
    });
    child.on("exit", (code) => resolve({ code, stdout, stderr: "" }));
  });
}

const lastLine = (s: string) => s.trimEnd().split("\n").at(-1)!;
const getToken = (key: string, base = app.url) => fetch(`${base}/api/token`, { headers: { authorization: `Bearer ${key}` } });

before(async () => {
  mock = await startMockWeChatApi();
  mock.addApp(account);
  db = await createTestDatabase();
  sql = new pg.Client({ connectionString: db.url });
  await sql.connect();
  app = await startApp({
    databaseUrl: db.url,
    env: { WECHAT_API_BASE: mock.url, WECHAT_APPID: account.appId, WECHAT_APPSECRET: account.secret, WECHAT_TOKEN: "tok3n" },
  });
});

after(async () => {
  await app?.stop();
  await sql?.end();
  await mock?.close();
  await db?.drop();
});

describe("api-key", () => {
  test("create prints the key as the last line; list shows a prefix; revoke shuts it out", async () => {
    const created = await mpdesk(["api-key", "create", "--name", "billing"]);
    assert.equal(created.code, 0, created.stderr);
    const key = lastLine(created.stdout);
    assert.match(key, /^mpd_[A-Za-z0-9_-]{43}$/);
    const res = await getToken(key);
    assert.equal(res.status, 200);
    assert.ok((await res.json()).access_token);

    const duplicate = await mpdesk(["api-key", "create", "--name", "billing"]);
    assert.equal(duplicate.code, 1);
    assert.match(duplicate.stderr, /already|exists/);

    const listed = await mpdesk(["api-key", "list"]);
    assert.equal(listed.code, 0, listed.stderr);
    assert.match(listed.stdout, /billing\s+mpd_\S{8}…\s+token:read\s/, "no --scope: token:read, as every key before scopes");
    assert.match(listed.stdout, /active/);
    assert.ok(!listed.stdout.includes(key), "the key itself is never shown again");

    const revoked = await mpdesk(["api-key", "revoke", "--name", "billing"]);
    assert.equal(revoked.code, 0, revoked.stderr);
    await eventually(async () => (await getToken(key)).status === 401, { timeoutMs: 6_000, what: "the running instance refusing a revoked key" });
    assert.match((await mpdesk(["api-key", "list"])).stdout, /billing.*revoked/);
    assert.equal((await mpdesk(["api-key", "revoke", "--name", "billing"])).code, 1, "nothing left to revoke");
  });

  test("a missing name or an unknown command is a usage error", async () => {
    const [missing, unknown] = await Promise.all([mpdesk(["api-key", "create"]), mpdesk(["tokens", "shw"])]);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /--name/);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /Usage/);
  });
});

describe("token", () => {
  test("refresh asks WeChat by hand; show reports status and expiry with the token masked", async () => {
    const before = mock.tokenCalls(account.appId);
    const refreshed = await mpdesk(["token", "refresh"]);
    assert.equal(refreshed.code, 0, refreshed.stderr);
    assert.match(refreshed.stdout, new RegExp(`${account.appId}: new access_token stored, expires at`));
    assert.equal(mock.tokenCalls(account.appId), before + 1);
    const { rows } = await sql.query(`SELECT trigger, outcome FROM token_refresh_event ORDER BY id DESC LIMIT 1`);
    assert.deepEqual(rows[0], { trigger: "manual", outcome: "success" });

    const shown = await mpdesk(["token", "show"]);
    assert.equal(shown.code, 0, shown.stderr);
    assert.match(shown.stdout, /state\s+valid/);
    assert.match(shown.stdout, /endpoint\s+stable/);
    assert.match(shown.stdout, /expires at\s+\S+Z \(in 1 h 59 min|expires at\s+\S+Z \(in 2 h/);
    const masked = /token\s+••••(\S{4})/.exec(shown.stdout);
    assert.ok(masked, shown.stdout);
    const live = mock.issuedTokens().filter((t) => mock.isValid(t) && t.endsWith(masked[1]!));
    assert.equal(live.length, 1, "the mask shows the last characters of the current token");
    assert.ok(!shown.stdout.includes(live[0]!), "and nothing more");
  });

  test("refresh reports a configuration error with its fix and exits 1", async () => {
    mock.script(account.appId, TOKEN_PATHS.stable, { errcode: 40164, errmsg: wechatErrmsg(40164, { ip: "198.51.100.23" }) });
    const refreshed = await mpdesk(["token", "refresh", "--account", account.appId]);
    assert.equal(refreshed.code, 1);
    assert.match(refreshed.stderr, /40164/);
    assert.match(refreshed.stderr, /Add 198\.51\.100\.23 to the IP whitelist/);
    const shown = await mpdesk(["token", "show"]);
    assert.match(shown.stdout, /state\s+error/);
    assert.match(shown.stdout, /fix\s+Add 198\.51\.100\.23/);
    assert.equal((await mpdesk(["token", "refresh"])).code, 0, "fixed: the next manual refresh succeeds");
  });

  test("an unknown AppID is refused", async () => {
    const r = await mpdesk(["token", "show", "--account", "wx0000000000000000"]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /No account with AppID/);
  });
});

// After the token tests, which read the age of the token the app fetched at start.
describe("api-key scopes", () => {
  test("--scope: messages:send keys send and fetch no token, both scopes do both; an unknown scope is a usage error naming it", async () => {
    const created = await mpdesk(["api-key", "create", "--name", "crm-sender", "--scope", "messages:send", "--account", account.appId]);
    assert.equal(created.code, 0, created.stderr);
    assert.match(created.stdout, new RegExp(`\\(messages:send\\) for account ${account.appId}`));
    const sender = lastLine(created.stdout);
    const token = await getToken(sender);
    assert.equal(token.status, 403);
    assert.equal((await token.json()).error, "insufficient_scope");
    // Past the key and its scope: this account is an uncertified 订阅号, which has no customer-service API.
    const sent = await fetch(`${app.url}/api/messages`, {
      method: "POST",
      headers: { authorization: `Bearer ${sender}`, "content-type": "application/json" },
      body: JSON.stringify({ touser: "oFollower", msgtype: "text", text: { content: "hi" } }),
    });
    assert.equal(sent.status, 403);
    assert.equal((await sent.json()).error, "not_capable");

    const both = await mpdesk(["api-key", "create", "--name", "crm-both", "--scope", "messages:send", "--scope", "token:read"]);
    assert.equal(both.code, 0, both.stderr);
    assert.equal((await getToken(lastLine(both.stdout))).status, 200);

    const listed = await mpdesk(["api-key", "list"]);
    assert.match(listed.stdout, /SCOPES/);
    assert.match(listed.stdout, new RegExp(`crm-sender\\s+mpd_\\S{8}…\\s+messages:send\\s+${account.appId}\\s`));
    assert.match(listed.stdout, /crm-both\s+mpd_\S{8}…\s+token:read,messages:send\s+all\s/);

    const unknown = await mpdesk(["api-key", "create", "--name", "typo", "--scope", "messages:write"]);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /Unknown scope "messages:write"/);
    assert.match(unknown.stderr, /Usage/);
    assert.doesNotMatch((await mpdesk(["api-key", "list"])).stdout, /typo/, "nothing created");
  });
});

describe("account", () => {
  const second = { appId: `wx${randomBytes(8).toString("hex")}`, secret: randomBytes(16).toString("hex"), token: "s3condToken" };
  const aesKey = generateEncodingAesKey();
  const verify = (appId: string, token: string) => {
    const timestamp = String(Math.floor(Date.now() / 1000));
    const q = new URLSearchParams({ signature: computeSignature(token, timestamp, "7"), timestamp, nonce: "7", echostr: "hi" });
    return fetch(`${app.url}/api/wechat/${appId}?${q}`);
  };
  const create = (...extra: string[]) => mpdesk(["account", "create", "--appid", second.appId, "--secret", second.secret, "--token", second.token, ...extra]);

  test("create validates as the console does, naming the flag; prints the callback path last; the running app serves it at once", async () => {
    const refused = await Promise.all([
      mpdesk(["account", "create", "--appid", "wxNOTHEX", "--secret", second.secret, "--token", second.token]),
      create("--mode", "safe"),
      create("--mode", "secret"),
      create("--aes-key", "short", "--mode", "compat"),
      create("--type", "enterprise"),
      mpdesk(["account", "create", "--appid", second.appId, "--token", second.token]),
    ]);
    assert.deepEqual(
      refused.map((r) => r.code),
      [1, 1, 1, 1, 1, 2],
    );
    assert.match(refused[0]!.stderr, /^--appid: AppID is/m);
    assert.match(refused[1]!.stderr, /^--aes-key: Compatible and safe modes need the EncodingAESKey/m);
    assert.match(refused[2]!.stderr, /^--mode:/m);
    assert.match(refused[3]!.stderr, /^--aes-key: EncodingAESKey is exactly 43/m);
    assert.match(refused[4]!.stderr, /^--type:/m);
    assert.match(refused[5]!.stderr, /needs --secret/);
    assert.equal((await sql.query(`SELECT count(*)::int AS n FROM account WHERE app_id = $1`, [second.appId])).rows[0].n, 0, "nothing created");

    mock.addApp(second);
    const created = await create("--aes-key", aesKey, "--mode", "safe", "--name", "客服号", "--type", "service", "--certified");
    assert.equal(created.code, 0, created.stderr);
    assert.equal(lastLine(created.stdout), `/api/wechat/${second.appId}`);
    const { rows } = await sql.query(`SELECT display_name, message_mode, account_type, certified, app_secret_enc FROM account WHERE app_id = $1`, [
      second.appId,
    ]);
    assert.deepEqual(
      { ...rows[0], app_secret_enc: undefined },
      { display_name: "客服号", message_mode: "safe", account_type: "service", certified: true, app_secret_enc: undefined },
    );
    assert.ok(!rows[0].app_secret_enc.includes(second.secret), "the AppSecret is stored encrypted");
    await eventually(async () => (await verify(second.appId, second.token)).status === 200, { timeoutMs: 2_000, what: "the new account reaching the app" });
    assert.equal((await verify(second.appId, "tok3n")).status, 401, "with its own Token only");

    const again = await create("--aes-key", aesKey, "--mode", "safe");
    assert.equal(again.code, 1);
    assert.match(again.stderr, /--appid: An account with AppID .* exists/);
  });

  test("list shows each account, its messages and which is the default", async () => {
    const listed = await mpdesk(["account", "list"]);
    assert.equal(listed.code, 0, listed.stderr);
    const lines = listed.stdout.trimEnd().split("\n");
    assert.match(lines[0]!, /^APPID\s+NAME\s+TYPE\s+CERTIFIED\s+MODE\s+MESSAGES\s+CREATED\s+CALLBACK$/);
    assert.match(
      lines[1]!,
      new RegExp(`^${account.appId}\\s+-\\s+subscription\\s+no\\s+plain\\s+\\d+\\s+\\S+Z\\s+/api/wechat/${account.appId}, default at /api/wechat$`),
    );
    assert.match(lines[2]!, new RegExp(`^${second.appId}\\s+客服号\\s+service\\s+yes\\s+safe\\s+0\\s+\\S+Z\\s+/api/wechat/${second.appId}$`));
  });

  test("remove names what is deleted, refuses without --yes when stdin is not a terminal, and leaves the other account served", async () => {
    const key = lastLine((await mpdesk(["api-key", "create", "--name", "both"])).stdout);
    const tokenFor = async (appId: string) => (await fetch(`${app.url}/api/token?account=${appId}`, { headers: { authorization: `Bearer ${key}` } })).status;
    assert.equal(await tokenFor(second.appId), 200);
    assert.equal(await tokenFor(account.appId), 200);
    // Each with its own AppSecret, token row and token.
    assert.equal(mock.tokenCalls(second.appId), 1);
    const rows = (await sql.query(`SELECT a.app_id, t.token_enc FROM access_token t JOIN account a ON a.id = t.account_id ORDER BY a.created_at`)).rows;
    assert.deepEqual(
      rows.map((r) => r.app_id),
      [account.appId, second.appId],
    );
    assert.notEqual(rows[0].token_enc, rows[1].token_enc);

    const refused = await mpdesk(["account", "remove", "--appid", second.appId], { input: "y\n" });
    assert.equal(refused.code, 1);
    assert.match(refused.stdout, /messages\s+0/);
    assert.match(refused.stdout, /access_token\s+yes/);
    assert.match(refused.stderr, /Pass --yes/);
    assert.equal((await sql.query(`SELECT count(*)::int AS n FROM account WHERE app_id = $1`, [second.appId])).rows[0].n, 1, "not removed");
    assert.equal((await mpdesk(["account", "remove"])).code, 2, "--appid is required");
    assert.equal((await mpdesk(["account", "remove", "--appid", "wx0000000000000000", "--yes"])).code, 1);

    const declined = await mpdeskInTerminal(["account", "remove", "--appid", second.appId], /to confirm/, "y");
    assert.equal(declined.code, 1, declined.stdout);
    assert.match(declined.stdout, /Not removed/);
    assert.equal((await sql.query(`SELECT count(*)::int AS n FROM account WHERE app_id = $1`, [second.appId])).rows[0].n, 1, "only the AppID confirms");

    const removed = await mpdesk(["account", "remove", "--appid", second.appId, "--yes"]);
    assert.equal(removed.code, 0, removed.stderr);
    assert.match(removed.stdout, new RegExp(`Removed ${second.appId}`));
    await eventually(async () => (await verify(second.appId, second.token)).status === 404, { timeoutMs: 2_000, what: "the removal reaching the app" });
    assert.equal(await tokenFor(second.appId), 404);
    // The first account: its token still served, its callback still answering.
    assert.equal(await tokenFor(account.appId), 200);
    assert.equal((await verify(account.appId, "tok3n")).status, 200);
    assert.doesNotMatch((await mpdesk(["account", "list"])).stdout, new RegExp(second.appId));
  });

  test("remove in a terminal removes once the AppID is typed", async () => {
    const third = `wx${randomBytes(8).toString("hex")}`;
    const created = await mpdesk(["account", "create", "--appid", third, "--secret", randomBytes(16).toString("hex"), "--token", "th1rd"]);
    assert.equal(lastLine(created.stdout), `/api/wechat/${third}`, created.stderr);
    const removed = await mpdeskInTerminal(["account", "remove", "--appid", third], /to confirm/, third);
    assert.equal(removed.code, 0, removed.stdout);
    assert.match(removed.stdout, new RegExp(`Removed ${third}`));
    assert.equal((await sql.query(`SELECT count(*)::int AS n FROM account WHERE app_id = $1`, [third])).rows[0].n, 0);
  });
});

describe("user create", () => {
  test("with --password, from stdin, and refusing a duplicate", async () => {
    const [created, piped] = await Promise.all([
      mpdesk(["user", "create", "--email", "Ops@Example.com", "--password", "a long password", "--role", "admin"]),
      mpdesk(["user", "create", "--email", "viewer@example.com"], { input: "piped password\n" }),
    ]);
    assert.equal(created.code, 0, created.stderr);
    assert.equal(piped.code, 0, piped.stderr);
    const { rows } = await sql.query(`SELECT email, role, password_hash FROM "user" WHERE email IN ('ops@example.com', 'viewer@example.com') ORDER BY email`);
    assert.deepEqual(
      rows.map((r) => [r.email, r.role]),
      [
        ["ops@example.com", "admin"],
        ["viewer@example.com", "viewer"],
      ],
    );
    assert.ok(await bcrypt.compare("a long password", rows[0].password_hash));
    assert.ok(await bcrypt.compare("piped password", rows[1].password_hash));

    const refused = await Promise.all([
      mpdesk(["user", "create", "--email", "ops@example.com", "--password", "another password"]), // exists
      mpdesk(["user", "create", "--email", "short@example.com", "--password", "short"]),
      mpdesk(["user", "create", "--email", "not-an-address", "--password", "a long password"]),
      mpdesk(["user", "create", "--email", "x@example.com", "--password", "a long password", "--role", "root"]),
    ]);
    assert.deepEqual(
      refused.map((r) => r.code),
      [1, 1, 2, 2],
    );
    assert.match(refused[0]!.stderr, /already exists/);
  });
});

test("next to `npm start` on the embedded PostgreSQL, the CLI uses the running server", async () => {
  // Mode 700, like a checkout under /root: as root, the data is kept where the `postgres` user can reach it.
  const dir = mkdtempSync(path.join(os.tmpdir(), "mpdesk-cli-"));
  const dataDir = path.join(dir, "data");
  let embeddedApp: AppServer | undefined;
  try {
    embeddedApp = await startApp({ databaseUrl: "", env: { MPDESK_DATA_DIR: dataDir, WECHAT_API_BASE: mock.url } });
    const env = { DATABASE_URL: undefined, MPDESK_DATA_DIR: dataDir };
    const created = await mpdesk(["api-key", "create", "--name", "local"], { env });
    assert.equal(created.code, 0, created.stderr);
    // The key is in the app's database, and the app's database is still up after the CLI exited.
    const res = await getToken(lastLine(created.stdout), embeddedApp.url);
    assert.equal(res.status, 404, "authorised (404: this fresh install has no account yet)");
    assert.equal((await res.json()).error, "no_account_configured");
    assert.equal((await fetch(`${embeddedApp.url}/api/health`)).status, 200);
  } finally {
    await embeddedApp?.stop();
    removeEmbeddedStandIn(path.join(dataDir, "postgres"));
    rmSync(dir, { recursive: true, force: true });
  }
});
