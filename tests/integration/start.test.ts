import assert from "node:assert/strict";
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { spawnSync } from "node:child_process";
import { after, test } from "node:test";
import pg from "pg";
import { embeddedDataDir, removeEmbeddedStandIn, runningEmbeddedPostgres } from "../../lib/embedded-postgres";
import { startApp, type AppServer } from "../helpers/app-server";
import { newSimAccount } from "../helpers/accounts";
import { openId } from "../helpers/message-catalog";
import { bigMsgId, messageXml, postSigned, signMessage } from "../helpers/wechat-simulator";

// What a newcomer gets from `npm start` with nothing configured: an embedded PostgreSQL whose
// data survives restarts and which is stopped when mpdesk stops.

const dir = mkdtempSync(path.join(os.tmpdir(), "mpdesk-start-"));
chmodSync(dir, 0o755);
after(() => rmSync(dir, { recursive: true, force: true }));

const postmasterRunning = () => {
  const pidFile = path.join(dir, "postgres", "postmaster.pid");
  if (!existsSync(pidFile)) return false;
  try {
    process.kill(Number(readFileSync(pidFile, "utf8").split("\n")[0]), 0);
    return true;
  } catch {
    return false;
  }
};

/** Rows with this MsgId in the embedded database of a running app, found from its start output. */
async function countMessages(app: AppServer, msgId: string): Promise<number> {
  const port = /embedded PostgreSQL on 127\.0\.0\.1:(\d+)/.exec(app.logs())?.[1];
  assert.ok(port, "the start names the embedded server's port");
  const { EMBEDDED_PG_PASSWORD } = JSON.parse(readFileSync(path.join(app.dataDir, "secrets.json"), "utf8"));
  const client = new pg.Client({ connectionString: `postgresql://postgres:${encodeURIComponent(EMBEDDED_PG_PASSWORD)}@127.0.0.1:${port}/mpdesk` });
  await client.connect();
  try {
    const { rows } = await client.query("SELECT count(*)::int AS n FROM message WHERE msg_id = $1", [msgId]);
    return rows[0].n;
  } finally {
    await client.end();
  }
}

test("no DATABASE_URL: embedded PostgreSQL, data kept across restarts, stopped on exit", async () => {
  const account = { ...newSimAccount("plain"), selectByAppId: false };
  const env = { AUTH_SECRET: "", MPDESK_ENCRYPTION_KEY: "", WECHAT_APPID: account.appId, WECHAT_TOKEN: account.token, ADMIN_PASSWORD: "" };
  const first = await startApp({ dataDir: dir, env });
  assert.ok(postmasterRunning(), "embedded PostgreSQL is running");
  assert.match(first.logs(), /embedded PostgreSQL on 127\.0\.0\.1:\d+/);
  assert.match(first.logs(), /Administrator password \(shown once\): \S{20}/);
  assert.match(first.logs(), /warning: AUTH_SECRET is not set/);
  const fields = { ToUserName: "gh_x", FromUserName: openId(), CreateTime: 1, MsgType: "text", Content: "persist", MsgId: bigMsgId() };
  assert.equal((await postSigned(first.url, signMessage(account, messageXml(fields)))).status, 200);
  await first.stop();
  assert.equal(postmasterRunning(), false, "stopped with the app");

  const second = await startApp({ dataDir: dir, env });
  try {
    assert.doesNotMatch(second.logs(), /shown once/, "the password is printed only on the start that created it");
    // Same generated secrets, same data: the retried message is a duplicate, not a new row.
    const again = await postSigned(second.url, signMessage(account, messageXml(fields)));
    assert.equal(again.status, 200);
    assert.equal(await countMessages(second, fields.MsgId), 1, "the retried message is stored once");
    const health = await (await fetch(second.url + "/api/health")).json();
    assert.equal(health.status, "ok");
    assert.equal(health.accounts, 1);
  } finally {
    await second.stop();
  }
  assert.equal(postmasterRunning(), false);
});

test(
  "as root in a mode-700 folder (a clone under /root): npm start works and says where the data is",
  { skip: process.getuid?.() === 0 ? false : "only root runs PostgreSQL as another user" },
  async () => {
    const home = mkdtempSync(path.join(os.tmpdir(), "mpdesk-home-")); // mode 700, left as it is
    const dataDir = path.join(home, ".mpdesk");
    const account = { ...newSimAccount("plain"), selectByAppId: false };
    const env = { WECHAT_APPID: account.appId, WECHAT_TOKEN: account.token };
    try {
      const first = await startApp({ dataDir, env });
      const fields = { ToUserName: "gh_x", FromUserName: openId(), CreateTime: 1, MsgType: "text", Content: "private", MsgId: bigMsgId() };
      try {
        assert.match(first.logs(), /data in \/var\/lib\/mpdesk\/data\/[0-9a-f]{16}\/postgres\b/);
        assert.ok(first.logs().includes(`cannot enter ${home} (mode 700)`), first.logs());
        assert.equal((await postSigned(first.url, signMessage(account, messageXml(fields)))).status, 200);
      } finally {
        await first.stop();
      }
      assert.equal(await runningEmbeddedPostgres(path.join(dataDir, "postgres")), null, "stopped with the app");
      const second = await startApp({ dataDir, env });
      try {
        assert.ok(second.logs().includes(`cannot enter ${home} (mode 700)`), second.logs());
        assert.equal(await countMessages(second, fields.MsgId), 1, "the data of this checkout survived the restart");
      } finally {
        await second.stop();
      }
      assert.equal(statSync(home).mode & 0o777, 0o700, "the folder's mode is not loosened");
      assert.notEqual(embeddedDataDir(path.join(dataDir, "postgres")), path.join(dataDir, "postgres"));
    } finally {
      removeEmbeddedStandIn(path.join(dataDir, "postgres"));
      rmSync(home, { recursive: true, force: true });
    }
  },
);

test("an invalid setting stops the start with a message naming the variable", () => {
  const result = spawnSync(process.execPath, ["--import", "tsx", "scripts/start.ts"], {
    env: { ...process.env, DATABASE_URL: "mysql://nope", PORT: "99999", MPDESK_DATA_DIR: dir, AUTH_SECRET: "short", MPDESK_ENCRYPTION_KEY: "x" },
    encoding: "utf8",
  });
  assert.equal(result.status, 1);
  assert.match(result.stderr, /DATABASE_URL must be a postgres/);
  assert.match(result.stderr, /PORT /);
  assert.match(result.stderr, /AUTH_SECRET must be at least 32 characters/);
  assert.match(result.stderr, /MPDESK_ENCRYPTION_KEY must be 32 random bytes/);
});
