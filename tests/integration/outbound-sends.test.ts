import assert from "node:assert/strict";
import { randomBytes, randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import pg from "pg";
import { decryptMessage, parseEncodingAesKey } from "../../lib/wechat/crypto";
import { parseWeChatXml } from "../../lib/wechat/xml";
import { insertAccount, newSimAccount } from "../helpers/accounts";
import { startApp, configureLib, TEST_ENCRYPTION_KEY, type AppServer } from "../helpers/app-server";
import { eventually } from "../helpers/eventually";
import { startMockWeChatApi, type MockWeChatApi } from "../helpers/mock-wechat-api";
import { CUSTOM_SEND_PATH, installCustomSend } from "../helpers/mock-wechat/custom-send";
import { importReplyRules } from "../helpers/reply-rules";
import { rawRequest, signInOverHttp } from "../helpers/sign-in";
import { createTestDatabase } from "../helpers/test-database";
import { bigMsgId, messageXml, postSigned, signMessage, type SimAccount } from "../helpers/wechat-simulator";

// Customer-service sends (客服消息) against the mock's message/custom/send over real HTTP and a
// real PostgreSQL: the window and the quota are enforced before WeChat is called, WeChat's own
// answers correct them, every send is an outbound row in the follower's thread, and a send
// whose origin has a dedupe key happens once.

let db: Awaited<ReturnType<typeof createTestDatabase>>;
let mock: MockWeChatApi;
let wechat: ReturnType<typeof installCustomSend>;
let sql: pg.Client;
let pool: pg.Pool;
let send: typeof import("../../lib/outbound/send-message");
let meter: typeof import("../../lib/outbound/window-meter");
let thread: typeof import("../../lib/messages/list-follower-thread");

const ORIGINAL_ID = `gh_${randomBytes(6).toString("hex")}`;
const newAccount = () => ({ appId: `wx${randomBytes(8).toString("hex")}`, token: "tok3n", mode: "plain" as const, appSecret: randomBytes(16).toString("hex") });
const certified = newAccount();
const unverified = newAccount();
let certifiedId: string;
let unverifiedId: string;
const openId = () => `o${randomBytes(12).toString("base64url")}`;

/** What WeChat would have delivered to the callback: the follower wrote, or clicked/subscribed/scanned. */
async function inbound(accountId: string, from: string, kind: "message" | "event", at = new Date()) {
  await sql.query(
    `INSERT INTO message (account_id, direction, msg_type, event, from_user, to_user, content, raw_xml, fields, dedupe_key, received_at)
     VALUES ($1, 'inbound', $2, $3, $4, $5, $6, '<xml/>', '{}', $7, $8)`,
    [
      accountId,
      kind === "message" ? "text" : "event",
      kind === "event" ? "CLICK" : null,
      from,
      ORIGINAL_ID,
      kind === "message" ? "hi" : null,
      randomUUID(),
      at,
    ],
  );
  const app = accountId === certifiedId ? certified.appId : unverified.appId;
  wechat.interact(app, from, kind, at.getTime());
}
const text = (touser: string, content = "您好") => ({ touser, msgtype: "text" as const, text: { content } });
const consoleUser = { source: "console" as const, userId: randomUUID() };
const AGENT_PASSWORD = "correct horse battery staple";

before(async () => {
  mock = await startMockWeChatApi();
  wechat = installCustomSend(mock);
  db = await createTestDatabase();
  certifiedId = await insertAccount(db.url, TEST_ENCRYPTION_KEY, { ...certified, accountType: "service", certified: true });
  unverifiedId = await insertAccount(db.url, TEST_ENCRYPTION_KEY, { ...unverified, accountType: "subscription", certified: false });
  for (const a of [certified, unverified]) mock.addApp({ appId: a.appId, secret: a.appSecret });
  sql = new pg.Client({ connectionString: db.url });
  await sql.connect();
  // The console's users are referenced by sent_by_user_id.
  const { hashPassword } = await import("../../lib/auth/password");
  await sql.query(`INSERT INTO "user" (id, email, password_hash, role) VALUES ($1, 'agent@example.com', $2, 'admin')`, [
    consoleUser.userId,
    await hashPassword(AGENT_PASSWORD),
  ]);
  configureLib(db.url, mock.url, { MPDESK_WECHAT_TIMEOUT_MS: "1000", MPDESK_SEND_RETRY_DELAY_S: "1" });
  send = await import("../../lib/outbound/send-message");
  meter = await import("../../lib/outbound/window-meter");
  thread = await import("../../lib/messages/list-follower-thread");
  pool = (await import("../../lib/db")).getPool();
});
after(async () => {
  await (await import("../../lib/outbound/send-queue")).sendQueue.stop();
  await pool?.end();
  await sql?.end();
  await mock?.close();
  await db?.drop();
});

describe("sendCustomMessage", () => {
  test("a send inside the window reaches WeChat once and shows in the thread as an outbound row", async () => {
    const who = openId();
    await inbound(certifiedId, who, "message");
    const outcome = await send.sendCustomMessage(pool, certifiedId, text(who, "您好，请问有什么可以帮您？"), consoleUser);
    assert.equal(outcome.status, "sent");
    assert.deepEqual(
      wechat.sends(certified.appId, who).map((s) => s.body.text),
      [{ content: "您好，请问有什么可以帮您？" }],
    );
    const { items } = await thread.listFollowerThread(pool, { accountId: certifiedId, openId: who });
    assert.equal(items.length, 2);
    const out = items[1]!;
    assert.equal(out.direction, "outbound");
    assert.equal(out.msgType, "text");
    assert.equal(out.content, "您好，请问有什么可以帮您？");
    assert.equal(out.toUser, who);
    assert.equal(out.fromUser, ORIGINAL_ID);
    const [row] = (
      await sql.query(`SELECT send_via, send_source, send_status, sent_by_user_id, send_attempts, sent_at, send_body FROM message WHERE id = $1`, [
        (outcome as { id: string }).id,
      ])
    ).rows;
    assert.deepEqual(
      { ...row, sent_at: row.sent_at instanceof Date },
      {
        send_via: "custom",
        send_source: "console",
        send_status: "sent",
        sent_by_user_id: consoleUser.userId,
        send_attempts: 1,
        sent_at: true,
        send_body: text(who, "您好，请问有什么可以帮您？"),
      },
    );
    const m = await meter.getWindowMeter(pool, certifiedId, who);
    assert.deepEqual([m.open, m.openedBy, m.limit, m.used, m.remaining], [true, "message", 5, 1, 4]);
  });

  test("outside the window, or over the quota, mpdesk refuses without calling WeChat", async () => {
    const never = openId();
    const before = mock.calls(CUSTOM_SEND_PATH, certified.appId);
    const closed = await send.sendCustomMessage(pool, certifiedId, text(never), consoleUser);
    assert.equal(closed.status, "refused");
    assert.equal(closed.status === "refused" && closed.error, "window_closed");

    const stale = openId();
    await inbound(certifiedId, stale, "event", new Date(Date.now() - 61_000));
    const late = await send.sendCustomMessage(pool, certifiedId, text(stale), consoleUser);
    assert.equal(late.status === "refused" && late.error, "window_closed");
    assert.equal(mock.calls(CUSTOM_SEND_PATH, certified.appId), before);

    const clicker = openId();
    await inbound(certifiedId, clicker, "event");
    for (let i = 0; i < 3; i++) assert.equal((await send.sendCustomMessage(pool, certifiedId, text(clicker, `第${i + 1}条`), consoleUser)).status, "sent");
    const fourth = await send.sendCustomMessage(pool, certifiedId, text(clicker, "第4条"), consoleUser);
    assert.equal(fourth.status, "refused");
    assert.equal(fourth.status === "refused" && fourth.error, "quota_exhausted");
    assert.equal(fourth.status === "refused" && fourth.meter.used, 3);
    assert.equal(mock.calls(CUSTOM_SEND_PATH, certified.appId), before + 3);
  });

  test("a rule's deferred send the window no longer allows stays in the thread as failed, with the reason, once", async () => {
    const stale = openId();
    await inbound(certifiedId, stale, "event", new Date(Date.now() - 61_000));
    const [{ id: inReplyTo }] = (await sql.query(`SELECT id::text FROM message WHERE from_user = $1`, [stale])).rows;
    const origin = { source: "rule" as const, ruleId: randomUUID(), inReplyTo, position: 1 };
    const before = mock.calls(CUSTOM_SEND_PATH, certified.appId);
    const first = await send.sendCustomMessage(pool, certifiedId, text(stale, "稍后的回复"), origin, { resume: true });
    assert.equal(first.status === "refused" && first.error, "window_closed");
    // The job's next run finds the row and sends nothing.
    const again = await send.sendCustomMessage(pool, certifiedId, text(stale, "稍后的回复"), origin, { resume: true });
    assert.equal(again.status, "failed");
    assert.equal(mock.calls(CUSTOM_SEND_PATH, certified.appId), before);
    const rows = (await sql.query(`SELECT send_status, send_errcode, send_errmsg, content FROM message WHERE to_user = $1`, [stale])).rows;
    assert.deepEqual(rows, [{ send_status: "failed", send_errcode: null, send_errmsg: "window_closed", content: "稍后的回复" }]);
    const { explainSendError } = await import("../../lib/outbound/explain-send-error");
    assert.match(explainSendError(null, "window_closed").en, /window is closed/);
    assert.equal(again.status === "failed" && again.fix.zh, explainSendError(null, "window_closed").zh);
  });

  test("an account without the customer-service API is refused with the fix, before WeChat", async () => {
    const who = openId();
    await inbound(unverifiedId, who, "message");
    const outcome = await send.sendCustomMessage(pool, unverifiedId, text(who), consoleUser);
    assert.equal(outcome.status, "refused");
    assert.equal(outcome.status === "refused" && outcome.error, "not_capable");
    assert.match(outcome.status === "refused" ? outcome.fix.zh : "", /认证/);
    assert.equal(mock.calls(CUSTOM_SEND_PATH, unverified.appId), 0);
  });

  test("WeChat's 45015 and 45047 correct the meter", async () => {
    const left = openId();
    await inbound(certifiedId, left, "message");
    mock.script(certified.appId, CUSTOM_SEND_PATH, { errcode: 45015 });
    const first = await send.sendCustomMessage(pool, certifiedId, text(left), consoleUser);
    assert.equal(first.status, "failed");
    assert.equal(first.status === "failed" && first.errcode, 45015);
    assert.match(first.status === "failed" ? first.fix.en : "", /window is closed/);
    const m1 = await meter.getWindowMeter(pool, certifiedId, left);
    assert.deepEqual([m1.open, m1.closedBy, m1.remaining], [false, 45015, 0]);
    const calls = mock.calls(CUSTOM_SEND_PATH, certified.appId);
    const again = await send.sendCustomMessage(pool, certifiedId, text(left), consoleUser);
    assert.equal(again.status === "refused" && again.error, "window_closed");
    assert.equal(mock.calls(CUSTOM_SEND_PATH, certified.appId), calls);

    const busy = openId();
    await inbound(certifiedId, busy, "message");
    mock.script(certified.appId, CUSTOM_SEND_PATH, { errcode: 45047 });
    assert.equal((await send.sendCustomMessage(pool, certifiedId, text(busy), consoleUser)).status, "failed");
    const m2 = await meter.getWindowMeter(pool, certifiedId, busy);
    assert.deepEqual([m2.open, m2.closedBy, m2.remaining], [true, 45047, 0]);
    const refused = await send.sendCustomMessage(pool, certifiedId, text(busy), consoleUser);
    assert.equal(refused.status === "refused" && refused.error, "quota_exhausted");

    // The follower writes again: a new window, and WeChat's earlier word no longer applies.
    await inbound(certifiedId, busy, "message", new Date(Date.now() + 1));
    const m3 = await meter.getWindowMeter(pool, certifiedId, busy, new Date(Date.now() + 2));
    assert.deepEqual([m3.open, m3.closedBy, m3.remaining], [true, null, 5]);
  });

  test("a text WeChat finds too long fails with 45002 explained", async () => {
    const who = openId();
    await inbound(certifiedId, who, "message");
    const outcome = await send.sendCustomMessage(pool, certifiedId, text(who, "长".repeat(700)), consoleUser);
    assert.equal(outcome.status === "failed" && outcome.errcode, 45002);
    assert.match(outcome.status === "failed" ? outcome.fix.zh : "", /2048 字节/);
  });

  test("a retried API request with the same Idempotency-Key sends once and answers the same", async () => {
    const who = openId();
    await inbound(certifiedId, who, "message");
    const keyId = randomUUID();
    await sql.query(`INSERT INTO api_key (id, name, key_hash, prefix) VALUES ($1, 'crm', $2, 'mpk_x')`, [keyId, randomBytes(16).toString("hex")]);
    const origin = { source: "api" as const, apiKeyId: keyId, idempotencyKey: "order-42" };
    const a = await send.sendCustomMessage(pool, certifiedId, text(who, "订单已发货"), origin);
    const b = await send.sendCustomMessage(pool, certifiedId, text(who, "订单已发货"), origin);
    assert.equal(a.status, "sent");
    assert.deepEqual(b, a);
    assert.equal(wechat.sends(certified.appId, who).length, 1);
  });

  test("a -1 answer leaves the row queued for the job queue, with WeChat's word kept", async () => {
    const who = openId();
    await inbound(certifiedId, who, "message");
    mock.script(certified.appId, CUSTOM_SEND_PATH, { errcode: -1 });
    const queued = await send.sendCustomMessage(pool, certifiedId, text(who), consoleUser);
    assert.equal(queued.status, "queued");
    const [row] = (await sql.query(`SELECT send_status, send_errcode, send_attempts FROM message WHERE id = $1`, [(queued as { id: string }).id])).rows;
    assert.deepEqual(row, { send_status: "queued", send_errcode: -1, send_attempts: 1 });
    // The retry (what a job does) sends it, once.
    const done = await send.deliverSend(pool, { id: (queued as { id: string }).id, accountId: certifiedId });
    assert.equal(done.status, "sent");
    const twice = await send.deliverSend(pool, { id: (queued as { id: string }).id, accountId: certifiedId });
    assert.deepEqual(twice, done);
    assert.equal(wechat.sends(certified.appId, who).length, 1);
  });
});

describe("the queue in this process", () => {
  // The apps below must be the only workers: a restart proves nothing if this process sends.
  after(async () => (await import("../../lib/outbound/send-queue")).sendQueue.stop());

  test("a send WeChat answers -1 is retried by a job with backoff, and sent once", async () => {
    await (await import("../../lib/outbound/send-worker")).startSendWorker();
    const who = openId();
    await inbound(certifiedId, who, "message");
    mock.script(certified.appId, CUSTOM_SEND_PATH, { errcode: -1 }, { errcode: -1 });
    const started = Date.now();
    const queued = await send.sendCustomMessage(pool, certifiedId, text(who, "稍后送达"), consoleUser);
    assert.equal(queued.status, "queued");
    const id = (queued as { id: string }).id;
    const row = await eventually(
      async () => {
        const [r] = (await sql.query(`SELECT send_status, send_attempts, send_errcode FROM message WHERE id = $1`, [id])).rows;
        assert.equal(r.send_status, "sent");
        return r;
      },
      { timeoutMs: 20_000, what: "the job sending it" },
    );
    assert.deepEqual(row, { send_status: "sent", send_attempts: 3, send_errcode: null });
    // The job waits MPDESK_SEND_RETRY_DELAY_S (1 s) first, then at least 1 s more for the backoff.
    assert.ok(Date.now() - started >= 2_000, `sent after ${Date.now() - started} ms`);
    assert.deepEqual(
      wechat.sends(certified.appId, who).map((s) => s.body.text),
      [{ content: "稍后送达" }],
    );
  });
});

describe("the queue in this process, when WeChat does not answer", () => {
  test("a send that times out stays queued and the job sends it once", async () => {
    await (await import("../../lib/outbound/send-worker")).startSendWorker();
    const who = openId();
    await inbound(certifiedId, who, "message");
    // Longer than MPDESK_WECHAT_TIMEOUT_MS (1 s): mpdesk gives up, and the mock drops the call unanswered.
    mock.script(certified.appId, CUSTOM_SEND_PATH, { delayMs: 1_500 });
    const queued = await send.sendCustomMessage(pool, certifiedId, text(who, "超时重发"), consoleUser);
    assert.equal(queued.status, "queued");
    const id = (queued as { id: string }).id;
    await eventually(
      async () => {
        const [r] = (await sql.query(`SELECT send_status, send_attempts FROM message WHERE id = $1`, [id])).rows;
        assert.deepEqual(r, { send_status: "sent", send_attempts: 2 });
      },
      { timeoutMs: 20_000, what: "the job sending it" },
    );
    assert.equal(wechat.sends(certified.appId, who).length, 1);
  });
  after(async () => (await import("../../lib/outbound/send-queue")).sendQueue.stop());
});

describe("a message spooled while the database is down", () => {
  test("keeps its passive reply and its deferred sends, and the replay stores and queues them", async () => {
    const { createMessageStore } = await import("../../lib/messages/message-store");
    const { normalizeInbound } = await import("../../lib/messages/inbound-row");
    const { planAnswer } = await import("../../lib/outbound/answer-plan");
    const { buildReplyXml } = await import("../../lib/wechat/reply");
    const { createPool } = await import("../../lib/db");
    const spoolDir = mkdtempSync(path.join(os.tmpdir(), "mpdesk-outbound-spool-"));
    const down = createPool("postgres://mpdesk@127.0.0.1:1/mpdesk", 1);
    try {
      const who = openId();
      const fields = { ToUserName: ORIGINAL_ID, FromUserName: who, CreateTime: "1764640000", MsgType: "text", Content: "套餐", MsgId: bigMsgId() };
      const row = normalizeInbound(fields, messageXml(fields), certifiedId, false, new Date());
      const answer = { reply: { type: "text" as const, content: "套餐一" }, ruleId: null, deferred: [{ type: "text" as const, content: "套餐二" }] };
      row.replyXml = buildReplyXml(answer.reply, { toUser: who, fromUser: ORIGINAL_ID });
      row.answer = planAnswer(answer, who);
      const queued: Array<{ id: string; deferred: unknown }> = [];
      const deferSends = async (items: Array<{ row: typeof row; id: string }>) => {
        queued.push(...items.map((i) => ({ id: i.id, deferred: i.row.answer?.deferred })));
      };

      const recorded = await createMessageStore({ pool: down, spoolDir, budgetMs: 1_000, deferSends }).record(row);
      assert.deepEqual([recorded.stored, recorded.replyXml, queued.length], ["spooled", row.replyXml, 0]);

      assert.equal(await createMessageStore({ pool, spoolDir, deferSends }).replaySpool(), 1);
      const rows = (
        await sql.query(
          `SELECT id::text, direction, content, send_via, dedupe_key FROM message WHERE account_id = $1 AND (from_user = $2 OR to_user = $2) ORDER BY id`,
          [certifiedId, who],
        )
      ).rows;
      assert.deepEqual(
        rows.map((r) => [r.direction, r.content, r.send_via, r.dedupe_key]),
        [
          ["inbound", "套餐", null, row.dedupeKey],
          ["outbound", "套餐一", "passive", `reply:${rows[0].id}`],
        ],
      );
      assert.deepEqual(queued, [{ id: rows[0].id, deferred: [{ touser: who, msgtype: "text", text: { content: "套餐二" } }] }]);
    } finally {
      await down.end();
      rmSync(spoolDir, { recursive: true, force: true });
    }
  });
});

// ---- Through the app: the callback answers, the queue sends the rest -----------------------------

const REPLY_ALL = {
  version: 1,
  rules: [
    {
      name: "套餐介绍",
      trigger: "keyword",
      replyMode: "all",
      keywords: [{ match: "equal", pattern: "套餐" }],
      replies: [
        { type: "text", content: "套餐一：99 元" },
        { type: "text", content: "套餐二：199 元" },
        { type: "news", article: { title: "全部套餐", description: "点击查看", url: "https://example.com/plans", picUrl: "https://example.com/p.png" } },
      ],
    },
  ],
};

describe("reply-all through the app", () => {
  let app: AppServer | null = null;
  const safe = { ...newSimAccount("safe"), appSecret: randomBytes(16).toString("hex") };
  let safeId: string;
  const appEnv = { WECHAT_API_BASE: mock?.url ?? "", MPDESK_SEND_RETRY_DELAY_S: "1", MPDESK_WECHAT_TIMEOUT_MS: "1000", LOG_LEVEL: "warn" };
  const start = async () => (app = await startApp({ databaseUrl: db.url, env: { ...appEnv, WECHAT_API_BASE: mock.url } }));

  before(async () => {
    safeId = await insertAccount(db.url, TEST_ENCRYPTION_KEY, { ...safe, accountType: "service", certified: true });
    mock.addApp({ appId: safe.appId, secret: safe.appSecret });
    await importReplyRules(db.url, safe.appId, REPLY_ALL);
    await start();
  });
  after(async () => {
    await app?.stop();
  });

  /** As WeChat delivers it: the follower's message (which opens the window on WeChat's side too), signed and encrypted. */
  function delivery(account: SimAccount, from: string, content: string) {
    wechat.interact(account.appId, from, "message");
    return signMessage(
      account,
      messageXml({
        ToUserName: ORIGINAL_ID,
        FromUserName: from,
        CreateTime: Math.floor(Date.now() / 1000),
        MsgType: "text",
        Content: content,
        MsgId: bigMsgId(),
      }),
    );
  }
  async function post(req: ReturnType<typeof signMessage>) {
    const res = await postSigned(app!.url, req);
    assert.equal(res.status, 200, res.text);
    const envelope = parseWeChatXml(res.text);
    assert.ok(envelope.Encrypt, `an encrypted answer in safe mode: ${res.text}`);
    return parseWeChatXml(decryptMessage(String(envelope.Encrypt), [parseEncodingAesKey(safe.encodingAesKey!)], safe.appId).plaintext);
  }
  const rowsFor = async (from: string) =>
    (
      await sql.query(
        `SELECT id::text, direction, msg_type, content, title, url, from_user, to_user, dedupe_key, send_via, send_source, send_status, rule_id, in_reply_to::text
         FROM message WHERE account_id = $1 AND (from_user = $2 OR to_user = $2) ORDER BY id`,
        [safeId, from],
      )
    ).rows;
  /** Every job of the queue has finished (completed or failed): nothing is left to send. */
  const queueIdle = () =>
    eventually(
      async () => {
        const { rows } = await sql.query(`SELECT count(*)::int AS n FROM mpdesk_queue.job WHERE state IN ('created', 'retry', 'active')`);
        assert.equal(rows[0].n, 0);
        return true;
      },
      { timeoutMs: 30_000, what: "the queue to drain" },
    );

  test("the first reply goes back passively (encrypted), the others through custom/send once each, all in the thread and linked to the rule", async () => {
    const who = openId();
    const req = delivery(safe, who, "套餐");
    const answer = await post(req);
    assert.equal(answer.Content, "套餐一：99 元");
    assert.equal(answer.ToUserName, who);
    await eventually(() => assert.equal(wechat.sends(safe.appId, who).length, 2), { timeoutMs: 20_000, what: "the deferred sends" });
    assert.deepEqual(
      wechat.sends(safe.appId, who).map((s) => s.body),
      [
        { touser: who, msgtype: "text", text: { content: "套餐二：199 元" } },
        {
          touser: who,
          msgtype: "news",
          news: { articles: [{ title: "全部套餐", description: "点击查看", url: "https://example.com/plans", picurl: "https://example.com/p.png" }] },
        },
      ],
    );

    // WeChat retries the same delivery: the same reply, and nothing sent again.
    const again = await post(req);
    assert.equal(again.Content, "套餐一：99 元");
    await queueIdle();
    assert.equal(wechat.sends(safe.appId, who).length, 2);

    const rows = await rowsFor(who);
    const [inbound, passive, second, third] = rows;
    assert.equal(rows.length, 4, JSON.stringify(rows));
    const ruleId = (await sql.query(`SELECT id FROM reply_rule WHERE account_id = $1`, [safeId])).rows[0].id;
    assert.equal(inbound.direction, "inbound");
    assert.deepEqual(
      { ...passive, id: undefined },
      {
        id: undefined,
        direction: "outbound",
        msg_type: "text",
        content: "套餐一：99 元",
        title: null,
        url: null,
        from_user: ORIGINAL_ID,
        to_user: who,
        dedupe_key: `reply:${inbound.id}`,
        send_via: "passive",
        send_source: "rule",
        send_status: "sent",
        rule_id: ruleId,
        in_reply_to: inbound.id,
      },
    );
    assert.deepEqual(
      [second, third].map((r) => [r.msg_type, r.content ?? r.title, r.dedupe_key, r.send_via, r.send_source, r.send_status, r.rule_id, r.in_reply_to]),
      [
        ["text", "套餐二：199 元", `rule:${inbound.id}:1`, "custom", "rule", "sent", ruleId, inbound.id],
        ["news", "全部套餐", `rule:${inbound.id}:2`, "custom", "rule", "sent", ruleId, inbound.id],
      ],
    );

    // The follower's thread draws the passive reply once, as it draws each custom send.
    const session = await signInOverHttp(app!.url, { email: "agent@example.com", password: AGENT_PASSWORD });
    assert.equal(session.outcome, "ok");
    const page = await rawRequest(`${app!.url}/a/${safe.appId}/messages/followers/${who}`, { headers: { cookie: session.cookie } });
    assert.equal(page.status, 200);
    const times = (needle: string) => page.body.split(needle).length - 1;
    assert.ok(times("套餐二：199 元") > 0);
    assert.equal(times("套餐一：99 元"), times("套餐二：199 元"));
  });

  test("a deferred send survives a restart of the app, and is sent exactly once", async () => {
    const who = openId();
    // WeChat is busy for as long as the first app runs: its job can only fail.
    mock.failAlways(safe.appId, CUSTOM_SEND_PATH, { errcode: -1 });
    const answer = await post(delivery(safe, who, "套餐"));
    assert.equal(answer.Content, "套餐一：99 元");
    await eventually(
      async () => {
        // The second reply waits for the first, so only the first has been tried.
        const { rows } = await sql.query(`SELECT dedupe_key FROM message WHERE to_user = $1 AND send_via = 'custom' AND send_attempts >= 1`, [who]);
        assert.equal(rows.length, 1);
        assert.match(rows[0].dedupe_key, /^rule:\d+:1$/);
      },
      { timeoutMs: 20_000, what: "the first app trying the first send" },
    );
    await app!.stop();
    app = null;
    assert.equal(wechat.sends(safe.appId, who).length, 0);

    mock.failAlways(safe.appId, CUSTOM_SEND_PATH, null);
    await start();
    await eventually(() => assert.equal(wechat.sends(safe.appId, who).length, 2), { timeoutMs: 30_000, what: "the restarted app sending them" });
    await queueIdle();
    assert.deepEqual(
      wechat.sends(safe.appId, who).map((s) => s.msgtype),
      ["text", "news"],
    );
    const { rows } = await sql.query(`SELECT send_status FROM message WHERE to_user = $1 AND send_via = 'custom'`, [who]);
    assert.deepEqual(
      rows.map((r) => r.send_status),
      ["sent", "sent"],
    );
  });

  test("two instances share the queue: every reply is sent once", async () => {
    const second = await startApp({ databaseUrl: db.url, env: { ...appEnv, WECHAT_API_BASE: mock.url } });
    try {
      const followers = [openId(), openId(), openId(), openId()];
      await Promise.all(
        followers.map(async (who, i) => {
          const req = delivery(safe, who, "套餐");
          const res = await postSigned((i % 2 ? second : app!).url, req);
          assert.equal(res.status, 200, res.text);
        }),
      );
      for (const who of followers) {
        await eventually(() => assert.equal(wechat.sends(safe.appId, who).length, 2), { timeoutMs: 30_000, what: "the deferred sends" });
      }
      await queueIdle();
      assert.deepEqual(
        followers.map((who) => wechat.sends(safe.appId, who).map((s) => s.msgtype)),
        followers.map(() => ["text", "news"]),
      );
    } finally {
      await second.stop();
    }
  });
});
