import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, test } from "node:test";
import pg from "pg";
import { ensureDatabase, startEmbeddedPostgres, type EmbeddedDatabase } from "../../lib/embedded-postgres";
import { newSimAccount } from "../helpers/accounts";
import { startApp, type AppServer } from "../helpers/app-server";
import { openId } from "../helpers/message-catalog";
import { eventually } from "../helpers/eventually";
import { bigMsgId, messageXml, postSigned, signMessage } from "../helpers/wechat-simulator";

// The operator's nightmare: PostgreSQL stops while followers are writing. Every message WeChat
// was told `success` for must be in the database exactly once after it comes back. This file
// runs its own PostgreSQL so it can really stop it.

const account = { ...newSimAccount("safe"), selectByAppId: false };
let dir: string;
let password: string;
let server: EmbeddedDatabase;
let app: AppServer;
let unspoolable: AppServer;

const startServer = (port?: number) => startEmbeddedPostgres({ dataDir: path.join(dir, "pg"), password, preferredPort: port });
const sent: Array<{ fromUser: string; msgId: string }> = [];

async function send(fromUser = openId(), msgId = bigMsgId(), to: AppServer = app) {
  const xml = messageXml({ ToUserName: "gh_x", FromUserName: fromUser, CreateTime: 1714112445, MsgType: "text", Content: "outage", MsgId: msgId });
  const res = await postSigned(to.url, signMessage(account, xml));
  if (res.status === 200) sent.push({ fromUser, msgId });
  return res;
}
const health = async (a: AppServer) => {
  const res = await fetch(a.url + "/api/health");
  return { status: res.status, body: await res.json() };
};

before(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), "mpdesk-outage-"));
  chmodSync(dir, 0o755);
  password = randomBytes(12).toString("hex");
  server = await startServer();
  await ensureDatabase(server.adminUrl, "mpdesk");
  const env = { WECHAT_APPID: account.appId, WECHAT_TOKEN: account.token, WECHAT_ENCODING_AES_KEY: account.encodingAesKey, WECHAT_MESSAGE_MODE: "safe" };
  app = await startApp({ databaseUrl: server.urlFor("mpdesk"), env });
  // A second instance whose spool cannot be written: the only case that may answer 503.
  unspoolable = await startApp({ databaseUrl: server.urlFor("mpdesk"), env: { ...env, MPDESK_SPOOL_DIR: "/dev/null/spool" } });
});

after(async () => {
  await app?.stop();
  await unspoolable?.stop();
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

test("messages arriving while PostgreSQL is down are answered, spooled, and replayed exactly once", async () => {
  for (let i = 0; i < 10; i++) assert.equal((await send()).status, 200);

  // Traffic keeps flowing while the server stops and starts again.
  let stopTraffic = false;
  const failures: string[] = [];
  const traffic = (async () => {
    while (!stopTraffic) {
      const batch = await Promise.all([send(), send(), send()]);
      for (const r of batch) if (r.status !== 200 || r.text !== "success") failures.push(`${r.status} ${r.text}`);
    }
  })();
  // Some messages are stored before the outage begins.
  await eventually(() => sent.length >= 9, { what: "traffic before the outage" });
  const port = server.port;
  await server.stop();

  // A retry of one message during the outage: spooled twice, stored once.
  const retried = { fromUser: openId(), msgId: bigMsgId() };
  const [first, second] = await Promise.all([send(retried.fromUser, retried.msgId), send(retried.fromUser, retried.msgId)]);
  assert.equal(first.status, 200);
  assert.equal(second.status, 200);

  const down = await health(app);
  assert.equal(down.status, 200, "still able to serve callbacks");
  assert.equal(down.body.status, "degraded");
  assert.equal(down.body.database.reachable, false);
  // Anonymous: a generic reason only; the driver's message (host, port, user) is for the log.
  assert.equal(down.body.database.error, "database unreachable");
  assert.doesNotMatch(JSON.stringify(down.body), new RegExp(`127\\.0\\.0\\.1|localhost|ECONNREFUSED|postgres|${port}`));
  assert.ok(down.body.spool.pending >= 2, `spool holds the outage's messages (${down.body.spool.pending})`);

  // With neither the database nor the spool, the answer must be a failure WeChat will retry.
  const lost = await send(openId(), bigMsgId(), unspoolable);
  assert.equal(lost.status, 503);
  assert.equal((await health(unspoolable)).status, 503);

  server = await startServer(port);
  assert.equal(server.port, port);
  // Traffic goes on across the restart: some deliveries after it, then stop.
  const beforeRestart = sent.length;
  await eventually(() => sent.length >= beforeRestart + 15, { timeoutMs: 15_000, what: "traffic after the restart" });
  stopTraffic = true;
  await traffic;
  assert.deepEqual(failures, [], "every delivery during the outage was answered success");

  await eventually(
    async () => {
      const h = await health(app);
      assert.ok(h.body.status === "ok" && h.body.spool.pending === 0, `spool did not drain: ${JSON.stringify(h.body)}`);
    },
    { timeoutMs: 15_000 },
  );

  const sql = new pg.Client({ connectionString: server.urlFor("mpdesk") });
  await sql.connect();
  try {
    const { rows } = await sql.query<{ from_user: string; msg_id: string; n: string }>(
      `SELECT from_user, msg_id, count(*) AS n FROM message GROUP BY from_user, msg_id`,
    );
    const stored = new Map(rows.map((r) => [`${r.from_user}/${r.msg_id}`, Number(r.n)]));
    const expected = new Set(sent.map((s) => `${s.fromUser}/${s.msgId}`));
    assert.ok(expected.size > 20, `traffic was sent during the outage (${expected.size} messages)`);
    for (const key of expected) assert.equal(stored.get(key), 1, `${key} stored exactly once`);
    assert.equal(stored.size, expected.size, "nothing else was stored");
  } finally {
    await sql.end();
  }
});
