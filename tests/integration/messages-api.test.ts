import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, before, describe, test } from "node:test";
import pg from "pg";
import { insertAccount, newSimAccount } from "../helpers/accounts";
import { startApp, configureLib, TEST_ENCRYPTION_KEY, type AppServer } from "../helpers/app-server";
import { startMockWeChatApi, type MockWeChatApi } from "../helpers/mock-wechat-api";
import { CUSTOM_SEND_PATH, installCustomSend } from "../helpers/mock-wechat/custom-send";
import { createTestDatabase } from "../helpers/test-database";
import { bigMsgId, messageXml, postSigned, signMessage, type SimAccount } from "../helpers/wechat-simulator";

// POST /api/messages against the real app and the mock's message/custom/send over real HTTP,
// with a real PostgreSQL: followers write through the signed callback, other services answer
// with API keys, and what mpdesk sends, whoever sent it, is read back from the follower's thread.

type Account = SimAccount & { id: string; appSecret: string };

let db: Awaited<ReturnType<typeof createTestDatabase>>;
let mock: MockWeChatApi;
let wechat: ReturnType<typeof installCustomSend>;
let app: AppServer;
let sql: pg.Client;
let pool: pg.Pool;
let tokens: typeof import("../../lib/tokens");
let thread: typeof import("../../lib/messages/list-follower-thread");
// main is the oldest account: the default when neither the body nor the key names one.
let main: Account;
let other: Account;
let unverified: Account;
let sender: string; // messages:send, every account
const ORIGINAL_ID = `gh_${randomBytes(6).toString("hex")}`;
const openId = () => `o${randomBytes(14).toString("base64url").slice(0, 27)}`;

async function addAccount(opts: { certified: boolean }): Promise<Account> {
  const sim = { ...newSimAccount("plain"), appSecret: randomBytes(16).toString("hex") };
  const id = await insertAccount(db.url, TEST_ENCRYPTION_KEY, { ...sim, accountType: opts.certified ? "service" : "subscription", certified: opts.certified });
  mock.addApp({ appId: sim.appId, secret: sim.appSecret });
  return { ...sim, id };
}

/** The follower writes (or clicks a menu): WeChat delivers it to the callback and opens the window on its side. */
async function followerDoes(account: Account, from: string, kind: "message" | "click" = "message") {
  const now = Math.floor(Date.now() / 1000);
  const fields =
    kind === "message"
      ? { ToUserName: ORIGINAL_ID, FromUserName: from, CreateTime: now, MsgType: "text", Content: "你好", MsgId: bigMsgId() }
      : { ToUserName: ORIGINAL_ID, FromUserName: from, CreateTime: now, MsgType: "event", Event: "CLICK", EventKey: "MENU_HELP" };
  const res = await postSigned(app.url, signMessage(account, messageXml(fields)));
  assert.equal(res.status, 200, res.text);
  wechat.interact(account.appId, from, kind === "message" ? "message" : "event");
}

type Answer = { status: number; body: Record<string, any> };
async function post(body: unknown, opts: { key?: string | null; idempotencyKey?: string; raw?: string } = {}): Promise<Answer> {
  const headers: Record<string, string> = { "content-type": "application/json" };
  const key = opts.key === undefined ? sender : opts.key;
  if (key) headers.authorization = `Bearer ${key}`;
  if (opts.idempotencyKey) headers["idempotency-key"] = opts.idempotencyKey;
  const res = await fetch(`${app.url}/api/messages`, { method: "POST", headers, body: opts.raw ?? JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as Record<string, any> };
}
const text = (touser: string, content: string, account?: Account) => ({
  ...(account ? { account: account.appId } : {}),
  touser,
  msgtype: "text",
  text: { content },
});

async function outboundInThread(account: Account, who: string) {
  const { items } = await thread.listFollowerThread(pool, { accountId: account.id, openId: who });
  return items.filter((m) => m.direction === "outbound");
}

before(async () => {
  mock = await startMockWeChatApi();
  wechat = installCustomSend(mock);
  db = await createTestDatabase();
  main = await addAccount({ certified: true });
  other = await addAccount({ certified: true });
  unverified = await addAccount({ certified: false });
  sql = new pg.Client({ connectionString: db.url });
  await sql.connect();
  // Keys are created here through lib/tokens, as the CLI does.
  configureLib(db.url, mock.url);
  tokens = await import("../../lib/tokens");
  thread = await import("../../lib/messages/list-follower-thread");
  pool = (await import("../../lib/db")).getPool();
  app = await startApp({ databaseUrl: db.url, env: { WECHAT_API_BASE: mock.url, MPDESK_WECHAT_TIMEOUT_MS: "2000" } });
  sender = (await tokens.createApiKey("sender", { scopes: ["messages:send"] })).key;
});

after(async () => {
  await app?.stop();
  await pool?.end();
  await sql?.end();
  await mock?.close();
  await db?.drop();
});

describe("the window and the quota", () => {
  test("before any follower message: 409 window_closed, and WeChat is not called", async () => {
    const who = openId();
    const calls = mock.calls(CUSTOM_SEND_PATH);
    const res = await post(text(who, "您好", main));
    assert.equal(res.status, 409);
    assert.deepEqual(res.body, { error: "window_closed" });
    assert.equal(mock.calls(CUSTOM_SEND_PATH), calls);
    assert.equal((await outboundInThread(main, who)).length, 0, "a refusal sends nothing and stores nothing");
  });

  test("after a follower's message: 5 sends, then 429 quota_exhausted; every reply is in the thread", async () => {
    const who = openId();
    await followerDoes(main, who);
    const ids: string[] = [];
    for (let i = 1; i <= 5; i++) {
      const res = await post(text(who, `第${i}条回复`, main));
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.deepEqual(Object.keys(res.body).sort(), ["id", "status"]);
      assert.equal(res.body.status, "sent");
      ids.push(res.body.id);
    }
    const sixth = await post(text(who, "第6条回复", main));
    assert.equal(sixth.status, 429);
    assert.deepEqual(sixth.body, { error: "quota_exhausted" });
    assert.deepEqual(
      wechat.sends(main.appId, who).map((s) => s.body.text),
      [1, 2, 3, 4, 5].map((i) => ({ content: `第${i}条回复` })),
    );

    const { items } = await thread.listFollowerThread(pool, { accountId: main.id, openId: who });
    assert.deepEqual(
      items.map((m) => [m.direction, m.content]),
      [["inbound", "你好"], ...[1, 2, 3, 4, 5].map((i) => ["outbound", `第${i}条回复`])],
    );
    assert.deepEqual(
      items.slice(1).map((m) => m.id),
      ids,
    );
    const { rows } = await sql.query(
      `SELECT DISTINCT m.send_source, m.send_status, m.send_via, k.name FROM message m JOIN api_key k ON k.id = m.sent_by_api_key_id WHERE m.id = ANY($1::bigint[])`,
      [ids],
    );
    assert.deepEqual(rows, [{ send_source: "api", send_status: "sent", send_via: "custom", name: "sender" }], "stored as sent by the key");
  });

  test("after a menu click: 3 within the minute, then 429", async () => {
    const who = openId();
    await followerDoes(main, who, "click");
    for (let i = 1; i <= 3; i++) assert.equal((await post(text(who, `点击后第${i}条`, main))).status, 200);
    assert.deepEqual((await post(text(who, "点击后第4条", main))).body, { error: "quota_exhausted" });
    assert.equal(wechat.sends(main.appId, who).length, 3);
  });
});

describe("WeChat's refusals", () => {
  for (const errcode of [40003, 48001]) {
    test(`${errcode}: 502 wechat_error with errcode, errmsg and the fix in both languages; the failure is in the thread`, async () => {
      const who = openId();
      await followerDoes(main, who);
      mock.script(main.appId, CUSTOM_SEND_PATH, { errcode });
      const res = await post(text(who, "您好", main));
      assert.equal(res.status, 502);
      assert.deepEqual(Object.keys(res.body).sort(), ["errcode", "errmsg", "error", "fix"]);
      assert.equal(res.body.error, "wechat_error");
      assert.equal(res.body.errcode, errcode);
      assert.match(res.body.errmsg, errcode === 40003 ? /invalid openid/ : /api unauthorized/);
      assert.match(res.body.fix.en, new RegExp(errcode === 40003 ? "OpenID" : "certif"));
      assert.match(res.body.fix.zh, errcode === 40003 ? /OpenID/ : /认证/);
      const [row] = await outboundInThread(main, who);
      assert.equal(row?.content, "您好");
      const { rows } = await sql.query(`SELECT send_status, send_errcode FROM message WHERE id = $1`, [row!.id]);
      assert.deepEqual(rows[0], { send_status: "failed", send_errcode: errcode });
    });
  }

  test("an account without the customer-service API: 403 not_capable with the fix, before WeChat", async () => {
    const who = openId();
    await followerDoes(unverified, who);
    const res = await post(text(who, "您好", unverified));
    assert.equal(res.status, 403);
    assert.equal(res.body.error, "not_capable");
    assert.match(res.body.fix.en, /certified/);
    assert.match(res.body.fix.zh, /认证/);
    assert.equal(mock.calls(CUSTOM_SEND_PATH, unverified.appId), 0);
  });

  test("WeChat busy (-1): 202 queued, kept in the thread for the job queue", async () => {
    const who = openId();
    await followerDoes(main, who);
    mock.script(main.appId, CUSTOM_SEND_PATH, { errcode: -1 });
    const res = await post(text(who, "稍后送达", main));
    assert.equal(res.status, 202);
    assert.deepEqual(Object.keys(res.body).sort(), ["id", "status"]);
    assert.equal(res.body.status, "queued");
    const [row] = await outboundInThread(main, who);
    assert.equal(row?.id, res.body.id);
  });
});

describe("Idempotency-Key", () => {
  test("a retried request sends once and gets the same answer, also when the retries race", async () => {
    const who = openId();
    await followerDoes(main, who);
    const first = await post(text(who, "订单已发货", main), { idempotencyKey: "order-42-shipped" });
    assert.equal(first.status, 200);
    const retried = await post(text(who, "订单已发货", main), { idempotencyKey: "order-42-shipped" });
    assert.deepEqual(retried, first);
    const raced = await Promise.all([1, 2, 3, 4].map(() => post(text(who, "订单已签收", main), { idempotencyKey: "order-42-delivered" })));
    assert.equal(new Set(raced.map((r) => JSON.stringify(r))).size, 1, JSON.stringify(raced));
    assert.equal(raced[0]!.status, 200);
    assert.deepEqual(
      wechat.sends(main.appId, who).map((s) => s.body.text),
      [{ content: "订单已发货" }, { content: "订单已签收" }],
    );
    assert.equal((await outboundInThread(main, who)).length, 2);
    const { rows } = await sql.query(`SELECT dedupe_key FROM message WHERE id = $1`, [first.body.id]);
    const keyId = (await tokens.listApiKeys()).find((k) => k.name === "sender")!.id;
    assert.equal(rows[0].dedupe_key, `api:${keyId}:order-42-shipped`);
  });

  test("the same key with another body is 422 idempotency_key_reused and sends nothing", async () => {
    const who = openId();
    await followerDoes(main, who);
    assert.equal((await post(text(who, "第一条", main), { idempotencyKey: "reuse-me" })).status, 200);
    const reused = await post(text(who, "另一条", main), { idempotencyKey: "reuse-me" });
    assert.equal(reused.status, 422);
    assert.equal(reused.body.error, "idempotency_key_reused");
    assert.equal(wechat.sends(main.appId, who).length, 1);
    // A key is per API key: another key may use the same string for its own message.
    const second = (await tokens.createApiKey("second-sender", { scopes: ["messages:send"] })).key;
    assert.equal((await post(text(who, "另一条", main), { key: second, idempotencyKey: "reuse-me" })).status, 200);
  });

  test("a refused request stores nothing, so its retry is decided afresh", async () => {
    const who = openId();
    assert.equal((await post(text(who, "早了", main), { idempotencyKey: "too-early" })).status, 409);
    await followerDoes(main, who);
    assert.equal((await post(text(who, "早了", main), { idempotencyKey: "too-early" })).status, 200);
  });
});

describe("keys and accounts", () => {
  test("401 without a key or with a wrong one", async () => {
    for (const key of [null, "nonsense", `mpd_${randomBytes(32).toString("base64url")}`]) {
      const res = await post(text(openId(), "x", main), { key });
      assert.equal(res.status, 401, String(key));
      assert.equal(res.body.error, "unauthorized");
    }
  });

  test("403 for a token:read-only key, and a messages:send-only key gets no token", async () => {
    const reader = (await tokens.createApiKey("reader")).key;
    const who = openId();
    await followerDoes(main, who);
    const refused = await post(text(who, "x", main), { key: reader });
    assert.equal(refused.status, 403);
    assert.equal(refused.body.error, "insufficient_scope");
    assert.match(refused.body.message, /messages:send/);
    assert.equal(wechat.sends(main.appId, who).length, 0);
    const token = await fetch(`${app.url}/api/token?account=${main.appId}`, { headers: { authorization: `Bearer ${sender}` } });
    assert.equal(token.status, 403);
    assert.equal(((await token.json()) as { error: string }).error, "insufficient_scope");
    const both = (await tokens.createApiKey("both", { scopes: ["token:read", "messages:send"] })).key;
    assert.equal((await fetch(`${app.url}/api/token`, { headers: { authorization: `Bearer ${both}` } })).status, 200);
    assert.equal((await post(text(who, "x", main), { key: both })).status, 200);
  });

  test("a key for another account: 403 for this one, existing or not; without an account it sends for its only account", async () => {
    const scoped = (await tokens.createApiKey("other-only", { scopes: ["messages:send"], accountIds: [other.id] })).key;
    const who = openId();
    await followerDoes(main, who);
    for (const appId of [main.appId, `wx${randomBytes(8).toString("hex")}`]) {
      const res = await post({ ...text(who, "x"), account: appId }, { key: scoped });
      assert.equal(res.status, 403, appId);
      assert.deepEqual(res.body, { error: "forbidden" }, "an unknown AppID answers like a known one");
    }
    assert.equal(wechat.sends(main.appId, who).length, 0);
    const theirs = openId();
    await followerDoes(other, theirs);
    assert.equal((await post(text(theirs, "给另一个公众号的粉丝"), { key: scoped })).status, 200);
    assert.equal(wechat.sends(other.appId, theirs).length, 1);
    assert.equal((await outboundInThread(other, theirs))[0]?.content, "给另一个公众号的粉丝");
  });

  test("without an account, an unscoped key sends for the default account; an unknown AppID is 404", async () => {
    const who = openId();
    await followerDoes(main, who);
    assert.equal((await post(text(who, "默认公众号"))).status, 200);
    assert.equal(wechat.sends(main.appId, who).length, 1);
    const unknown = await post({ ...text(who, "x"), account: `wx${randomBytes(8).toString("hex")}` });
    assert.equal(unknown.status, 404);
    assert.equal(unknown.body.error, "unknown_account");
  });
});

describe("the body", () => {
  test("400 names the bad field; invalid JSON and an oversized body are refused before anything is sent", async () => {
    const who = openId();
    const cases: Array<[unknown, string | null]> = [
      [{ touser: who, msgtype: "text" }, "text"],
      [{ touser: who, msgtype: "text", text: { content: "" } }, "text.content"],
      [{ touser: who, msgtype: "telegram", telegram: {} }, "msgtype"],
      [{ msgtype: "text", text: { content: "x" } }, "touser"],
      [{ touser: who, msgtype: "text", text: { content: "x" }, tosuer: who }, "tosuer"],
      [{ touser: who, msgtype: "news", news: { articles: [{ title: "a" }, { title: "b" }] } }, "news.articles"],
      [{ touser: who, msgtype: "image", image: {} }, "image.media_id"],
      [{ touser: who, msgtype: "msgmenu", msgmenu: { list: [{ id: "1" }] } }, "msgmenu.list.0.content"],
      [[], null],
    ];
    for (const [body, field] of cases) {
      const res = await post(body);
      assert.equal(res.status, 400, JSON.stringify(body));
      assert.equal(res.body.error, "invalid_body");
      assert.equal(res.body.field, field, JSON.stringify(res.body));
      if (field) assert.ok(res.body.message.startsWith(`${field}:`), res.body.message);
    }
    const notJson = await post(null, { raw: "touser=o1&msgtype=text" });
    assert.equal(notJson.status, 400);
    assert.equal(notJson.body.error, "invalid_json");
    const huge = await post(text(who, "长".repeat(40_000)));
    assert.equal(huge.status, 413);
    assert.equal(huge.body.error, "payload_too_large");
    assert.equal((await post(text(who, "x"), { idempotencyKey: "has spaces" })).body.error, "invalid_idempotency_key");
  });

  test("image, news and msgmenu reach WeChat as WeChat's API takes them", async () => {
    const who = openId();
    await followerDoes(main, who);
    const bodies = [
      { touser: who, msgtype: "image", image: { media_id: "MEDIA_ID_1" } },
      {
        touser: who,
        msgtype: "news",
        news: { articles: [{ title: "新品上架", description: "点此查看", url: "https://example.com/a", picurl: "https://example.com/a.jpg" }] },
      },
      {
        touser: who,
        msgtype: "msgmenu",
        msgmenu: {
          head_content: "您对本次服务是否满意？",
          list: [
            { id: "101", content: "满意" },
            { id: "102", content: "不满意" },
          ],
          tail_content: "欢迎再次光临",
        },
      },
    ];
    for (const body of bodies) {
      const res = await post({ ...body, account: main.appId });
      assert.equal(res.status, 200, JSON.stringify(res.body));
    }
    const sent = wechat.sends(main.appId, who).map((s) => {
      const { access_token: _token, ...rest } = s.body;
      return rest;
    });
    assert.deepEqual(sent, bodies);
    assert.deepEqual(
      (await outboundInThread(main, who)).map((m) => [m.msgType, m.mediaId ?? m.title ?? m.content]),
      [
        ["image", "MEDIA_ID_1"],
        ["news", "新品上架"],
        ["msgmenu", "您对本次服务是否满意？\n满意\n不满意\n欢迎再次光临"],
      ],
    );
  });
});
