import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { test } from "node:test";
import type { Page } from "@playwright/test";
import { eventually } from "../helpers/eventually";
import { screenshot } from "../helpers/browser";
import { at, bigMsgId, openId, toNewAccount, useConsoleApp } from "../helpers/console-e2e";
import { messageXml, postSigned, signMessage } from "../helpers/wechat-simulator";

// Several accounts in one console, as people use them: an administrator adds a second account
// through the setup steps, switches between the two, sees each one's own log, renames and removes
// one; a member granted one account sees that one only, anywhere.

const fx = useConsoleApp();
const text = (p: Page, s: string | RegExp) => p.getByText(s).first();

const L = {
  "zh-CN": {
    add: "添加公众号",
    next: /下一步/,
    name: "显示名称",
    generateToken: "生成 Token",
    save: "保存",
    switcher: /当前账号/,
    empty: "还没有消息",
    manage: "重命名或删除",
    saveName: "保存名称",
    removeStart: "删除这个公众号…",
    removeSubmit: "永久删除",
    exportCsv: "导出 CSV",
    allAccounts: "全部公众号",
    typeAppId: /输入 AppID/,
    oneMessage: /^1 条消息$/,
  },
  "en-US": {
    add: "Add account",
    next: /Next/,
    name: "Display name",
    generateToken: "Generate Token",
    save: "Save",
    switcher: /Account/,
    empty: "No messages yet",
    manage: "Rename or remove",
    saveName: "Save name",
    removeStart: "Remove this account…",
    removeSubmit: "Remove for good",
    exportCsv: "Export CSV",
    allAccounts: "All accounts",
    typeAppId: /Type the AppID/,
    oneMessage: /^Messages: 1$/,
  },
} as const;

for (const locale of ["zh-CN", "en-US"] as const) {
  const l = L[locale];
  const tag = locale === "zh-CN" ? "zh" : "en";

  test(`${tag}: an administrator adds a second account, switches to it, sees its own log, renames and removes it`, async () => {
    const first = await fx.seedAccount({ mode: "safe" });
    const { page } = await fx.signedIn("admin", { locale });
    const appId = `wx${randomBytes(8).toString("hex")}`;
    const name = locale === "zh-CN" ? "客服号" : "Support";

    // Add account: the six steps again, the first two before the account exists.
    await page.goto("/");
    await page.getByRole("main").getByRole("link", { name: l.add }).click();
    await page.waitForURL((u) => u.pathname === "/accounts/new");
    await screenshot(page, `${tag}-add-account-1`);
    await page.getByRole("link", { name: l.next }).click();
    await page.waitForURL((u) => u.pathname === "/accounts/new/credentials");
    await page.getByLabel(l.name).fill(name);
    await page.getByLabel("AppID").fill(appId);
    await page.getByLabel("AppSecret").fill(randomBytes(16).toString("hex"));
    await page.getByRole("button", { name: l.generateToken }).click();
    await page.waitForFunction(() => (document.getElementById("token") as HTMLInputElement).value.length === 32);
    const token = await page.getByLabel("Token").inputValue();
    await screenshot(page, `${tag}-add-account-2`);
    await page.getByRole("button", { name: l.save, exact: true }).click();

    // Step 3, API access, is on the new account's own pages; so is its own server URL, the last step.
    await page.waitForURL((u) => u.pathname === at({ appId }, "/settings/api"));
    await page.goto(at({ appId }, "/settings/server"));
    assert.equal((await page.getByTestId("server-url").innerText()).trim(), `${fx.app.url}/api/wechat/${appId}`);
    await page.getByTestId("current-account").getByText(name).waitFor();
    await screenshot(page, `${tag}-add-account-3-server`);

    // Its log is empty; the switcher names both accounts and opens the same page of the other.
    await page.goto(at({ appId }, "/messages"));
    await text(page, l.empty).waitFor();
    const switcher = page.getByRole("banner").getByRole("button", { name: l.switcher });
    await switcher.click();
    const menu = page.locator("#account-switch-menu");
    await menu.getByRole("link", { name: new RegExp(name) }).waitFor();
    await menu.getByRole("link", { name: first.appId }).waitFor();
    await screenshot(page, `${tag}-switcher-open`);
    await menu.getByRole("link", { name: first.appId }).click();
    await page.waitForURL((u) => u.pathname === at(first, "/messages"));
    await page.getByTestId("current-account").getByText(first.appId).waitFor();
    await switcher.click();
    await menu.getByRole("link", { name: new RegExp(name) }).click();
    await page.waitForURL((u) => u.pathname === at({ appId }, "/messages"));
    await text(page, l.empty).waitFor();

    // A message signed with its Token, to its URL, is in its log and not in the first account's.
    const content = `${tag} to the second account ${randomBytes(3).toString("hex")}`;
    const xml = messageXml({
      ToUserName: "gh_second",
      FromUserName: openId(),
      CreateTime: Math.floor(Date.now() / 1000),
      MsgType: "text",
      Content: content,
      MsgId: bigMsgId(),
    });
    const signed = signMessage({ appId, token, mode: "plain" }, xml);
    const res = await toNewAccount(() => postSigned(fx.app.url, { ...signed, path: signed.path.replace("/api/wechat?", `/api/wechat/${appId}?`) }));
    assert.equal(res.status, 200, res.text);
    await eventually(
      async () => {
        await page.reload();
        return (await page.getByRole("link", { name: content }).count()) > 0;
      },
      { what: "the message in the second account's log", intervalMs: 500, timeoutMs: 15_000 },
    );
    await page.goto(at(first, "/messages"));
    await page.getByRole("heading", { level: 1 }).waitFor();
    assert.equal(await page.getByText(content).count(), 0, "the message shows in the first account");

    // The overview: one row per account, each linking to its own overview.
    await page.goto("/");
    const rows = page.getByTestId("account-row");
    assert.equal(await rows.count(), (await fx.sql.query(`SELECT count(*)::int AS n FROM account`)).rows[0].n);
    await rows.filter({ hasText: appId }).getByText(name).waitFor();
    await screenshot(page, `${tag}-overview-accounts`);
    await rows.filter({ hasText: appId }).getByRole("link").first().click();
    await page.waitForURL((u) => u.pathname === at({ appId }));

    // Rename, then remove with the counts named and the export offered first.
    await page.getByTestId("current-account").getByRole("link", { name: l.manage }).click();
    await page.waitForURL((u) => u.pathname === at({ appId }, "/manage"));
    await page.getByLabel(l.name).fill(`${name} 2`);
    await page.getByRole("button", { name: l.saveName }).click();
    await page.getByTestId("current-account").getByText(`${name} 2`).waitFor();
    await page.getByRole("button", { name: l.removeStart }).click();
    // What goes is named: the one message it received, among the rest.
    await page.getByTestId("removal-counts").getByText(l.oneMessage).waitFor();
    const exportHref = await page.getByRole("link", { name: l.exportCsv }).getAttribute("href");
    assert.equal(exportHref, `/api/messages/export?account=${appId}&format=csv`);
    const submit = page.getByRole("button", { name: l.removeSubmit });
    assert.ok(await submit.isDisabled(), "removal waits for the AppID typed again");
    await page.getByLabel(l.typeAppId).fill(appId);
    await screenshot(page, `${tag}-remove-confirm`);
    await submit.click();
    await page.waitForURL((u) => u.pathname === "/");
    assert.equal((await fx.sql.query(`SELECT count(*)::int AS n FROM account WHERE app_id = $1`, [appId])).rows[0].n, 0);
    assert.equal((await fx.sql.query(`SELECT count(*)::int AS n FROM account WHERE app_id = $1`, [first.appId])).rows[0].n, 1, "the other account stays");
    assert.equal((await page.goto(at({ appId }, "/messages")))?.status(), 404);
  });
}

test("a member granted one account sees that one only: overview, switcher, and 404 at the other's URL", async () => {
  const mine = await fx.seedAccount({ mode: "plain" });
  const other = await fx.seedAccount({ mode: "plain" });
  await fx.sql.query(`UPDATE account SET display_name = '订阅号' WHERE id = $1`, [mine.id]);
  const { page } = await fx.signedIn("viewer", { account: mine });

  await page.goto("/");
  const rows = page.getByTestId("account-row");
  assert.equal(await rows.count(), 1);
  await rows.getByText(mine.appId).waitFor();
  assert.equal(await page.getByText(other.appId).count(), 0, "the overview names the other account");
  // One account: no switcher, the header names it; no Add account for a member.
  assert.equal(await page.locator("#account-switch-menu").count(), 0);
  assert.equal(
    await page
      .getByRole("banner")
      .getByRole("button", { name: /当前账号/ })
      .count(),
    0,
  );
  await page.getByRole("banner").getByText("订阅号").waitFor();
  assert.equal(await page.getByRole("link", { name: "添加公众号" }).count(), 0);
  await screenshot(page, "zh-member-overview");

  for (const sub of ["", "/messages", "/settings/server", "/token"] as const) {
    const res = await page.goto(at(other, sub));
    assert.equal(res?.status(), 404, `${sub} of the other account`);
    assert.equal(await page.getByText(other.appId).count(), 0);
  }
  const mineRes = await page.goto(at(mine, "/messages"));
  assert.equal(mineRes?.status(), 200);
  // The old URLs open the granted account.
  await page.goto("/messages");
  assert.equal(new URL(page.url()).pathname, at(mine, "/messages"));
  // A member cannot add accounts, even at the URL.
  await page.goto("/accounts/new");
  await text(page, "没有权限").waitFor();
});
