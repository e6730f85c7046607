import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import pg from "pg";
import { newSimAccount } from "../helpers/accounts";
import { startApp, type AppServer } from "../helpers/app-server";
import { eventually } from "../helpers/eventually";
import { openId } from "../helpers/message-catalog";
import { createTestDatabase } from "../helpers/test-database";
import { bigMsgId, messageXml, postSigned, signMessage } from "../helpers/wechat-simulator";

// The database is up but refuses for a while: a statement timeout behind a lock (57014), a
// read-only server after a failover (25006). WeChat is still told `success`, the message waits
// in the spool, and it is stored exactly once when the condition clears.

const account = { ...newSimAccount("plain"), selectByAppId: false };
let db: Awaited<ReturnType<typeof createTestDatabase>>;
let dbName: string;
let app: AppServer;
let sql: pg.Client;

async function send() {
  const fromUser = openId();
  const xml = messageXml({ ToUserName: "gh_x", FromUserName: fromUser, CreateTime: 1714112445, MsgType: "text", Content: "transient", MsgId: bigMsgId() });
  const started = Date.now();
  const res = await postSigned(app.url, signMessage(account, xml));
  return { ...res, ms: Date.now() - started, fromUser };
}
const storedFor = async (fromUser: string) => Number((await sql.query("SELECT count(*) FROM message WHERE from_user = $1", [fromUser])).rows[0].count);
const spool = async () => (await (await fetch(app.url + "/api/health")).json()).spool as { pending: number; replayRounds: number };
const pending = async () => (await spool()).pending;
/** Stored once, and still once after two more replay passes: a later pass must not store it again. */
async function storedOnceAcrossReplays(fromUser: string) {
  const rounds = (await spool()).replayRounds;
  assert.equal(typeof rounds, "number", "health counts the replay passes");
  await eventually(async () => (await spool()).replayRounds >= rounds + 2, { what: "two more replay passes", timeoutMs: 20_000 });
  assert.equal(await storedFor(fromUser), 1);
}
const noStatementWaitingOnLock = async () =>
  Number((await sql.query(`SELECT count(*) FROM pg_stat_activity WHERE datname = $1 AND wait_event_type = 'Lock'`, [dbName])).rows[0].count) === 0;
/** New sessions pick up database-level settings; the app's pool reconnects on its own. */
const dropAppSessions = () => sql.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()", [dbName]);

before(async () => {
  db = await createTestDatabase();
  dbName = new URL(db.url).pathname.slice(1);
  app = await startApp({
    databaseUrl: db.url,
    env: { WECHAT_APPID: account.appId, WECHAT_TOKEN: account.token, WECHAT_MESSAGE_MODE: "plain", MPDESK_STATEMENT_TIMEOUT_MS: "300" },
  });
  sql = new pg.Client({ connectionString: db.url });
  await sql.connect();
});
after(async () => {
  await sql?.end();
  await app?.stop();
  await db?.drop();
});

test("57014: a statement timeout behind a table lock is answered success, spooled, and stored once later", async () => {
  const locker = new pg.Client({ connectionString: db.url });
  await locker.connect();
  try {
    await locker.query("BEGIN");
    await locker.query("LOCK TABLE message IN ACCESS EXCLUSIVE MODE");
    const res = await send();
    assert.equal(res.status, 200, res.text);
    assert.equal(res.text, "success");
    assert.ok(res.ms < 4_500, `within WeChat's budget (${res.ms} ms)`);
    assert.ok((await pending()) >= 1, "waiting in the spool");
    // The server cancels a statement after its timeout (300 ms here), so nothing of the app's
    // stays queued on the lock, which is held until COMMIT below: without a server-side timeout
    // the statement would wait there past this deadline.
    await eventually(noStatementWaitingOnLock, { what: "no statement left waiting on the lock", timeoutMs: 3_000 });
    await locker.query("COMMIT");
    await eventually(async () => (await storedFor(res.fromUser)) === 1 && (await pending()) === 0, { what: "replayed after the lock", timeoutMs: 20_000 });
    await storedOnceAcrossReplays(res.fromUser);
  } finally {
    await locker.end();
  }
});

test("25006: a read-only database (failover) is answered success, spooled, and stored once when writable again", async () => {
  await sql.query(`ALTER DATABASE ${dbName} SET default_transaction_read_only = on`);
  await dropAppSessions();
  let res;
  try {
    res = await send();
    assert.equal(res.status, 200, res.text);
    assert.equal(res.text, "success");
    assert.ok(res.ms < 4_500, `within WeChat's budget (${res.ms} ms)`);
    assert.equal(await storedFor(res.fromUser), 0);
    assert.ok((await pending()) >= 1);
  } finally {
    await sql.query(`ALTER DATABASE ${dbName} RESET default_transaction_read_only`);
    await dropAppSessions();
  }
  await eventually(async () => (await storedFor(res.fromUser)) === 1 && (await pending()) === 0, { what: "replayed once writable", timeoutMs: 20_000 });
  await storedOnceAcrossReplays(res.fromUser);
});
