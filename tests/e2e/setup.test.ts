import assert from "node:assert/strict";
import { afterEach, test } from "node:test";
import type { Page, Request } from "@playwright/test";
import { decryptSecret } from "../../lib/secrets";
import { TEST_ENCRYPTION_KEY } from "../helpers/app-server";
import { screenshot, signIn } from "../helpers/browser";
import { at, LIVE_TIMEOUT, toNewAccount, useConsoleApp } from "../helpers/console-e2e";
import { TOKEN_PATHS } from "../helpers/mock-wechat-api";
import { verificationPath } from "../helpers/wechat-simulator";

// The six setup steps, as an admin takes them, in their order: account type, credentials, API
// access, keep the menu, keep the auto-replies, server URL (the switch, last). The first two are about a console with no
// account yet (/accounts/new), so this file has an app of its own: every test starts with no
// account and removes the one it made, whatever the order they run in. Step 2 creates the
// account, and the steps after it are on the account's own pages (/a/<AppID>/settings/…).

const fx = useConsoleApp();
const text = (p: Page, s: string | RegExp) => p.getByText(s).first();
const APP_ID = "wx0123456789abcdef";
const APP_SECRET = "0123456789abcdefABCDEFGHIJ987654";

afterEach(async () => {
  await fx.sql.query(`DELETE FROM account`);
  await fx.sql.query(`NOTIFY mpdesk_account_changed`);
});

test("an admin signs in and lands on the overview, which asks to connect an account", async () => {
  const admin = await fx.newUser("admin");
  const { page } = await fx.signedOut();
  await signIn(page, admin.email, admin.password);
  await page.waitForURL((u) => u.pathname === "/");
  await text(page, "欢迎使用 mpdesk").waitFor();
  await screenshot(page, "zh-overview-empty");
  await page.getByRole("link", { name: /开始接入/ }).click();
  await page.waitForURL((u) => u.pathname === "/accounts/new");
  await page.getByRole("heading", { name: "接入微信", exact: true }).waitFor();
  // The pages of an account, from before the AppID was in the URL, lead here too while there is none.
  await page.goto("/settings");
  assert.equal(new URL(page.url()).pathname, "/");
});

test("step 1: the capability matrix follows the account type and certification", async () => {
  const { page } = await fx.signedIn("admin");
  await page.goto("/accounts/new");
  const row = (name: string) => page.locator("tr", { hasText: name });
  assert.match((await row("模板消息").innerText()) ?? "", /不可用/);
  await page.getByText("服务号", { exact: true }).click();
  await page.getByText("已认证", { exact: true }).click();
  assert.match(await row("模板消息").innerText(), /可用/);
  assert.doesNotMatch(await row("模板消息").innerText(), /不可用/);
  await text(page, "订阅号消息").waitFor(); // how to tell the kinds apart is on the page
  await screenshot(page, "zh-setup-1-account");
  await page.getByRole("link", { name: /下一步/ }).click();
  // The choice travels to step 2 in the URL until the first save creates the account.
  await page.waitForURL(
    (u) => u.pathname === "/accounts/new/credentials" && u.searchParams.get("type") === "service" && u.searchParams.get("certified") === "1",
  );
});

test("step 2: the first Save after a wrong AppID is not lost to the error appearing under it", async () => {
  const { page } = await fx.signedIn("admin");
  await page.goto("/accounts/new/credentials");
  // fill() leaves the focus in the field: the blur, and the inline error, come with the
  // mousedown on Save. The error must not move Save away before the mouseup.
  await page.getByLabel("AppID").fill("wx123");
  await page.getByRole("button", { name: "保存", exact: true }).click();
  await page.getByRole("alert").getByText("请修改标出的字段后再保存。").waitFor({ timeout: 5_000 });
  await text(page, "AppID 应为 wx 加 16 位十六进制字符，共 18 位。").waitFor();
});

test("step 2: shows what is wrong with each field, then creates the account and goes on to its step 3, API access", async () => {
  const { page } = await fx.signedIn("admin");
  // As step 1's Next leaves it: a certified service account.
  await page.goto("/accounts/new/credentials?type=service&certified=1");
  await page.getByLabel("AppID").fill("wx123");
  await page.getByLabel("Token").fill("ab");
  await page.getByRole("button", { name: "保存", exact: true }).click();
  await text(page, "AppID 应为 wx 加 16 位十六进制字符，共 18 位。").waitFor();
  await text(page, "Token 应为 3–32 位字母或数字。").waitFor();
  assert.equal(await page.getByLabel("AppID").getAttribute("aria-invalid"), "true");
  assert.match((await page.getByLabel("AppID").getAttribute("aria-describedby")) ?? "", /appId-error/);
  await screenshot(page, "zh-setup-2-errors");

  await page.getByLabel("AppID").fill(APP_ID);
  await page.getByLabel("AppSecret").fill(APP_SECRET);
  await page.getByRole("button", { name: "生成 Token" }).click();
  await page.waitForFunction(() => (document.getElementById("token") as HTMLInputElement).value.length === 32);
  await page.getByLabel("安全").check();
  await page.getByRole("button", { name: "保存", exact: true }).click();
  await text(page, "兼容和安全模式需要 EncodingAESKey。").waitFor();

  await page.getByRole("button", { name: "生成 EncodingAESKey" }).click();
  await page.waitForFunction(() => (document.getElementById("encodingAesKey") as HTMLInputElement).value.length === 43);
  const token = await page.getByLabel("Token").inputValue();
  const encodingAesKey = await page.getByLabel("EncodingAESKey").inputValue();
  await page.getByLabel("显示名称").fill("客服号");

  await page.getByRole("button", { name: "保存", exact: true }).click();
  await page.waitForURL((u) => u.pathname === `/a/${APP_ID}/settings/api`);
  await page.getByTestId("current-account").getByText("客服号").waitFor();
  await page.goto(`/a/${APP_ID}/settings/credentials`);

  // Secrets never come back to the browser: masked, with Replace.
  const html = await page.content();
  assert.ok(!html.includes(APP_SECRET), "the AppSecret is in the page");
  assert.ok(!html.includes(encodingAesKey), "the EncodingAESKey is in the page");
  assert.equal(await page.getByLabel("AppSecret").inputValue(), `已保存 ••••${APP_SECRET.slice(-4)}`);
  await page.getByRole("button", { name: "更换" }).first().waitFor();
  await screenshot(page, "zh-setup-2-saved");

  // Saving again with the secrets left masked keeps them.
  await page.reload();
  await page.getByRole("button", { name: "保存", exact: true }).click();
  await text(page, /已保存。新的配置已立即生效/).waitFor();
  await page.getByRole("link", { name: /下一步.*接口调用/ }).waitFor();

  const { rows } = await fx.sql.query(
    `SELECT id, app_id, display_name, token, message_mode, account_type, certified, app_secret_enc, encoding_aes_key_enc, previous_encoding_aes_key_enc FROM account`,
  );
  assert.equal(rows.length, 1);
  assert.deepEqual(
    [rows[0].app_id, rows[0].display_name, rows[0].token, rows[0].message_mode, rows[0].account_type, rows[0].certified],
    [APP_ID, "客服号", token, "safe", "service", true],
  );
  const key = Buffer.from(TEST_ENCRYPTION_KEY, "base64");
  assert.equal(decryptSecret(rows[0].app_secret_enc, key, "account.app_secret", rows[0].id), APP_SECRET, "stored encrypted, kept by the second save");
  assert.equal(decryptSecret(rows[0].encoding_aes_key_enc, key, "account.encoding_aes_key", rows[0].id), encodingAesKey);
  assert.equal(rows[0].previous_encoding_aes_key_enc, null, "saving the same key is no rotation");
});

test("the stepper gives the order, and each step's links follow it", async () => {
  // With the menu API, so the menu step is about the token alone.
  const sim = await fx.seedAccount({ mode: "safe", accountType: "service", certified: true });
  // The IP whitelist is not set yet: the menu step's own read of WeChat cannot get a token either.
  fx.wechatApi.failAlways(sim.appId, TOKEN_PATHS.stable, { errcode: 40164 });
  const { page } = await fx.signedIn("admin");
  await page.goto(at(sim, "/settings"));
  const stepper = page.getByRole("navigation", { name: "接入微信" });
  await stepper.getByRole("link", { name: /服务器地址/ }).waitFor();
  const labels = (await stepper.getByRole("listitem").allInnerTexts()).map((s) => s.replace(/^[✓\d]\s*/, "").trim());
  assert.deepEqual(labels, ["账号类型", "开发者凭据", "接口调用", "保留原有菜单", "保留原有自动回复", "服务器地址"]);
  const links = await stepper.getByRole("link").evaluateAll((as) => as.map((a) => new URL((a as HTMLAnchorElement).href).pathname));
  const order = ["/settings", "/settings/credentials", "/settings/api", "/settings/menu", "/settings/replies", "/settings/server"] as const;
  assert.deepEqual(
    links,
    order.map((p) => at(sim, p)),
  );
  await screenshot(page, "zh-setup-stepper");
  // Each step's Back and Next, the takeover pages included (the replies page reads WeChat: not here).
  const target = async (name: RegExp) => new URL((await page.getByRole("main").getByRole("link", { name }).getAttribute("href"))!, fx.app.url).pathname;
  for (const [path, back, next, nextName] of [
    ["/settings/api", "/settings/credentials", "/settings/menu", /^下一步：保留原有菜单/],
    ["/settings/menu", "/settings/api", "/settings/replies", /^下一步：保留原有自动回复/],
    ["/settings/server", "/settings/replies", "", /^完成，去概览/],
  ] as const) {
    await page.goto(at(sim, path));
    assert.equal(await target(/^← 上一步$/), at(sim, back), `back from ${path}`);
    assert.equal(await target(nextName), at(sim, next), `next from ${path}`);
  }
  // No token yet: the menu step says what to do first, and links to it.
  await page.goto(at(sim, "/settings/menu"));
  await text(page, "还没有可用的 access_token").waitFor();
  await page
    .getByRole("main")
    .getByRole("link", { name: /去接口调用/ })
    .click();
  await page.waitForURL((u) => u.pathname === at(sim, "/settings/api"));
  // The overview's "continue setup" leads to the first step not done: API access, here.
  await page.goto(at(sim, ""));
  assert.equal(await target(/^继续接入/), at(sim, "/settings/api"));
});

test("step 6: the URL to paste, then WeChat's handshake turns the status green without a reload", async () => {
  const sim = await fx.seedAccount({ mode: "safe" });
  const { context, page } = await fx.signedIn("admin");
  await page.goto(at(sim, "/settings/credentials"));
  await page.getByRole("link", { name: /下一步.*接口调用/ }).click();
  await page.waitForURL((u) => u.pathname === at(sim, "/settings/api"));
  await page.goto(at(sim, "/settings/server"));
  // The only account is the default one: its URL needs no AppID, though the one with it works too.
  assert.equal((await page.getByTestId("server-url").innerText()).trim(), `${fx.app.url}/api/wechat`);
  assert.match(await page.getByTestId("server-url-also").innerText(), new RegExp(`${fx.app.url}/api/wechat/${sim.appId}$`));
  await text(page, /这是本机地址/).waitFor(); // 127.0.0.1 cannot be reached by WeChat: said so
  await text(page, /微信只接受 80 端口/).waitFor();
  await text(page, "还没有收到微信的验证请求。在微信后台点「提交」后，这里会自动更新。").waitFor();

  // The Token and the EncodingAESKey to paste into the MP admin: masked, then shown and copied.
  assert.equal((await page.getByTestId("server-token").innerText()).trim(), `••••${sim.token.slice(-4)}`);
  assert.equal((await page.getByTestId("server-aes-key").innerText()).trim(), `••••${sim.encodingAesKey.slice(-4)}`);
  assert.ok(!(await page.content()).includes(sim.encodingAesKey), "the EncodingAESKey is in the page before Show");
  await page.getByRole("button", { name: "显示 EncodingAESKey" }).click();
  await page.waitForFunction((k) => document.querySelector('[data-testid="server-aes-key"]')?.textContent === k, sim.encodingAesKey);
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: fx.app.url });
  await page.getByRole("button", { name: "复制 Token" }).click();
  await page.getByRole("button", { name: "已复制 Token" }).waitFor();
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), sim.token);
  await page.getByRole("button", { name: "复制 EncodingAESKey" }).click();
  await page.getByRole("button", { name: "已复制 EncodingAESKey" }).waitFor();
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), sim.encodingAesKey);
  await screenshot(page, "zh-setup-6-secrets");
  await page.getByRole("button", { name: "隐藏 EncodingAESKey" }).click();
  await page.waitForFunction((m) => document.querySelector('[data-testid="server-aes-key"]')?.textContent === m, `••••${sim.encodingAesKey.slice(-4)}`);

  // WeChat with a different Token: the page says the Token differs.
  const bad = await toNewAccount(() => fetch(fx.app.url + verificationPath(sim, "1234567890", "WrongToken123")));
  assert.equal(bad.status, 401);
  await page
    .getByTestId("verification-status")
    .getByText(/签名不匹配/)
    .waitFor({ timeout: LIVE_TIMEOUT });

  const ok = await fetch(fx.app.url + verificationPath(sim, "6783157876945828351"));
  assert.equal(await ok.text(), "6783157876945828351");
  await page
    .getByTestId("verification-status")
    .getByText(/微信在 .* 验证了这个地址/)
    .waitFor({ timeout: LIVE_TIMEOUT });
  await screenshot(page, "zh-setup-6-verified");
});

test("step 3: Test connection names the IP to whitelist, then succeeds; both tries are logged", async () => {
  const sim = await fx.seedAccount({ accountType: "service", certified: true });
  const { page } = await fx.signedIn("admin");
  await page.goto(at(sim, "/settings/credentials"));
  await page.getByRole("link", { name: /下一步.*接口调用/ }).click();
  await page.waitForURL((u) => u.pathname === at(sim, "/settings/api"));
  await text(page, /IP白名单/).waitFor();
  // WeChat refuses: this server's address is not whitelisted (40164 names it).
  fx.wechatApi.script(sim.appId, TOKEN_PATHS.stable, { errcode: 40164 });
  await page.getByRole("button", { name: "测试连接" }).click();
  await page.getByRole("alert").getByText("连接失败").waitFor();
  assert.equal((await page.getByTestId("whitelist-ip").first().innerText()).trim(), "203.0.113.7");
  await text(page, /请在公众号后台「设置与开发 → 基本配置」的 IP 白名单中添加 203\.0\.113\.7/).waitFor();
  await screenshot(page, "zh-setup-3-whitelist");
  await page.getByRole("button", { name: "测试连接" }).click();
  await text(page, /连接成功：已获取 access_token/).waitFor();
  await page.getByTestId("token-status").getByText("稳定版 stable_token").waitFor();
  await screenshot(page, "zh-setup-3-connected");
  await page.goto(at(sim, "/token"));
  const events = page.getByTestId("refresh-events").locator("tbody tr");
  await events.first().waitFor();
  assert.equal(await events.count(), 2, "the two test connections");
});

test("API access: refresh events and Refresh now, on the account's own token page", async () => {
  const sim = await fx.seedAccount({ accountType: "service", certified: true });
  const { page } = await fx.signedIn("admin");
  await page.goto(at(sim, "/token"));
  await page.getByRole("button", { name: "立即刷新" }).waitFor();
  const before = await page.getByTestId("refresh-events").locator("tbody tr").count();
  await page.getByRole("button", { name: "立即刷新" }).click();
  await text(page, /已刷新，有效期至/).waitFor();
  await page.waitForFunction((n) => document.querySelectorAll('[data-testid="refresh-events"] tbody tr').length === n, before + 1);
  // API keys may cover several accounts: they have a page of their own.
  assert.equal(await page.getByLabel("密钥名称").count(), 0);
  await page.getByRole("main").getByRole("link", { name: "API 密钥" }).waitFor();
  await screenshot(page, "zh-token");
});

test("API keys: a bad name is refused under the field; a key is shown once, covers only the accounts ticked, and stops working when revoked", async () => {
  const a = await fx.seedAccount({ accountType: "service", certified: true });
  const b = await fx.seedAccount({ accountType: "service", certified: true });
  const { page } = await fx.signedIn("admin");
  await page.goto("/api-keys");

  // A name the server refuses: the error sits under the field and the field points at it.
  await page.getByLabel("密钥名称").fill("-bad name");
  await page.getByRole("button", { name: "创建密钥" }).click();
  await page
    .locator("#key-name-error")
    .getByText(/名称为 1–64 个/)
    .waitFor();
  assert.equal(await page.getByLabel("密钥名称").getAttribute("aria-invalid"), "true");
  assert.match((await page.getByLabel("密钥名称").getAttribute("aria-describedby")) ?? "", /\bkey-name-error\b/);

  await page.getByLabel("密钥名称").fill("crm");
  await page.getByText("仅以下公众号", { exact: true }).click();
  await page.getByLabel(a.appId).check();
  await page.getByRole("button", { name: "创建密钥" }).click();
  const key = (await page.getByTestId("new-api-key").innerText()).trim();
  assert.match(key, /^mpd_/);
  const token = (appId: string) => fetch(`${fx.app.url}/api/token?account=${appId}`, { headers: { authorization: `Bearer ${key}` } });
  const own = await token(a.appId);
  assert.equal(own.status, 200);
  assert.ok(((await own.json()) as { access_token?: string }).access_token);
  assert.equal((await token(b.appId)).status, 403, "a key for A fetches nothing of B");
  // The form starts again from "every account", the account list folded away with it.
  assert.equal(await page.getByLabel("所有公众号（包括以后添加的）").isChecked(), true);
  assert.equal(await page.getByLabel(a.appId).count(), 0);
  await screenshot(page, "zh-api-keys");

  await page.reload();
  assert.equal(await page.getByText(key).count(), 0, "the key is shown once only");
  assert.equal((await page.getByTestId("key-accounts").first().innerText()).trim(), a.appId);
  page.once("dialog", (d) => void d.accept());
  await page.getByRole("button", { name: "吊销 crm" }).click();
  await text(page, "已吊销「crm」。").waitFor();
  assert.equal((await token(a.appId)).status, 401);
});
