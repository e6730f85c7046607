import assert from "node:assert/strict";
import { test } from "node:test";
import { screenshot } from "../helpers/browser";
import { useConsoleApp } from "../helpers/console-e2e";

// The API keys page with scopes, in Chromium: what is ticked is what the key may do, and the
// list says it, in both languages.

const fx = useConsoleApp();

test("a key with only messages:send: ticked on the page, listed with its scope, refused a token, let through to send", async () => {
  const account = await fx.seedAccount({ accountType: "service", certified: true });
  const { page } = await fx.signedIn("admin");
  await page.goto("/api-keys");

  // token:read is ticked by default, as every key had it before scopes; nothing ticked is refused.
  assert.equal(await page.getByLabel("token:read").isChecked(), true);
  assert.equal(await page.getByLabel("messages:send").isChecked(), false);
  await page.getByLabel("密钥名称").fill("crm-sender");
  await page.getByLabel("token:read").uncheck();
  await page.getByRole("button", { name: "创建密钥" }).click();
  await page.locator("#key-permissions-error").getByText("请至少选择一项权限。").waitFor();
  assert.match((await page.getByRole("group", { name: "权限" }).getAttribute("aria-describedby")) ?? "", /key-permissions-error/);

  // A form action resets the form, as after a bad name: fill it in again.
  await page.getByLabel("密钥名称").fill("crm-sender");
  await page.getByLabel("messages:send").check();
  await page.getByLabel("token:read").uncheck();
  await page.getByRole("button", { name: "创建密钥" }).click();
  const key = (await page.getByTestId("new-api-key").innerText()).trim();
  assert.match(key, /^mpd_/);
  assert.equal(await page.getByLabel("token:read").isChecked(), true, "the form starts again from the default");
  await page.reload();
  assert.equal((await page.getByTestId("key-scopes").first().innerText()).trim(), "messages:send");
  await screenshot(page, "zh-api-keys-scopes");

  const bearer = { authorization: `Bearer ${key}` };
  const token = await fetch(`${fx.app.url}/api/token?account=${account.appId}`, { headers: bearer });
  assert.equal(token.status, 403);
  // Past the key and its scope: no follower has written, so the window is closed.
  const sent = await fetch(`${fx.app.url}/api/messages`, {
    method: "POST",
    headers: { ...bearer, "content-type": "application/json" },
    body: JSON.stringify({ account: account.appId, touser: "oNobodyWroteYet", msgtype: "text", text: { content: "您好" } }),
  });
  assert.equal(sent.status, 409);
  assert.deepEqual(await sent.json(), { error: "window_closed" });

  const en = await fx.signedIn("admin", { locale: "en-US" });
  await en.page.goto("/api-keys");
  await en.page.getByText("Send customer-service messages (POST /api/messages)").waitFor();
  await en.page.getByRole("columnheader", { name: "Scopes" }).waitFor();
  await screenshot(en.page, "en-api-keys-scopes");
});
