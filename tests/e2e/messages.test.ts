import assert from "node:assert/strict";
import { test } from "node:test";
import type { Page } from "@playwright/test";
import { screenshot } from "../helpers/browser";
import { at, bigMsgId, LIVE_TIMEOUT, openId, useConsoleApp, type SeededAccount } from "../helpers/console-e2e";

// The message log, a message's detail, a follower's thread, the export and the overview's
// counts. Each test has an account of its own (at its own URL, /a/<AppID>/…) with
// the messages it needs, POSTed to the callback as WeChat sends them.

const fx = useConsoleApp();
const text = (p: Page, s: string | RegExp) => p.getByText(s).first();
const content = "你好，mpdesk！<b>&amp; ]]> 退款 Refund";

// A certified service account, as set up in the setup steps: it may use the customer-service API.
const newAccount = () => fx.seedAccount({ mode: "safe", accountType: "service", certified: true });

/** A text message and a menu click from one follower, to a new encrypted (safe mode) account. */
async function conversation(): Promise<{ account: SeededAccount; follower: string; msgId: string }> {
  const account = await newAccount();
  const follower = openId();
  const msgId = bigMsgId();
  const now = Math.floor(Date.now() / 1000);
  await fx.receive(account, { FromUserName: follower, CreateTime: now, MsgType: "text", Content: content, MsgId: msgId });
  await fx.receive(account, { FromUserName: follower, CreateTime: now + 1, MsgType: "event", Event: "CLICK", EventKey: "MENU_HELP" });
  return { account, follower, msgId };
}

test("an encrypted message POSTed as WeChat appears in the log without a reload", async () => {
  const account = await newAccount();
  const follower = openId();
  const { page } = await fx.signedIn("admin", { account });
  await page.goto(at(account, "/messages"));
  await text(page, "还没有消息").waitFor();
  await screenshot(page, "zh-messages-empty");
  await fx.receive(account, { FromUserName: follower, MsgType: "text", Content: content, MsgId: bigMsgId() });
  await page.getByRole("link", { name: /你好，mpdesk/ }).waitFor({ timeout: LIVE_TIMEOUT });
  await fx.receive(account, { FromUserName: follower, CreateTime: Math.floor(Date.now() / 1000) + 1, MsgType: "event", Event: "CLICK", EventKey: "MENU_HELP" });
  await text(page, "MENU_HELP").waitFor({ timeout: LIVE_TIMEOUT });
  await screenshot(page, "zh-messages");
});

test("the detail shows every field, the exact MsgId and the raw XML", async () => {
  const { account, follower, msgId } = await conversation();
  const { page } = await fx.signedIn("admin", { account });
  await page.goto(at(account, "/messages"));
  await page.getByRole("link", { name: /你好，mpdesk/ }).click();
  await page.waitForURL((u) => new RegExp(`^/a/${account.appId}/messages/\\d+$`).test(u.pathname));
  assert.equal((await page.getByTestId("msg-id").innerText()).trim(), msgId);
  const raw = await page.getByTestId("raw-xml").innerText();
  assert.ok(raw.includes(`<MsgId><![CDATA[${msgId}]]></MsgId>`), raw);
  assert.ok(raw.includes("<Content><![CDATA[你好，mpdesk！<b>&amp; ]]]]><![CDATA[> 退款 Refund]]></Content>"), raw);
  assert.ok(raw.includes(`<FromUserName><![CDATA[${follower}]]></FromUserName>`));
  await text(page, "加密（兼容/安全模式）").waitFor();
  await screenshot(page, "zh-message-detail");
});

test("filters and content search live in the URL", async () => {
  const { account } = await conversation();
  const { page } = await fx.signedIn("admin", { account });
  await page.goto(at(account, "/messages"));
  await page.getByLabel("搜索内容").fill("退款");
  await page.getByRole("button", { name: "筛选", exact: true }).click();
  await page.waitForURL((u) => u.searchParams.get("q") === "退款");
  await page.getByRole("link", { name: /你好，mpdesk/ }).waitFor();
  assert.equal(await page.getByText("MENU_HELP").count(), 0);
  await page.goto(at(account, "/messages", "?q=refund")); // case-insensitive
  await page.getByRole("link", { name: /你好，mpdesk/ }).waitFor();
  await page.goto(at(account, "/messages", "?type=event&event=CLICK"));
  await text(page, "MENU_HELP").waitFor();
  await page.goto(at(account, "/messages", "?q=%E4%B8%8D%E5%AD%98%E5%9C%A8"));
  await text(page, "没有符合筛选条件的消息。").waitFor();
});

test("the follower's thread shows the 48-hour customer-service window", async () => {
  const { account, follower } = await conversation();
  const { page } = await fx.signedIn("admin", { account });
  await page.goto(at(account, `/messages/followers/${follower}`));
  await page.getByTestId("window-meter").getByText("开启中", { exact: true }).waitFor();
  await page
    .getByText(/你好，mpdesk/)
    .first()
    .waitFor();
  await screenshot(page, "zh-thread");
});

test("exports the current filter as CSV and NDJSON, streamed", async () => {
  const { account, msgId } = await conversation();
  const { context } = await fx.signedIn("admin", { account });
  const { rows } = await fx.sql.query(`SELECT id::text FROM message WHERE account_id = $1 AND msg_type = 'text'`, [account.id]);
  const csv = await context.request.get(`/api/messages/export?account=${account.appId}&format=csv&type=text`);
  assert.equal(csv.status(), 200);
  assert.match(csv.headers()["content-disposition"] ?? "", /attachment; filename="mpdesk-messages-.*\.csv"/);
  const csvText = await csv.text();
  assert.ok(csvText.startsWith("\uFEFFid,received_at,direction"));
  assert.equal(csvText.trim().split("\r\n").length, 2, "header + the one text message");
  assert.ok(csvText.includes(msgId));
  const nd = await context.request.get(`/api/messages/export?account=${account.appId}&format=ndjson`);
  const lines = (await nd.text())
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l));
  assert.equal(lines.length, 2);
  const msg = lines.find((l) => l.msgType === "text");
  assert.equal(msg.msgId, msgId);
  assert.equal(msg.content, content);
  assert.equal(msg.id, rows[0].id);
});

test("the overview counts and charts them, and shows a quarantined row with its reason", async (t) => {
  const { account } = await conversation();
  const { page } = await fx.signedIn("admin", { account });
  await page.goto(at(account));
  await page.getByRole("img", { name: /最近 30 天共 2 条消息/ }).waitFor();
  // A row the database refused for good is shown with its reason, not retried in silence.
  const { rows } = await fx.sql.query(
    `INSERT INTO message_quarantine (source, sqlstate, reason, payload) VALUES ('spool:e2e.json', '54000', 'index row size 3016 exceeds btree version 4 maximum 2704 for index "message_account_id_dedupe_key_key"', '{}') RETURNING id`,
  );
  t.after(() => fx.sql.query(`DELETE FROM message_quarantine WHERE id = $1`, [rows[0].id]));
  await page.reload();
  await text(page, "隔离的消息").waitFor();
  assert.equal(await page.getByTestId("quarantine-count").textContent(), "1");
  await text(page, "超出数据库限制").waitFor();
  await text(page, /index row size 3016 exceeds btree/).waitFor();
  await screenshot(page, "zh-overview");
});
