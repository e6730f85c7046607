import assert from "node:assert/strict";
import { randomBytes, randomUUID } from "node:crypto";
import { after, before, describe, test } from "node:test";
import pg from "pg";
import { insertAccount } from "../helpers/accounts";
import { TEST_ENCRYPTION_KEY } from "../helpers/app-server";
import { startMockWeChatApi, type MockWeChatApi } from "../helpers/mock-wechat-api";
import { CUSTOM_SEND_PATH, installCustomSend } from "../helpers/mock-wechat/custom-send";
import { createTestDatabase } from "../helpers/test-database";

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
  await sql.query(`INSERT INTO "user" (id, email, password_hash) VALUES ($1, 'agent@example.com', 'x')`, [consoleUser.userId]);
  Object.assign(process.env, {
    DATABASE_URL: db.url,
    AUTH_SECRET: randomBytes(32).toString("base64"),
    MPDESK_ENCRYPTION_KEY: TEST_ENCRYPTION_KEY,
    WECHAT_API_BASE: mock.url,
    MPDESK_WECHAT_TIMEOUT_MS: "1000",
    LOG_LEVEL: "error",
  });
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
