import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import pg from "pg";
import { createPool } from "../../lib/db";
import { normalizeInbound } from "../../lib/messages/inbound-row";
import { createReplyRules } from "../../lib/replies/reply-rules-directory";
import { claimCooldown, pruneReplyCooldowns } from "../../lib/replies/rule-queries";
import { decryptMessage, parseEncodingAesKey } from "../../lib/wechat/crypto";
import { computeSignature } from "../../lib/wechat/signature";
import { parseWeChatXml } from "../../lib/wechat/xml";
import { insertAccount, newSimAccount } from "../helpers/accounts";
import { startApp, TEST_ENCRYPTION_KEY, type AppServer } from "../helpers/app-server";
import { eventually } from "../helpers/eventually";
import { openId } from "../helpers/message-catalog";
import { runMpdesk } from "../helpers/run-mpdesk";
import { createTestDatabase } from "../helpers/test-database";
import { bigMsgId, messageXml, postSigned, signMessage, type SimAccount } from "../helpers/wechat-simulator";

// Reply rules end to end: imported with the CLI into a running app's database, then answered by
// the app's callback over HTTP to requests signed as WeChat signs them.

let db: Awaited<ReturnType<typeof createTestDatabase>>;
let app: AppServer;
let dir: string;
const main = { ...newSimAccount("plain"), selectByAppId: false }; // the default account, at /api/wechat
const safe = newSimAccount("safe");
const other = newSimAccount("compat");

const RULES = {
  version: 1,
  rules: [
    { name: "welcome", trigger: "welcome", replies: [{ type: "text", content: "欢迎关注！" }] },
    {
      name: "price",
      trigger: "keyword",
      priority: 10,
      keywords: [
        { match: "equal", pattern: "价格" },
        { match: "equal", pattern: "PRICE" },
      ],
      replies: [{ type: "text", content: "99 元" }],
    },
    {
      name: "refund",
      trigger: "keyword",
      priority: 20,
      keywords: [{ match: "contain", pattern: "退款" }],
      replies: [{ type: "text", content: "退款请点菜单" }],
    },
    {
      name: "order",
      trigger: "keyword",
      priority: 30,
      keywords: [{ match: "regex", pattern: "^order\\s*#?\\d{4,}$" }],
      replies: [{ type: "image", mediaId: "MEDIA_ORDER" }],
    },
    {
      name: "lucky",
      trigger: "keyword",
      priority: 40,
      replyMode: "random",
      keywords: [{ match: "equal", pattern: "lucky" }],
      replies: [1, 2, 3, 4, 5].map((i) => ({ type: "text", content: `lucky ${i}` })),
    },
    {
      name: "menu today",
      trigger: "click",
      eventKey: "V1001_TODAY",
      replies: [{ type: "news", article: { title: "今日", url: "https://example.com/today" } }],
    },
    { name: "poster", trigger: "scan", eventKey: "poster42", replies: [{ type: "text", content: "扫码来的" }] },
    { name: "default", trigger: "default", replies: [{ type: "text", content: "已收到，稍后回复" }] },
  ],
};

function writeJson(name: string, value: unknown): string {
  const file = path.join(dir, name);
  writeFileSync(file, JSON.stringify(value));
  return file;
}

async function send(account: SimAccount, fields: Record<string, unknown>) {
  const req = signMessage(account, messageXml({ ToUserName: "gh_rules", CreateTime: Math.floor(Date.now() / 1000), ...fields }));
  if (account.selectByAppId) req.path = req.path.replace("/api/wechat?", `/api/wechat/${account.appId}?`);
  const res = await postSigned(app.url, req);
  assert.equal(res.status, 200, res.text);
  return { ...res, req };
}

/** The reply's XML fields, or "success". */
async function reply(account: SimAccount, fields: Record<string, unknown>) {
  const res = await send(account, fields);
  return res.text === "success" ? "success" : parseWeChatXml(res.text);
}

const textFrom = (from: string, content: string) => ({ FromUserName: from, MsgType: "text", Content: content, MsgId: bigMsgId() });
const contentOf = (r: Awaited<ReturnType<typeof reply>>) => (r === "success" ? r : r.MsgType === "text" ? r.Content : `${r.MsgType}`);

before(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), "mpdesk-rules-"));
  db = await createTestDatabase();
  app = await startApp({
    databaseUrl: db.url,
    env: { WECHAT_APPID: main.appId, WECHAT_TOKEN: main.token, WECHAT_ENCODING_AES_KEY: main.encodingAesKey, WECHAT_MESSAGE_MODE: "plain" },
  });
  await insertAccount(db.url, TEST_ENCRYPTION_KEY, safe);
  await insertAccount(db.url, TEST_ENCRYPTION_KEY, other);
  const imported = await runMpdesk(["rules", "import", writeJson("rules.json", RULES)], { databaseUrl: db.url });
  assert.equal(imported.code, 0, imported.stderr);
  assert.match(imported.stdout, new RegExp(`${main.appId}: 8 rules imported: 8 created, 0 updated, 0 deleted`));
});

after(async () => {
  await app?.stop();
  await db?.drop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("rules answer in the callback", () => {
  test("a subscribe gets the welcome; through a parametric QR code, the scene's scan rule", async () => {
    const welcome = await eventually(
      async () => {
        const r = await reply(main, { FromUserName: openId(), MsgType: "event", Event: "subscribe", EventKey: "" });
        assert.equal(contentOf(r), "欢迎关注！");
        return r;
      },
      { timeoutMs: 10_000, what: "the imported rules reaching the app" },
    );
    assert.equal(typeof welcome !== "string" && welcome.MsgType, "text");
    assert.equal(
      contentOf(await reply(main, { FromUserName: openId(), MsgType: "event", Event: "subscribe", EventKey: "qrscene_poster42", Ticket: "T" })),
      "扫码来的",
    );
    assert.equal(
      contentOf(await reply(main, { FromUserName: openId(), MsgType: "event", Event: "subscribe", EventKey: "qrscene_elsewhere", Ticket: "T" })),
      "欢迎关注！",
    );
    assert.equal(contentOf(await reply(main, { FromUserName: openId(), MsgType: "event", Event: "SCAN", EventKey: "poster42", Ticket: "T" })), "扫码来的");
  });

  test("keywords: equal (any width and case), contain, regex", async () => {
    const who = openId();
    assert.equal(contentOf(await reply(main, textFrom(who, " 价格 "))), "99 元");
    assert.equal(contentOf(await reply(main, textFrom(who, "ｐｒｉｃｅ"))), "99 元");
    assert.equal(contentOf(await reply(main, textFrom(who, "我要退款可以吗"))), "退款请点菜单");
    const image = await reply(main, textFrom(who, "ORDER #20261202"));
    assert.ok(image !== "success");
    assert.equal(image.MsgType, "image");
    assert.deepEqual({ ...(image.Image as object) }, { MediaId: "MEDIA_ORDER" });
    assert.equal(image.ToUserName, who);
    assert.equal(image.FromUserName, "gh_rules");
  });

  test("a CLICK gets its click rule; another key, nothing", async () => {
    const news = await reply(main, { FromUserName: openId(), MsgType: "event", Event: "CLICK", EventKey: "V1001_TODAY" });
    assert.ok(news !== "success");
    assert.equal(news.MsgType, "news");
    assert.equal(news.ArticleCount, "1");
    assert.equal(await reply(main, { FromUserName: openId(), MsgType: "event", Event: "CLICK", EventKey: "V1001_OTHER" }), "success");
  });

  test("an unmatched text gets the default reply once, then success within the cooldown; a retry gets the same reply", async () => {
    const who = openId();
    const first = await send(main, textFrom(who, "在吗"));
    assert.equal(contentOf(parseWeChatXml(first.text)), "已收到，稍后回复");
    // WeChat retries the same request when our answer is slow: it gets the same reply, not "success".
    const retried = await postSigned(app.url, first.req);
    assert.equal(retried.text, first.text);
    assert.equal(await reply(main, textFrom(who, "还在吗")), "success");
    assert.equal(await reply(main, textFrom(who, "喂")), "success");
    // Another follower has a cooldown of their own.
    assert.equal(contentOf(await reply(main, textFrom(openId(), "在吗"))), "已收到，稍后回复");
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    try {
      const { rows } = await client.query(`SELECT count(*)::int AS n FROM reply_cooldown WHERE follower = $1`, [who]);
      assert.equal(rows[0].n, 1);
    } finally {
      await client.end();
    }
  });

  test("random: a retried message gets the reply its first delivery got", async () => {
    const seen = new Set<string>();
    for (let i = 0; i < 12; i++) {
      const first = await send(main, textFrom(openId(), "lucky"));
      seen.add(String(contentOf(parseWeChatXml(first.text))));
      assert.equal((await postSigned(app.url, first.req)).text, first.text);
    }
    assert.ok(seen.size > 1, `always ${[...seen].join()}`);
  });

  test("in safe mode the reply is encrypted and signed, for the account at its own URL", async () => {
    const imported = await runMpdesk(["rules", "import", writeJson("safe.json", RULES), "--account", safe.appId], { databaseUrl: db.url });
    assert.equal(imported.code, 0, imported.stderr);
    const res = await eventually(async () => {
      const r = await send(safe, textFrom(openId(), "价格"));
      assert.notEqual(r.text, "success");
      return r;
    });
    const env = parseWeChatXml(res.text);
    assert.ok(!res.text.includes("99 元"), "no plaintext in the answer");
    assert.equal(env.Nonce, res.req.nonce);
    assert.equal(env.MsgSignature, computeSignature(safe.token, String(env.TimeStamp), res.req.nonce, String(env.Encrypt)));
    const inner = parseWeChatXml(decryptMessage(String(env.Encrypt), [parseEncodingAesKey(safe.encodingAesKey)], safe.appId).plaintext);
    assert.equal(inner.Content, "99 元");
    // The other accounts keep their own rules: none imported for this one.
    assert.equal(await reply(other, textFrom(openId(), "价格")), "success");
  });

  test("a changed rule reaches the running app at once (NOTIFY), and rules left out of the file are deleted", async () => {
    const changed = {
      ...RULES,
      rules: RULES.rules.filter((r) => r.name !== "refund").map((r) => (r.name === "price" ? { ...r, replies: [{ type: "text", content: "88 元" }] } : r)),
    };
    const imported = await runMpdesk(["rules", "import", writeJson("changed.json", changed)], { databaseUrl: db.url });
    assert.equal(imported.code, 0, imported.stderr);
    assert.match(imported.stdout, /0 created, 7 updated, 1 deleted/);
    // Well inside the 30-second periodic reload: only the notification can make this in time.
    await eventually(async () => assert.equal(contentOf(await reply(main, textFrom(openId(), "价格"))), "88 元"), { timeoutMs: 5_000 });
    assert.equal(contentOf(await reply(main, textFrom(openId(), "退款"))), "已收到，稍后回复");
  });
});

describe("rules export and import", () => {
  test("export → import into another account → export gives the same rules", async () => {
    const exported = await runMpdesk(["rules", "export"], { databaseUrl: db.url });
    assert.equal(exported.code, 0, exported.stderr);
    const doc = JSON.parse(exported.stdout);
    assert.equal(doc.version, 1);
    assert.equal(doc.account, main.appId);
    assert.equal(doc.timeZone, "Asia/Shanghai");
    assert.equal(doc.rules.length, 7);
    const withWindow = {
      ...doc,
      timeZone: "Europe/Paris",
      rules: [
        ...doc.rules,
        {
          name: "night",
          trigger: "default",
          priority: 5,
          window: { start: "18:00", end: "09:00" },
          cooldownSeconds: 600,
          replies: [{ type: "voice", mediaId: "V" }],
        },
      ],
    };
    const into = await runMpdesk(["rules", "import", writeJson("copy.json", withWindow), "--account", other.appId], { databaseUrl: db.url });
    assert.equal(into.code, 0, into.stderr);
    assert.match(into.stdout, new RegExp(`exported from ${main.appId}`));
    const back = await runMpdesk(["rules", "export", "--account", other.appId], { databaseUrl: db.url });
    assert.equal(back.code, 0, back.stderr);
    const copy = JSON.parse(back.stdout);
    assert.equal(copy.account, other.appId);
    assert.equal(copy.timeZone, "Europe/Paris");
    const expected = [...withWindow.rules].sort((a, b) => a.priority - b.priority || (a.name < b.name ? -1 : 1));
    assert.deepEqual(
      copy.rules.map((r: { name: string }) => r.name),
      expected.map((r) => r.name),
    );
    assert.deepEqual(
      copy.rules.find((r: { name: string }) => r.name === "night"),
      {
        name: "night",
        trigger: "default",
        keywords: [],
        eventKey: null,
        enabled: true,
        priority: 5,
        window: { start: "18:00", end: "09:00" },
        replyMode: "one",
        cooldownSeconds: 600,
        replies: [{ type: "voice", mediaId: "V" }],
      },
    );
    assert.deepEqual(
      copy.rules.filter((r: { name: string }) => r.name !== "night"),
      doc.rules,
    );
  });

  test("a bad file names the field and imports nothing; an unknown AppID is named", async () => {
    const bad = {
      version: 1,
      rules: [
        RULES.rules[0],
        RULES.rules[1],
        { name: "rx", trigger: "keyword", keywords: [{ match: "regex", pattern: "(?<=a)b" }], replies: [{ type: "text", content: "x" }] },
        { name: "x", trigger: "click", replies: [] },
      ],
    };
    const refused = await runMpdesk(["rules", "import", writeJson("bad.json", bad), "--account", other.appId], { databaseUrl: db.url });
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /^rules\[2\]\.keywords\[0\]\.pattern: not a valid RE2 regex: .+$/m);
    assert.match(refused.stderr, /^rules\[3\]\.eventKey: /m);
    assert.match(refused.stderr, /^rules\[3\]\.replies: /m);
    const still = JSON.parse((await runMpdesk(["rules", "export", "--account", other.appId], { databaseUrl: db.url })).stdout);
    assert.equal(still.rules.length, 8, "nothing imported");

    const broken = path.join(dir, "broken.json");
    writeFileSync(broken, "{ not json");
    const notJson = await runMpdesk(["rules", "import", broken], { databaseUrl: db.url });
    assert.equal(notJson.code, 1);
    assert.match(notJson.stderr, /broken\.json: not JSON: /);
    const nobody = await runMpdesk(["rules", "import", writeJson("fine.json", RULES), "--account", "wxnobody"], { databaseUrl: db.url });
    assert.equal(nobody.code, 1);
    assert.match(nobody.stderr, /No account with AppID wxnobody/);
    const unknown = await runMpdesk(["rules", "export", "--account", "wxnobody"], { databaseUrl: db.url });
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /wxnobody/);
    assert.equal(unknown.stdout, "");
  });
});

describe("the engine in process, on the same database", () => {
  const row = (from: string, content: string, msgId = bigMsgId()) =>
    normalizeInbound(
      parseWeChatXml(messageXml({ ToUserName: "gh", FromUserName: from, CreateTime: 1, MsgType: "text", Content: content, MsgId: msgId })),
      "<xml/>",
      "",
      false,
      new Date(),
    );

  test("the cooldown claim: a retry of the firing message is the same decision and does not move the clock", async () => {
    const pool = createPool(db.url, 2);
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    try {
      const { rows } = await client.query(
        `SELECT r.id, r.account_id FROM reply_rule r JOIN account a ON a.id = r.account_id WHERE a.app_id = $1 AND r.name = 'default'`,
        [main.appId],
      );
      const base = { accountId: rows[0].account_id, ruleId: rows[0].id, follower: openId(), cooldownS: 3600 };
      const t0 = new Date("2026-12-02T00:00:00Z");
      assert.equal(await claimCooldown(pool, { ...base, dedupeKey: "m1", at: t0 }), true);
      assert.equal(await claimCooldown(pool, { ...base, dedupeKey: "m1", at: new Date(t0.getTime() + 60_000) }), true, "the retry");
      assert.equal(await claimCooldown(pool, { ...base, dedupeKey: "m2", at: new Date(t0.getTime() + 3_599_000) }), false, "within the hour");
      assert.equal(await claimCooldown(pool, { ...base, dedupeKey: "m3", at: new Date(t0.getTime() + 3_600_000) }), true, "an hour after the first");
      const fired = await client.query(`SELECT last_fired_at, dedupe_key FROM reply_cooldown WHERE follower = $1`, [base.follower]);
      assert.deepEqual([fired.rows[0].last_fired_at.toISOString(), fired.rows[0].dedupe_key], ["2026-12-02T01:00:00.000Z", "m3"]);
      // Expired cooldowns are pruned; a running one stays.
      const old = { ...base, follower: openId() };
      await claimCooldown(pool, { ...old, dedupeKey: "old", at: new Date(Date.now() - 3 * 3_600_000) });
      await claimCooldown(pool, { ...base, follower: openId(), dedupeKey: "new", at: new Date() });
      assert.ok((await pruneReplyCooldowns(pool)) >= 1);
      const left = await client.query(`SELECT follower FROM reply_cooldown WHERE follower = ANY($1)`, [[old.follower]]);
      assert.equal(left.rows.length, 0);
      assert.equal((await client.query(`SELECT 1 FROM reply_cooldown WHERE dedupe_key = 'new'`)).rows.length, 1);
    } finally {
      await client.end();
      await pool.end();
    }
  });

  test("with the database gone, the last snapshot keeps answering, and the default rule still answers once", async () => {
    const pool = createPool(db.url, 2);
    const rules = createReplyRules({ pool, connectionString: db.url });
    const { rows } = await pool.query(`SELECT id FROM account WHERE app_id = $1`, [main.appId]);
    const accountId = rows[0].id as string;
    await rules.reload();
    await pool.end(); // every query from now on fails
    await assert.rejects(rules.reload());
    const at = (content: string, from = openId()) => ({ ...row(from, content), accountId });
    assert.equal((await rules.decide(at("价格")))?.ruleName, "price");
    const who = openId();
    assert.equal((await rules.decide(at("anything", who)))?.ruleName, "default");
    assert.equal(await rules.decide(at("anything else", who)), null);
    await rules.close();
  });
});
