import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { createAccount } from "../../lib/accounts/create-account";
import { removeAccount } from "../../lib/accounts/remove-account";
import { PrismaClient } from "../../lib/generated/prisma/client";
import { insertAccount, newSimAccount } from "../helpers/accounts";
import { startApp, TEST_ENCRYPTION_KEY, type AppServer } from "../helpers/app-server";
import { openId } from "../helpers/message-catalog";
import { createTestDatabase } from "../helpers/test-database";
import { bigMsgId, messageXml, postSigned, signMessage, verificationPath } from "../helpers/wechat-simulator";
import { eventually } from "../helpers/eventually";

// Two instances behind one load balancer, one database: WeChat's retries land on either.

let db: Awaited<ReturnType<typeof createTestDatabase>>;
let apps: AppServer[] = [];
const first = { ...newSimAccount("safe"), selectByAppId: false };

before(async () => {
  db = await createTestDatabase();
  const env = { WECHAT_APPID: first.appId, WECHAT_TOKEN: first.token, WECHAT_ENCODING_AES_KEY: first.encodingAesKey, WECHAT_MESSAGE_MODE: "safe" };
  apps = [await startApp({ databaseUrl: db.url, env }), await startApp({ databaseUrl: db.url, env })];
});

after(async () => {
  await Promise.all(apps.map((a) => a.stop()));
  await db?.drop();
});

test("a message delivered to both instances at once, three times each, is stored once", async () => {
  const sql = new pg.Client({ connectionString: db.url });
  await sql.connect();
  try {
    for (let k = 0; k < 10; k++) {
      const fields = { ToUserName: "gh_x", FromUserName: openId(), CreateTime: 1714112445, MsgType: "text", Content: `twice ${k}`, MsgId: bigMsgId() };
      const xml = messageXml(fields);
      const answers = await Promise.all([...apps, ...apps, ...apps].map((a) => postSigned(a.url, signMessage(first, xml))));
      assert.deepEqual(new Set(answers.map((r) => `${r.status} ${r.text}`)), new Set(["200 success"]));
      const { rows } = await sql.query("SELECT count(*)::int AS n FROM message WHERE from_user = $1", [fields.FromUserName]);
      assert.equal(rows[0].n, 1);
    }
  } finally {
    await sql.end();
  }
});

test("an account saved through one database reaches both instances at once (LISTEN/NOTIFY)", async () => {
  const added = newSimAccount("compat");
  await insertAccount(db.url, TEST_ENCRYPTION_KEY, added);
  for (const app of apps) {
    await eventually(async () => (await fetch(app.url + verificationPath(added, "hello"))).status === 200, {
      timeoutMs: 2_000,
      what: `the change reaching ${app.url}`,
    });
  }
});

test("an account created through lib/ is served at its own URL by both instances at once, and its removal too", async () => {
  const prisma = new PrismaClient({ adapter: new PrismaPg({ connectionString: db.url }) });
  const sql = new pg.Client({ connectionString: db.url });
  await sql.connect();
  try {
    const added = { ...newSimAccount("safe"), selectByAppId: false };
    await createAccount(
      prisma,
      { appId: added.appId, token: added.token, encodingAesKey: added.encodingAesKey, messageMode: "safe", accountType: "service", certified: false },
      Buffer.from(TEST_ENCRYPTION_KEY, "base64"),
    );
    const atPath = (path: string) => path.replace("/api/wechat?", `/api/wechat/${added.appId}?`);
    for (const app of apps) {
      await eventually(async () => (await fetch(app.url + atPath(verificationPath(added, "hello")))).status === 200, {
        timeoutMs: 2_000,
        what: `the new account reaching ${app.url}`,
      });
    }
    // A message to the new account's URL, delivered to both instances at once, lands once under it.
    const fields = { ToUserName: "gh_y", FromUserName: openId(), CreateTime: 1714112445, MsgType: "text", Content: "new account", MsgId: bigMsgId() };
    const signed = signMessage(added, messageXml(fields));
    const answers = await Promise.all(apps.map((a) => postSigned(a.url, { ...signed, path: atPath(signed.path) })));
    assert.deepEqual(
      answers.map((r) => `${r.status} ${r.text}`),
      ["200 success", "200 success"],
    );
    const { rows } = await sql.query("SELECT a.app_id FROM message m JOIN account a ON a.id = m.account_id WHERE m.from_user = $1", [fields.FromUserName]);
    assert.deepEqual(rows, [{ app_id: added.appId }]);

    assert.ok(await removeAccount(prisma, added.appId));
    for (const app of apps) {
      await eventually(async () => (await fetch(app.url + atPath(verificationPath(added, "bye")))).status === 404, {
        timeoutMs: 2_000,
        what: `the removal reaching ${app.url}`,
      });
      assert.equal(
        (await postSigned(app.url, signMessage(first, messageXml({ ...fields, FromUserName: openId(), MsgId: bigMsgId() })))).status,
        200,
        "the default account is still served",
      );
    }
  } finally {
    await sql.end();
    await prisma.$disconnect();
  }
});
