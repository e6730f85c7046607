import assert from "node:assert/strict";
import { test } from "node:test";
import type { Page } from "@playwright/test";
import { screenshot } from "../helpers/browser";
import { at, bigMsgId, openId, useConsoleApp } from "../helpers/console-e2e";
import { captureAction, replayHeaders } from "../helpers/replay-action";

// What a viewer may and may not do. The refusals are checked where they matter, on the server:
// an admin's own server-action request is captured in the browser and replayed with a viewer's
// session, and then with the admin's, to show that the role, not the request, was refused.

const fx = useConsoleApp();
const text = (p: Page, s: string | RegExp) => p.getByText(s).first();

test("reads messages but sees the settings disabled", async () => {
  const account = await fx.seedAccount();
  await fx.receive(account, { FromUserName: openId(), MsgType: "text", Content: "你好，mpdesk！", MsgId: bigMsgId() });
  const { page: vpage } = await fx.signedIn("viewer", { account });
  await vpage.goto(at(account, "/messages"));
  await vpage.getByRole("link", { name: /你好，mpdesk/ }).waitFor();
  await vpage.goto(at(account, "/settings/credentials"));
  assert.ok(await vpage.getByLabel("AppID").isDisabled());
  assert.ok(await vpage.getByLabel("Token").isDisabled());
  assert.equal(await vpage.getByRole("button", { name: "保存", exact: true }).count(), 0);
  await text(vpage, "你是只读成员，可以查看设置但不能修改。").waitFor();
  assert.equal(await vpage.getByRole("link", { name: "成员" }).count(), 0, "no Users page in the menu");
  await vpage.goto(at(account, "/token"));
  await vpage.getByRole("heading", { name: "接口凭证", exact: true }).waitFor();
  assert.equal(await vpage.getByRole("button", { name: "立即刷新" }).count(), 0);
  assert.equal(await vpage.getByRole("link", { name: "重命名或删除" }).count(), 0, "a viewer cannot rename or remove the account");
  await vpage.goto(at(account, "/manage"));
  await text(vpage, "没有权限").waitFor();
  assert.equal(await vpage.getByRole("button", { name: "保存名称" }).count(), 0);
  await vpage.goto(at(account, "/settings/credentials"));
  await screenshot(vpage, "zh-viewer-settings");
  await vpage.setViewportSize({ width: 390, height: 844 });
  await vpage.goto(at(account, "/messages"));
  await vpage.getByRole("button", { name: "菜单" }).click();
  await vpage.getByRole("navigation", { name: "菜单" }).getByRole("link", { name: "消息" }).waitFor();
  await screenshot(vpage, "zh-mobile-messages");
});

test("never receives the Token or the EncodingAESKey, not even by calling the Show action", async () => {
  const sim = await fx.seedAccount({ mode: "safe" });
  const admin = await fx.signedIn("admin", { account: sim });
  await admin.page.goto(at(sim, "/settings/server"));
  const reveal = await captureAction(admin.page, async () => {
    await admin.page.getByRole("button", { name: "显示 EncodingAESKey" }).click();
    await admin.page.waitForFunction((k) => document.querySelector('[data-testid="server-aes-key"]')?.textContent === k, sim.encodingAesKey);
  });

  const viewer = await fx.signedIn("viewer", { account: sim });
  const vpage = viewer.page;
  for (const path of [at(sim, "/settings/server"), at(sim, "/settings/credentials")]) {
    await vpage.goto(path);
    const html = await vpage.content();
    assert.ok(!html.includes(sim.token), `the Token is in ${path}`);
    assert.ok(!html.includes(sim.encodingAesKey), `the EncodingAESKey is in ${path}`);
  }
  await vpage.goto(at(sim, "/settings/server"));
  assert.equal((await vpage.getByTestId("server-aes-key").innerText()).trim(), `••••${sim.encodingAesKey.slice(-4)}`);
  assert.equal(await vpage.getByRole("button", { name: /^显示/ }).count(), 0);
  await screenshot(vpage, "zh-viewer-server");
  // The admin's own Show request, replayed with the viewer's session.
  const headers = replayHeaders(reveal);
  const res = await viewer.context.request.post(reveal.url, { headers, data: reveal.body });
  assert.ok(!(await res.text()).includes(sim.encodingAesKey), "the action gave the viewer the key");
  const asAdmin = await admin.context.request.post(reveal.url, { headers, data: reveal.body });
  assert.ok((await asAdmin.text()).includes(sim.encodingAesKey), "the replay itself works for an admin");
});

test("cannot save settings even by calling the server action directly", async () => {
  const sim = await fx.seedAccount({ mode: "safe" });
  const admin = await fx.signedIn("admin", { account: sim });
  await admin.page.goto(at(sim, "/settings/credentials"));
  // Saving with the secrets left masked keeps them: the request to replay.
  const save = await captureAction(admin.page, async () => {
    await admin.page.getByRole("button", { name: "保存", exact: true }).click();
    await text(admin.page, /已保存。新的配置已立即生效/).waitFor();
  });
  const viewer = await fx.signedIn("viewer", { account: sim });
  const before = (await fx.sql.query(`SELECT token, updated_at FROM account WHERE id = $1`, [sim.id])).rows[0];
  // The admin's own request, replayed with the viewer's session and a different Token.
  const body = Buffer.from(save.body.toString("latin1").replace(sim.token, "HijackedToken123"), "latin1");
  const headers = replayHeaders(save);
  const res = await viewer.context.request.post(save.url, { headers, data: body });
  const answer = await res.text();
  assert.ok(answer.includes("没有权限"), `the action did not refuse: ${res.status()} ${answer.slice(0, 300)}`);
  const now = (await fx.sql.query(`SELECT token, updated_at FROM account WHERE id = $1`, [sim.id])).rows[0];
  assert.deepEqual(now, before, "the account changed");
  // And the same replay with the admin's session does go through: the refusal was the role.
  const ok = await admin.context.request.post(save.url, { headers, data: body });
  const adminAnswer = await ok.text();
  assert.ok(adminAnswer.includes("已保存"), adminAnswer.slice(0, 300));
  assert.equal((await fx.sql.query(`SELECT token FROM account WHERE id = $1`, [sim.id])).rows[0].token, "HijackedToken123");
});
