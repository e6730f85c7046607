import assert from "node:assert/strict";
import { test } from "node:test";
import type { Page } from "@playwright/test";
import { screenshot } from "../helpers/browser";
import { at, bigMsgId, openId, toNewAccount, useConsoleApp } from "../helpers/console-e2e";
import { verificationPath } from "../helpers/wechat-simulator";

// The console in English, on an account with a verified handshake, a message and a
// quarantined row, so every page has something to show.

const fx = useConsoleApp();
const text = (p: Page, s: string | RegExp) => p.getByText(s).first();

test("the main pages in English", async () => {
  const account = await fx.seedAccount({ mode: "safe", accountType: "service", certified: true });
  const follower = openId();
  await fx.receive(account, { FromUserName: follower, MsgType: "text", Content: "你好，mpdesk！ Refund", MsgId: bigMsgId() });
  const ok = await toNewAccount(() => fetch(fx.app.url + verificationPath(account, "6783157876945828351")));
  assert.equal(await ok.text(), "6783157876945828351");
  await fx.sql.query(
    `INSERT INTO message_quarantine (source, sqlstate, reason, payload) VALUES ('spool:e2e-en.json', '54000', 'index row size 3016 exceeds btree version 4 maximum 2704 for index "message_account_id_dedupe_key_key"', '{}')`,
  );
  const { page } = await fx.signedIn("admin", { account });

  await page.goto(at(account));
  await page.getByRole("button", { name: "English" }).click();
  await page.getByRole("heading", { name: "Overview" }).waitFor();
  await text(page, "Quarantined messages").waitFor();
  await text(page, "Exceeds a database limit").waitFor();
  await screenshot(page, "en-overview");
  for (const [path, heading, name] of [
    ["/", "Overview", "en-accounts"],
    [at(account, "/messages"), "Messages", "en-messages"],
    [at(account, "/settings"), "Connect to WeChat", "en-setup-1-account"],
    [at(account, "/settings/credentials"), "Connect to WeChat", "en-setup-2-credentials"],
    [at(account, `/messages/followers/${follower}`), "Follower thread", "en-thread"],
    [at(account, "/settings/api"), "Connect to WeChat", "en-setup-3-api"],
    [at(account, "/settings/menu"), "Connect to WeChat", "en-setup-4-menu"],
    [at(account, "/settings/server"), "Connect to WeChat", "en-setup-6-server"],
    [at(account, "/token"), "API access", "en-token"],
    [at(account, "/manage"), "Manage account", "en-manage"],
    ["/accounts/new", "Add account", "en-add-account"],
    ["/users", "Users", "en-users"],
  ] as const) {
    await page.goto(path);
    await page.getByRole("heading", { name: heading, exact: true }).waitFor();
    await screenshot(page, name);
  }
  // Dates name the month: 01/12/2026 could be either of two days.
  await page.goto(at(account, "/settings/server"));
  assert.match(
    await page.getByTestId("verification-status").innerText(),
    /\b\d{1,2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4}, \d{2}:\d{2}:\d{2}\b/,
  );
  assert.doesNotMatch(await page.getByTestId("verification-status").innerText(), /\d{2}\/\d{2}\/\d{4}/);
  await page.goto(at(account, "/token"));
  // A refresh event and the token's expiry give the page dates to show.
  await page.getByRole("button", { name: "Refresh now" }).click();
  await text(page, /Refreshed; valid until/).waitFor();
  await page.getByTestId("refresh-events").waitFor();
  assert.doesNotMatch(await page.locator("main").innerText(), /\d{2}\/\d{2}\/\d{4}/);
  await page.goto(at(account, "/settings/credentials"));
  await page.getByLabel("Plaintext").waitFor();
  await page.getByRole("button", { name: "Save", exact: true }).waitFor();
  await page.getByRole("button", { name: "Generate Token" }).waitFor();
  await page.goto(at(account, "/messages"));
  await page.getByRole("link", { name: /你好，mpdesk/ }).click();
  await page.getByRole("heading", { name: /Message #/ }).waitFor();
  await screenshot(page, "en-message-detail");
  await page.getByRole("button", { name: "中文" }).click();
  await page.getByRole("heading", { name: /消息详情/ }).waitFor();
});
