import assert from "node:assert/strict";
import { beforeEach, test } from "node:test";
import type { Page } from "@playwright/test";
import { screenshot } from "../helpers/browser";
import { at, bigMsgId, LIVE_TIMEOUT, openId, useConsoleApp, type SeededAccount } from "../helpers/console-e2e";
import { CUSTOM_SEND_PATH, installCustomSend } from "../helpers/mock-wechat/custom-send";
import { installMediaApis } from "../helpers/mock-wechat/media";
import { captureAction, replayHeaders } from "../helpers/replay-action";

// The customer-service inbox in Chromium, against WeChat's custom/send and media/upload played
// over HTTP: a follower's signed message puts them in the inbox with an unread count, live; an
// admin answers from the thread while the meter counts down; WeChat's refusal reads in words;
// and a viewer reads all of it, has no composer, and the server refuses the send replayed.

const fx = useConsoleApp();
let wechat: ReturnType<typeof installCustomSend>;
let media: ReturnType<typeof installMediaApis>;
// Installed by the first test: the fixture's hooks, which start the mock, are not done when a
// hook of this file runs.
beforeEach(() => {
  if (wechat) return;
  wechat = installCustomSend(fx.wechatApi);
  media = installMediaApis(fx.wechatApi);
});

// A 1×1 PNG.
const PNG = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==", "base64");

/** The follower writes: a signed callback to mpdesk, and WeChat on its side opens the window. */
async function follows(account: SeededAccount, from: string, content: string) {
  await fx.receive(account, { FromUserName: from, MsgType: "text", Content: content, MsgId: bigMsgId() });
  wechat.interact(account.appId, from, "message");
}

const row = (page: Page, from: string) => page.locator(`[data-testid="inbox-row"][data-openid="${from}"]`);
const countdown = async (page: Page, testId: string) => (await page.getByTestId(testId).first().innerText()).trim();

/** The countdown shows h:mm:ss, a little under 48 hours, and moves. */
async function assertCountingDown(page: Page, testId: string) {
  const first = await countdown(page, testId);
  assert.match(first, /^47:5\d:\d\d$/, `the window's time left: ${first}`);
  await page.waitForFunction(([id, was]) => document.querySelector(`[data-testid="${id}"]`)?.textContent?.trim() !== was, [testId, first] as const, {
    timeout: 5_000,
  });
}

test("zh: the waiting follower in the inbox, live; a reply from the thread while the meter counts down; a failure in words; a viewer reads and cannot send", async () => {
  const account = await fx.seedAccount({ accountType: "service", certified: true });
  const follower = openId();
  await follows(account, follower, "你好，我的订单还没发货");
  const admin = await fx.signedIn("admin", { locale: "zh-CN" });
  const page = admin.page;

  await page.goto(at(account));
  await page.getByRole("link", { name: "收件箱" }).click();
  await page.getByRole("heading", { name: "收件箱", exact: true }).waitFor();
  await row(page, follower).getByText("1 条未读").waitFor();
  await row(page, follower).getByText("你好，我的订单还没发货").waitFor();
  await assertCountingDown(page, "inbox-left");
  // A second message appears without a reload.
  await follows(account, follower, "请帮我查一下");
  await row(page, follower).getByText("2 条未读").waitFor({ timeout: LIVE_TIMEOUT });
  await row(page, follower).getByText("请帮我查一下").waitFor();
  await screenshot(page, "zh-inbox");

  // Opening the thread reads it.
  await row(page, follower)
    .getByRole("link", { name: `打开对话: ${follower}` })
    .click();
  await page.getByRole("heading", { name: "粉丝对话" }).waitFor();
  const meter = page.getByTestId("window-meter");
  await meter.getByText("开启中").waitFor();
  await meter.getByText("粉丝发来消息：48 小时内最多 5 条").waitFor();
  await meter.getByText("剩余 5 条").waitFor();
  await meter.getByText("已用 0 / 5").waitFor();
  await assertCountingDown(page, "window-countdown");
  await page.goto(at(account, "/inbox"));
  await row(page, follower).getByText("0 条未读").waitFor();
  await row(page, follower)
    .getByRole("link", { name: `打开对话: ${follower}` })
    .click();

  // The reply, captured to be replayed by the viewer below.
  const send = await captureAction(page, async () => {
    await page.getByLabel("消息内容").fill("您好，已为您查询，今天发货。");
    await page.getByRole("button", { name: "发送", exact: true }).click();
    await page.getByText("已发送。").waitFor();
  });
  await meter.getByText("剩余 4 条").waitFor();
  await meter.getByText("已用 1 / 5").waitFor();
  assert.deepEqual(
    wechat.sends(account.appId, follower).map(({ body: { access_token: _token, ...body } }) => body),
    [{ touser: follower, msgtype: "text", text: { content: "您好，已为您查询，今天发货。" } }],
  );
  const sent = page.getByTestId("outbound-row").filter({ hasText: "您好，已为您查询，今天发货。" });
  await sent.getByTestId("send-status").getByText("已发送").waitFor();
  await sent.getByText(admin.user.email).waitFor();
  assert.equal(await page.getByLabel("消息内容").inputValue(), "", "the composer is cleared after sending");

  // An image, uploaded as temporary media, then sent by its media_id.
  assert.equal((await page.getByTestId("composer-file").innerText()).trim(), "未选择图片");
  await page.getByLabel("图片（可选）").setInputFiles({ name: "发货单.png", mimeType: "image/png", buffer: PNG });
  assert.equal((await page.getByTestId("composer-file").innerText()).trim(), "发货单.png", "the chosen file is named");
  await page.getByRole("button", { name: "发送", exact: true }).click();
  await meter.getByText("剩余 3 条").waitFor();
  const image = wechat.sends(account.appId, follower).at(-1)!;
  assert.equal(image.msgtype, "image");
  const uploaded = media.get(String((image.body.image as { media_id: string }).media_id));
  assert.ok(uploaded && !uploaded.permanent, "sent as temporary media");
  assert.deepEqual(uploaded.bytes, PNG);
  const imageRow = page.getByTestId("outbound-row").filter({ has: page.getByRole("img", { name: "[图片]" }) });
  await imageRow.getByTestId("send-status").getByText("已发送").waitFor();
  assert.equal((await page.getByTestId("composer-file").innerText()).trim(), "未选择图片", "the chosen file is cleared with the form");
  // Drawn from the copy mpdesk kept, not from WeChat.
  await page.waitForFunction(() =>
    [...document.querySelectorAll<HTMLImageElement>("[data-testid=outbound-row] img")].some((i) => i.complete && i.naturalWidth > 0),
  );

  // WeChat refuses the next one: the row says so, with the errcode explained.
  fx.wechatApi.script(account.appId, CUSTOM_SEND_PATH, { errcode: 43004 });
  await page.getByLabel("消息内容").fill("还在吗？");
  await page.getByRole("button", { name: "发送", exact: true }).click();
  await page
    .getByRole("alert")
    .getByText(/发送失败：该粉丝已取消关注（43004）/)
    .waitFor();
  const failed = page.getByTestId("outbound-row").filter({ hasText: "还在吗？" });
  await failed.getByTestId("send-status").getByText("发送失败").waitFor();
  await failed
    .getByTestId("send-error")
    .getByText(/微信返回 43004/)
    .waitFor();
  await failed.getByTestId("send-error").getByText("该粉丝已取消关注（43004），在其重新关注之前无法向其发送消息。").waitFor();
  await meter.getByText("剩余 3 条").waitFor();
  await screenshot(page, "zh-inbox-thread");

  // Answered: the follower no longer waits.
  await page.goto(at(account, "/inbox"));
  await page.getByRole("heading", { name: "收件箱", exact: true }).waitFor();
  assert.equal(await row(page, follower).count(), 0, "an answered follower is not waiting");

  // A viewer: the inbox and the thread, no composer; the admin's send replayed is refused.
  const other = openId();
  await follows(account, other, "营业时间是几点？");
  const viewer = await fx.signedIn("viewer", { account, locale: "zh-CN" });
  const vpage = viewer.page;
  await vpage.goto(at(account, "/inbox"));
  await row(vpage, other).getByText("1 条未读").waitFor();
  await vpage.goto(at(account, `/messages/followers/${encodeURIComponent(follower)}`));
  await vpage.getByText("您好，已为您查询，今天发货。").waitFor();
  await vpage.getByTestId("window-meter").getByText("剩余 3 条").waitFor();
  await vpage.getByText("你是这个账号的只读成员，可以查看对话，不能回复。").waitFor();
  assert.equal(await vpage.getByRole("button", { name: "发送", exact: true }).count(), 0, "no composer for a viewer");
  assert.equal(await vpage.getByLabel("消息内容").count(), 0);
  const sendsBefore = wechat.sends(account.appId).length;
  const rowsBefore = (await fx.sql.query(`SELECT count(*)::int AS n FROM message WHERE account_id = $1 AND direction = 'outbound'`, [account.id])).rows[0].n;
  const headers = replayHeaders(send);
  const res = await viewer.context.request.post(send.url, { headers, data: send.body });
  const answer = await res.text();
  assert.ok(answer.includes("没有权限"), `the action did not refuse: ${res.status()} ${answer.slice(0, 300)}`);
  assert.equal(wechat.sends(account.appId).length, sendsBefore, "WeChat was called for the viewer");
  const rowsAfter = (await fx.sql.query(`SELECT count(*)::int AS n FROM message WHERE account_id = $1 AND direction = 'outbound'`, [account.id])).rows[0].n;
  assert.equal(rowsAfter, rowsBefore, "an outbound row was stored for the viewer");
  // The same replay as the admin goes through: the role was refused, not the request.
  const asAdmin = await admin.context.request.post(send.url, { headers, data: send.body });
  assert.ok((await asAdmin.text()).includes("已发送"), "the replay itself works for an admin");
  assert.equal(wechat.sends(account.appId).length, sendsBefore + 1);
});

test("en: the inbox and the thread in English; the meter goes from 5 left to 4; a closed window refuses before WeChat is called", async () => {
  const account = await fx.seedAccount({ accountType: "service", certified: true });
  const follower = openId();
  await follows(account, follower, "Is the shop open on Sunday?");
  const { page } = await fx.signedIn("admin", { locale: "en-US" });
  await page.goto(at(account, "/inbox"));
  await page.getByRole("heading", { name: "Inbox", exact: true }).waitFor();
  assert.equal(await page.title().then((t) => t.startsWith("Inbox")), true, `title: ${await page.title()}`);
  await row(page, follower).getByText("1 unread").waitFor();
  await assertCountingDown(page, "inbox-left");
  await screenshot(page, "en-inbox");

  await row(page, follower)
    .getByRole("link", { name: `Open the conversation: ${follower}` })
    .click();
  const meter = page.getByTestId("window-meter");
  await meter.getByText("The follower wrote: up to 5 messages within 48 h").waitFor();
  await meter.getByText("5 left").waitFor();
  await assertCountingDown(page, "window-countdown");
  await page.getByLabel("Message").fill("Yes, from 10:00 to 18:00.");
  await page.getByRole("button", { name: "Send", exact: true }).click();
  await page.getByText("Sent.").waitFor();
  await meter.getByText("4 left").waitFor();
  await page.getByTestId("outbound-row").filter({ hasText: "Yes, from 10:00 to 18:00." }).getByTestId("send-status").getByText("Sent").waitFor();
  await screenshot(page, "en-inbox-thread");

  // Another follower whose last interaction was 3 days ago: mpdesk refuses, WeChat is not called.
  const late = openId();
  await fx.receive(account, { FromUserName: late, MsgType: "text", Content: "hello?", MsgId: bigMsgId() });
  await fx.sql.query(`UPDATE message SET received_at = now() - interval '3 days' WHERE account_id = $1 AND from_user = $2`, [account.id, late]);
  const calls = fx.wechatApi.bodies(account.appId, CUSTOM_SEND_PATH).length;
  await page.goto(at(account, `/messages/followers/${encodeURIComponent(late)}`));
  await meter.getByText("Closed").waitFor();
  await page.getByLabel("Message").fill("Sorry for the delay.");
  await page.getByRole("button", { name: "Send", exact: true }).click();
  await page
    .getByRole("alert")
    .getByText(/Not sent: The follower's window is closed/)
    .waitFor();
  assert.equal(fx.wechatApi.bodies(account.appId, CUSTOM_SEND_PATH).length, calls, "WeChat was called for a closed window");
  await page.goto(at(account, "/inbox"));
  assert.equal(await row(page, late).count(), 0, "a follower whose window closed is not in the inbox");
});

test("an account without the customer-service API gets the composer disabled, with the reason", async () => {
  const account = await fx.seedAccount({ accountType: "subscription", certified: false });
  const follower = openId();
  await follows(account, follower, "你好");
  const { page } = await fx.signedIn("admin", { locale: "zh-CN" });
  await page.goto(at(account, `/messages/followers/${encodeURIComponent(follower)}`));
  await page
    .getByTestId("composer-disabled")
    .getByText(/这个账号不能发送客服消息（微信会返回 48001）：需要微信认证/)
    .waitFor();
  assert.ok(await page.getByLabel("消息内容").isDisabled());
  assert.ok(await page.getByRole("button", { name: "发送", exact: true }).isDisabled());
});

test("a busy inbox in pages of 50: Older leads to the rest, Back to newest returns (zh and en)", async () => {
  const account = await fx.seedAccount({ mode: "plain", accountType: "service", certified: true });
  const followers = Array.from({ length: 53 }, () => openId());
  for (const [i, f] of followers.entries()) await fx.receive(account, { FromUserName: f, MsgType: "text", Content: `第 ${i} 位`, MsgId: bigMsgId() });
  const newestFirst = [...followers].reverse();
  for (const [locale, older, newest] of [
    ["zh-CN", "较早", "回到最新"],
    ["en-US", "Older", "Back to newest"],
  ] as const) {
    const { page } = await fx.signedIn("admin", { locale });
    await page.goto(at(account, "/inbox"));
    await row(page, newestFirst[0]!).waitFor();
    const shown = () => page.locator('[data-testid="inbox-row"]').evaluateAll((rows) => rows.map((r) => r.getAttribute("data-openid")));
    assert.deepEqual(await shown(), newestFirst.slice(0, 50));
    assert.equal(await page.getByRole("link", { name: newest }).count(), 0, "the first page has no way back");
    await page.getByRole("link", { name: new RegExp(`^${older}`) }).click();
    await row(page, newestFirst[50]!).waitFor();
    assert.deepEqual(await shown(), newestFirst.slice(50), "the second page holds the other three, none again");
    assert.equal(await page.getByRole("link", { name: new RegExp(`^${older}`) }).count(), 0, "no third page");
    await screenshot(page, `${locale.slice(0, 2)}-inbox-page-2`);
    await page.getByRole("link", { name: newest }).click();
    await row(page, newestFirst[0]!).waitFor();
    assert.equal((await shown()).length, 50);
  }
});

test("a reply-all send mpdesk refused itself reads as its reason alone, in zh and en", async () => {
  const account = await fx.seedAccount({ mode: "plain", accountType: "service", certified: true });
  const follower = openId();
  await fx.receive(account, { FromUserName: follower, MsgType: "text", Content: "图片", MsgId: bigMsgId() });
  // As the send worker stores a deferred rule send that the meter refused: no errcode, the reason in errmsg.
  await fx.sql.query(
    `INSERT INTO message (account_id, direction, msg_type, from_user, to_user, content, raw_xml, fields, send_via, send_source, send_status, send_errmsg, received_at)
     VALUES ($1, 'outbound', 'text', 'gh_e2e', $2, '第二条回复', '', '{}', 'custom', 'rule', 'failed', 'window_closed', now())`,
    [account.id, follower],
  );
  for (const [locale, reason] of [
    ["zh-CN", "该粉丝的客服消息窗口已关闭"],
    ["en-US", "The follower's window is closed"],
  ] as const) {
    const { page } = await fx.signedIn("admin", { locale });
    await page.goto(at(account, `/messages/followers/${encodeURIComponent(follower)}`));
    const note = page.getByTestId("send-error");
    await note.getByText(reason).waitFor();
    assert.doesNotMatch(await note.innerText(), /errcode|\?/, "no errcode line for a refusal WeChat never saw");
    await screenshot(page, `${locale.slice(0, 2)}-thread-refused`);
  }
});
