import assert from "node:assert/strict";
import { pairKey } from "../../lib/auth/login-throttle";
import { after, before, describe, test } from "node:test";
import type { Browser, BrowserContext, Page, Request } from "@playwright/test";
import pg from "pg";
import { hashPassword } from "../../lib/auth/password";
import { decryptSecret } from "../../lib/secrets";
import { startApp, TEST_ENCRYPTION_KEY, type AppServer } from "../helpers/app-server";
import { cspViolations, launchBrowser, newContext, screenshot, signIn } from "../helpers/browser";
import { startMockWeChatApi, TOKEN_PATHS, type MockWeChatApi } from "../helpers/mock-wechat-api";
import { openId } from "../helpers/message-catalog";
import { createTestDatabase } from "../helpers/test-database";
import { bigMsgId, messageXml, postSigned, signMessage, verificationPath, type SimAccount } from "../helpers/wechat-simulator";

// A newcomer's path through the console in Chromium, as a person would take it: sign in, the
// four setup steps, WeChat's handshake and a first message, the log, the detail, a thread,
// the export; then what a viewer may and may not do. The app, its database and the requests
// WeChat would send are all real.

const ADMIN = { email: "admin@example.com", password: "correct horse battery" };
const VIEWER = { email: "viewer@example.com", password: "viewer password 1" };
const THROTTLED = { email: "throttled@example.com", password: "throttled password 1" };
const APP_ID = "wx0123456789abcdef";
const APP_SECRET = "0123456789abcdefABCDEFGHIJ987654";
const LIVE_TIMEOUT = 15_000;

let db: Awaited<ReturnType<typeof createTestDatabase>>;
let app: AppServer;
let sql: pg.Client;
let wechatApi: MockWeChatApi;
let browser: Browser;
let admin: BrowserContext;
let page: Page;
let sim: SimAccount & { encodingAesKey: string };
let capturedSave: { url: string; headers: Record<string, string>; body: Buffer } | null = null;
let capturedReveal: { url: string; headers: Record<string, string>; body: Buffer } | null = null;
const follower = openId();
const msgId = bigMsgId();
const content = "你好，mpdesk！<b>&amp; ]]> 退款 Refund";

before(async () => {
  db = await createTestDatabase();
  sql = new pg.Client({ connectionString: db.url });
  await sql.connect();
  // WeChat's server API (access_token) played over real HTTP.
  wechatApi = await startMockWeChatApi();
  wechatApi.addApp({ appId: APP_ID, secret: APP_SECRET });
  app = await startApp({ databaseUrl: db.url, env: { WECHAT_API_BASE: wechatApi.url } });
  // The first admin comes from ADMIN_EMAIL/ADMIN_PASSWORD at start; the others as an admin would add them.
  for (const u of [VIEWER, THROTTLED]) {
    await sql.query(`INSERT INTO "user" (id, email, password_hash, role) VALUES (gen_random_uuid(), $1, $2, 'viewer')`, [u.email, await hashPassword(u.password)]);
  }
  browser = await launchBrowser();
  admin = await newContext(browser, app.url);
  page = await admin.newPage();
});

after(async () => {
  await browser?.close();
  await app?.stop();
  await wechatApi?.close();
  await sql?.end();
  await db?.drop();
});

const text = (p: Page, s: string | RegExp) => p.getByText(s).first();

describe("signed out", () => {
  test("every console page redirects to /login; the API answers 401", async () => {
    for (const path of ["/", "/messages", "/settings/credentials", "/users"]) {
      await page.goto(path);
      const url = new URL(page.url());
      assert.equal(url.pathname, "/login", `${path} did not redirect`);
    }
    const res = await fetch(`${app.url}/api/messages/export?format=csv`, { redirect: "manual" });
    assert.equal(res.status, 401);
    await screenshot(page, "zh-login");
  });

  test("a wrong password is refused without saying which field was wrong", async () => {
    await signIn(page, ADMIN.email, "wrong password");
    await text(page, "邮箱或密码不正确。").waitFor();
    assert.equal(new URL(page.url()).pathname, "/login");
  });

  test("five failures lock that e-mail from this address, even for the right password", async () => {
    for (let i = 0; i < 5; i++) {
      await signIn(page, THROTTLED.email, `wrong ${i}`);
      await text(page, "邮箱或密码不正确。").waitFor();
    }
    await signIn(page, THROTTLED.email, THROTTLED.password);
    await text(page, /登录失败次数过多/).waitFor();
    assert.equal(new URL(page.url()).pathname, "/login");
    // Counted per (e-mail, address) in PostgreSQL: five failures and the refused sixth attempt.
    const { rows } = await sql.query(`SELECT attempts FROM login_throttle WHERE key = $1`, [pairKey(THROTTLED.email, "127.0.0.1")]);
    assert.equal(rows[0]?.attempts, 6, "attempts are kept in PostgreSQL");
    await screenshot(page, "zh-login-throttled");
  });

  test("the language switch changes every label and is remembered", async () => {
    await page.goto("/login");
    await page.getByRole("button", { name: "English" }).click();
    await page.getByRole("button", { name: "Sign in", exact: true }).waitFor();
    await page.reload();
    await page.getByLabel("Email").waitFor();
    await page.getByLabel("Password").waitFor();
    assert.equal(await page.locator("html").getAttribute("lang"), "en");
    await screenshot(page, "en-login");
    await page.getByRole("button", { name: "中文" }).click();
    await page.getByRole("button", { name: "登录", exact: true }).waitFor();
  });
});

describe("guided setup, as an admin", () => {
  test("signs in and lands on the overview, which asks to connect an account", async () => {
    await signIn(page, ADMIN.email, ADMIN.password);
    await page.waitForURL((u) => u.pathname === "/");
    await text(page, "欢迎使用 mpdesk").waitFor();
    await screenshot(page, "zh-overview-empty");
    await page.getByRole("link", { name: /开始接入/ }).click();
    await page.waitForURL((u) => u.pathname === "/settings");
  });

  test("step 1: the capability matrix follows the account type and certification", async () => {
    const row = (name: string) => page.locator("tr", { hasText: name });
    assert.match((await row("模板消息").innerText()) ?? "", /不可用/);
    await page.getByText("服务号", { exact: true }).click();
    await page.getByText("已认证", { exact: true }).click();
    assert.match(await row("模板消息").innerText(), /可用/);
    assert.doesNotMatch(await row("模板消息").innerText(), /不可用/);
    await text(page, "订阅号消息").waitFor(); // how to tell the kinds apart is on the page
    await screenshot(page, "zh-setup-1-account");
    await page.getByRole("link", { name: /下一步/ }).click();
    await page.waitForURL((u) => u.pathname === "/settings/credentials");
  });

  test("step 2: the first Save after a wrong AppID is not lost to the error appearing under it", async () => {
    // fill() leaves the focus in the field: the blur, and the inline error, come with the
    // mousedown on Save. The error must not move Save away before the mouseup.
    await page.getByLabel("AppID").fill("wx123");
    await page.getByRole("button", { name: "保存", exact: true }).click();
    await page.getByRole("alert").getByText("请修改标出的字段后再保存。").waitFor({ timeout: 5_000 });
    await text(page, "AppID 应为 wx 加 16 位十六进制字符，共 18 位。").waitFor();
    await page.reload();
  });

  test("step 2: shows what is wrong with each field, then saves", async () => {
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
    sim = { appId: APP_ID, token, encodingAesKey, mode: "safe" };

    await page.getByRole("button", { name: "保存", exact: true }).click();
    await text(page, /已保存。新的配置已立即生效/).waitFor();

    // Secrets never come back to the browser: masked, with Replace.
    const html = await page.content();
    assert.ok(!html.includes(APP_SECRET), "the AppSecret is in the page");
    assert.ok(!html.includes(encodingAesKey), "the EncodingAESKey is in the page");
    assert.equal(await page.getByLabel("AppSecret").inputValue(), `已保存 ••••${APP_SECRET.slice(-4)}`);
    await page.getByRole("button", { name: "更换" }).first().waitFor();
    await screenshot(page, "zh-setup-2-saved");

    // Saving again with the secrets left masked keeps them. This request is kept for the viewer test.
    const onRequest = async (r: Request) => {
      if (r.method() === "POST" && r.headers()["next-action"]) {
        capturedSave = { url: r.url(), headers: await r.allHeaders(), body: r.postDataBuffer() ?? Buffer.alloc(0) };
      }
    };
    page.on("request", onRequest);
    await page.reload();
    await page.getByRole("button", { name: "保存", exact: true }).click();
    await text(page, /已保存。新的配置已立即生效/).waitFor();
    page.off("request", onRequest);

    const { rows } = await sql.query(`SELECT id, app_id, token, message_mode, account_type, certified, app_secret_enc, encoding_aes_key_enc, previous_encoding_aes_key_enc FROM account`);
    assert.equal(rows.length, 1);
    assert.deepEqual([rows[0].app_id, rows[0].token, rows[0].message_mode, rows[0].account_type, rows[0].certified], [APP_ID, token, "safe", "service", true]);
    const key = Buffer.from(TEST_ENCRYPTION_KEY, "base64");
    assert.equal(decryptSecret(rows[0].app_secret_enc, key, "account.app_secret", rows[0].id), APP_SECRET, "stored encrypted, kept by the second save");
    assert.equal(decryptSecret(rows[0].encoding_aes_key_enc, key, "account.encoding_aes_key", rows[0].id), encodingAesKey);
    assert.equal(rows[0].previous_encoding_aes_key_enc, null, "saving the same key is no rotation");
  });

  test("step 3: the URL to paste, then WeChat's handshake turns the status green without a reload", async () => {
    await page.getByRole("link", { name: /下一步.*服务器地址/ }).click();
    await page.waitForURL((u) => u.pathname === "/settings/server");
    assert.equal((await page.getByTestId("server-url").innerText()).trim(), `${app.url}/api/wechat`);
    await text(page, /这是本机地址/).waitFor(); // 127.0.0.1 cannot be reached by WeChat: said so
    await text(page, /微信只接受 80 端口/).waitFor();
    await text(page, "还没有收到微信的验证请求。在微信后台点「提交」后，这里会自动更新。").waitFor();

    // The Token and the EncodingAESKey to paste into the MP admin: masked, then shown and copied.
    assert.equal((await page.getByTestId("server-token").innerText()).trim(), `••••${sim.token.slice(-4)}`);
    assert.equal((await page.getByTestId("server-aes-key").innerText()).trim(), `••••${sim.encodingAesKey.slice(-4)}`);
    assert.ok(!(await page.content()).includes(sim.encodingAesKey), "the EncodingAESKey is in the page before Show");
    const onRequest = async (r: Request) => {
      if (r.method() === "POST" && r.headers()["next-action"]) capturedReveal = { url: r.url(), headers: await r.allHeaders(), body: r.postDataBuffer() ?? Buffer.alloc(0) };
    };
    page.on("request", onRequest);
    await page.getByRole("button", { name: "显示 EncodingAESKey" }).click();
    await page.waitForFunction((k) => document.querySelector('[data-testid="server-aes-key"]')?.textContent === k, sim.encodingAesKey);
    page.off("request", onRequest);
    await admin.grantPermissions(["clipboard-read", "clipboard-write"], { origin: app.url });
    await page.getByRole("button", { name: "复制 Token" }).click();
    await page.getByRole("button", { name: "已复制 Token" }).waitFor();
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), sim.token);
    await page.getByRole("button", { name: "复制 EncodingAESKey" }).click();
    await page.getByRole("button", { name: "已复制 EncodingAESKey" }).waitFor();
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), sim.encodingAesKey);
    await screenshot(page, "zh-setup-3-secrets");
    await page.getByRole("button", { name: "隐藏 EncodingAESKey" }).click();
    await page.waitForFunction((m) => document.querySelector('[data-testid="server-aes-key"]')?.textContent === m, `••••${sim.encodingAesKey.slice(-4)}`);

    // WeChat with a different Token: the page says the Token differs.
    const bad = await fetch(app.url + verificationPath(sim, "1234567890", "WrongToken123"));
    assert.equal(bad.status, 401);
    await page.getByTestId("verification-status").getByText(/签名不匹配/).waitFor({ timeout: LIVE_TIMEOUT });

    const ok = await fetch(app.url + verificationPath(sim, "6783157876945828351"));
    assert.equal(await ok.text(), "6783157876945828351");
    await page.getByTestId("verification-status").getByText(/微信在 .* 验证了这个地址/).waitFor({ timeout: LIVE_TIMEOUT });
    await screenshot(page, "zh-setup-3-verified");
  });

  test("step 4: Test connection names the IP to whitelist, then succeeds", async () => {
    await page.getByRole("link", { name: /下一步.*接口调用/ }).click();
    await page.waitForURL((u) => u.pathname === "/settings/api");
    await text(page, /IP白名单/).waitFor();
    // WeChat refuses: this server's address is not whitelisted (40164 names it).
    wechatApi.script(APP_ID, TOKEN_PATHS.stable, { errcode: 40164 });
    await page.getByRole("button", { name: "测试连接" }).click();
    await page.getByRole("alert").getByText("连接失败").waitFor();
    assert.equal((await page.getByTestId("whitelist-ip").first().innerText()).trim(), "203.0.113.7");
    await text(page, /请在公众号后台「设置与开发 → 基本配置」的 IP 白名单中添加 203\.0\.113\.7/).waitFor();
    await screenshot(page, "zh-setup-4-whitelist");
    await page.getByRole("button", { name: "测试连接" }).click();
    await text(page, /连接成功：已获取 access_token/).waitFor();
    await page.getByTestId("token-status").getByText("稳定版 stable_token").waitFor();
    await screenshot(page, "zh-setup-4-connected");
  });
});

describe("messages", () => {
  let messageId: string;

  test("an encrypted message POSTed as WeChat appears in the log without a reload", async () => {
    await page.goto("/messages");
    await text(page, "还没有消息").waitFor();
    await screenshot(page, "zh-messages-empty");
    const xml = messageXml({ ToUserName: "gh_97417a04a28d", FromUserName: follower, CreateTime: Math.floor(Date.now() / 1000), MsgType: "text", Content: content, MsgId: msgId });
    const res = await postSigned(app.url, signMessage(sim, xml));
    assert.equal(res.status, 200, res.text);
    await page.getByRole("link", { name: /你好，mpdesk/ }).waitFor({ timeout: LIVE_TIMEOUT });
    const event = messageXml({ ToUserName: "gh_97417a04a28d", FromUserName: follower, CreateTime: Math.floor(Date.now() / 1000) + 1, MsgType: "event", Event: "CLICK", EventKey: "MENU_HELP" });
    assert.equal((await postSigned(app.url, signMessage(sim, event))).status, 200);
    await text(page, "MENU_HELP").waitFor({ timeout: LIVE_TIMEOUT });
    await screenshot(page, "zh-messages");
  });

  test("the detail shows every field, the exact MsgId and the raw XML", async () => {
    await page.getByRole("link", { name: /你好，mpdesk/ }).click();
    await page.waitForURL((u) => /^\/messages\/\d+$/.test(u.pathname));
    messageId = new URL(page.url()).pathname.split("/").pop()!;
    assert.equal((await page.getByTestId("msg-id").innerText()).trim(), msgId);
    const raw = await page.getByTestId("raw-xml").innerText();
    assert.ok(raw.includes(`<MsgId><![CDATA[${msgId}]]></MsgId>`), raw);
    assert.ok(raw.includes("<Content><![CDATA[你好，mpdesk！<b>&amp; ]]]]><![CDATA[> 退款 Refund]]></Content>"), raw);
    assert.ok(raw.includes(`<FromUserName><![CDATA[${follower}]]></FromUserName>`));
    await text(page, "加密（兼容/安全模式）").waitFor();
    await screenshot(page, "zh-message-detail");
  });

  test("filters and content search live in the URL", async () => {
    await page.goto("/messages");
    await page.getByLabel("搜索内容").fill("退款");
    await page.getByRole("button", { name: "筛选", exact: true }).click();
    await page.waitForURL((u) => u.searchParams.get("q") === "退款");
    await page.getByRole("link", { name: /你好，mpdesk/ }).waitFor();
    assert.equal(await page.getByText("MENU_HELP").count(), 0);
    await page.goto("/messages?q=refund"); // case-insensitive
    await page.getByRole("link", { name: /你好，mpdesk/ }).waitFor();
    await page.goto("/messages?type=event&event=CLICK");
    await text(page, "MENU_HELP").waitFor();
    await page.goto("/messages?q=%E4%B8%8D%E5%AD%98%E5%9C%A8");
    await text(page, "没有符合筛选条件的消息。").waitFor();
  });

  test("the follower's thread shows the 48-hour customer-service window", async () => {
    await page.goto(`/messages/followers/${follower}`);
    await text(page, /客服消息窗口开启中/).waitFor();
    await page.getByText(/你好，mpdesk/).first().waitFor();
    await screenshot(page, "zh-thread");
  });

  test("exports the current filter as CSV and NDJSON, streamed", async () => {
    const csv = await admin.request.get("/api/messages/export?format=csv&type=text");
    assert.equal(csv.status(), 200);
    assert.match(csv.headers()["content-disposition"] ?? "", /attachment; filename="mpdesk-messages-.*\.csv"/);
    const csvText = await csv.text();
    assert.ok(csvText.startsWith("\uFEFFid,received_at,direction"));
    assert.equal(csvText.trim().split("\r\n").length, 2, "header + the one text message");
    assert.ok(csvText.includes(msgId));
    const nd = await admin.request.get("/api/messages/export?format=ndjson");
    const lines = (await nd.text()).trim().split("\n").map((l) => JSON.parse(l));
    assert.equal(lines.length, 2);
    const msg = lines.find((l) => l.msgType === "text");
    assert.equal(msg.msgId, msgId);
    assert.equal(msg.content, content);
    assert.equal(msg.id, messageId);
  });

  test("the overview counts it and charts it", async () => {
    await page.goto("/");
    await page.getByRole("img", { name: /最近 30 天共 2 条消息/ }).waitFor();
    // A row the database refused for good is shown with its reason, not retried in silence.
    await sql.query(
      `INSERT INTO message_quarantine (source, sqlstate, reason, payload) VALUES ('spool:e2e.json', '54000', 'index row size 3016 exceeds btree version 4 maximum 2704 for index "message_account_id_dedupe_key_key"', '{}')`,
    );
    await page.reload();
    await text(page, "隔离的消息").waitFor();
    assert.equal(await page.getByTestId("quarantine-count").textContent(), "1");
    await text(page, "超出数据库限制").waitFor();
    await text(page, /index row size 3016 exceeds btree/).waitFor();
    await screenshot(page, "zh-overview");
  });
});

describe("API access", () => {
  test("refresh events, Refresh now, and API keys shown once then revoked", async () => {
    await page.goto("/token");
    const events = page.getByTestId("refresh-events").locator("tbody tr");
    await events.first().waitFor();
    const before = await events.count();
    assert.equal(before, 2, "the two test connections");
    await page.getByRole("button", { name: "立即刷新" }).click();
    await text(page, /已刷新，有效期至/).waitFor();
    await page.waitForFunction((n) => document.querySelectorAll('[data-testid="refresh-events"] tbody tr').length === n, before + 1);

    // A name the server refuses: the error sits under the field and the field points at it.
    await page.getByLabel("密钥名称").fill("-bad name");
    await page.getByRole("button", { name: "创建密钥" }).click();
    await page.locator("#key-name-error").getByText(/名称为 1–64 个/).waitFor();
    assert.equal(await page.getByLabel("密钥名称").getAttribute("aria-invalid"), "true");
    assert.match((await page.getByLabel("密钥名称").getAttribute("aria-describedby")) ?? "", /\bkey-name-error\b/);

    await page.getByLabel("密钥名称").fill("crm");
    await page.getByRole("button", { name: "创建密钥" }).click();
    const key = (await page.getByTestId("new-api-key").innerText()).trim();
    assert.match(key, /^mpd_/);
    const res = await fetch(`${app.url}/api/token`, { headers: { authorization: `Bearer ${key}` } });
    assert.equal(res.status, 200);
    assert.ok(((await res.json()) as { access_token?: string }).access_token);
    await screenshot(page, "zh-token");
    await page.reload();
    assert.equal(await page.getByText(key).count(), 0, "the key is shown once only");
    page.once("dialog", (d) => void d.accept());
    await page.getByRole("button", { name: "吊销 crm" }).click();
    await text(page, "已吊销「crm」。").waitFor();
    const after = await fetch(`${app.url}/api/token`, { headers: { authorization: `Bearer ${key}` } });
    assert.equal(after.status, 401);
  });
});

describe("a viewer", () => {
  let viewer: BrowserContext;
  let vpage: Page;

  before(async () => {
    viewer = await newContext(browser, app.url);
    vpage = await viewer.newPage();
    await signIn(vpage, VIEWER.email, VIEWER.password);
    await vpage.waitForURL((u) => u.pathname === "/");
  });
  after(async () => viewer?.close());

  test("reads messages but sees the settings disabled", async () => {
    await vpage.goto("/messages");
    await vpage.getByRole("link", { name: /你好，mpdesk/ }).waitFor();
    await vpage.goto("/settings/credentials");
    assert.ok(await vpage.getByLabel("AppID").isDisabled());
    assert.ok(await vpage.getByLabel("Token").isDisabled());
    assert.equal(await vpage.getByRole("button", { name: "保存", exact: true }).count(), 0);
    await text(vpage, "你是只读成员，可以查看设置但不能修改。").waitFor();
    assert.equal(await vpage.getByRole("link", { name: "成员" }).count(), 0, "no Users page in the menu");
    await vpage.goto("/token");
    await vpage.getByRole("heading", { name: "接口凭证", exact: true }).waitFor();
    assert.equal(await vpage.getByRole("button", { name: "立即刷新" }).count(), 0);
    assert.equal(await vpage.getByRole("button", { name: "创建密钥" }).count(), 0);
    await vpage.goto("/settings/credentials");
    await screenshot(vpage, "zh-viewer-settings");
    await vpage.setViewportSize({ width: 390, height: 844 });
    await vpage.goto("/messages");
    await vpage.getByRole("button", { name: "菜单" }).click();
    await vpage.getByRole("navigation", { name: "菜单" }).getByRole("link", { name: "消息" }).waitFor();
    await screenshot(vpage, "zh-mobile-messages");
    await vpage.setViewportSize({ width: 1280, height: 860 });
  });

  test("never receives the Token or the EncodingAESKey, not even by calling the Show action", async () => {
    for (const path of ["/settings/server", "/settings/credentials"]) {
      await vpage.goto(path);
      const html = await vpage.content();
      assert.ok(!html.includes(sim.token), `the Token is in ${path}`);
      assert.ok(!html.includes(sim.encodingAesKey), `the EncodingAESKey is in ${path}`);
    }
    await vpage.goto("/settings/server");
    assert.equal((await vpage.getByTestId("server-aes-key").innerText()).trim(), `••••${sim.encodingAesKey.slice(-4)}`);
    assert.equal(await vpage.getByRole("button", { name: /^显示/ }).count(), 0);
    await screenshot(vpage, "zh-viewer-server");
    // The admin's own Show request, replayed with the viewer's session.
    assert.ok(capturedReveal, "the admin's Show request was captured");
    const { cookie: _c, "content-length": _l, host: _h, ...headers } = capturedReveal.headers;
    const res = await viewer.request.post(capturedReveal.url, { headers, data: capturedReveal.body });
    assert.ok(!(await res.text()).includes(sim.encodingAesKey), "the action gave the viewer the key");
    const asAdmin = await admin.request.post(capturedReveal.url, { headers, data: capturedReveal.body });
    assert.ok((await asAdmin.text()).includes(sim.encodingAesKey), "the replay itself works for an admin");
  });

  test("cannot save settings even by calling the server action directly", async () => {
    assert.ok(capturedSave, "the admin's save request was captured");
    const before = (await sql.query(`SELECT token, updated_at FROM account`)).rows[0];
    // The admin's own request, replayed with the viewer's session and a different Token.
    const body = Buffer.from(capturedSave.body.toString("latin1").replace(sim.token, "HijackedToken123"), "latin1");
    const { cookie: _c, "content-length": _l, host: _h, ...headers } = capturedSave.headers;
    const res = await viewer.request.post(capturedSave.url, { headers, data: body });
    const answer = await res.text();
    assert.ok(answer.includes("没有权限"), `the action did not refuse: ${res.status()} ${answer.slice(0, 300)}`);
    const now = (await sql.query(`SELECT token, updated_at FROM account`)).rows[0];
    assert.deepEqual(now, before, "the account changed");
    // And the same replay with the admin's session does go through: the refusal was the role.
    const ok = await admin.request.post(capturedSave.url, { headers, data: body });
    const adminAnswer = await ok.text();
    assert.ok(adminAnswer.includes("已保存"), adminAnswer.slice(0, 300));
    assert.equal((await sql.query(`SELECT token FROM account`)).rows[0].token, "HijackedToken123");
    await sql.query(`UPDATE account SET token = $1`, [sim.token]);
    await sql.query(`NOTIFY mpdesk_account_changed`);
  });

  test("changes their own password: field errors, then their other session ends and this one stays", async () => {
    const other = await newContext(browser, app.url);
    const opage = await other.newPage();
    try {
      await signIn(opage, VIEWER.email, VIEWER.password);
      await opage.waitForURL((u) => u.pathname === "/");
      await vpage.goto("/password");
      const form = {
        current: vpage.getByLabel("当前密码", { exact: true }),
        next: vpage.getByLabel("新密码", { exact: true }),
        again: vpage.getByLabel("再次输入新密码", { exact: true }),
        submit: vpage.getByRole("button", { name: "修改密码", exact: true }),
      };
      await form.current.fill("not my password");
      await form.next.fill("a brand new password");
      await form.again.fill("a brand new password");
      await form.submit.click();
      await text(vpage, "当前密码不正确。").waitFor();
      await form.current.fill(VIEWER.password);
      await form.next.fill("a brand new password");
      await form.again.fill("another one");
      await form.submit.click();
      await text(vpage, "两次输入的新密码不一致。").waitFor();
      await form.current.fill(VIEWER.password);
      await form.next.fill("a brand new password");
      await form.again.fill("a brand new password");
      await form.submit.click();
      await text(vpage, "密码已修改，其他登录已失效。").waitFor();
      // This browser's session was issued afresh; the other one has ended.
      await vpage.goto("/messages");
      assert.equal(new URL(vpage.url()).pathname, "/messages");
      await opage.goto("/messages");
      assert.equal(new URL(opage.url()).pathname, "/login");
      VIEWER.password = "a brand new password";
    } finally {
      await other.close();
    }
  });
});

describe("in English", () => {
  test("the main pages", async () => {
    await page.goto("/");
    await page.getByRole("button", { name: "English" }).click();
    await page.getByRole("heading", { name: "Overview" }).waitFor();
    await text(page, "Quarantined messages").waitFor();
    await text(page, "Exceeds a database limit").waitFor();
    await screenshot(page, "en-overview");
    for (const [path, heading, name] of [
      ["/messages", "Messages", "en-messages"],
      ["/settings", "Connect to WeChat", "en-setup-1-account"],
      ["/settings/credentials", "Connect to WeChat", "en-setup-2-credentials"],
      ["/settings/server", "Connect to WeChat", "en-setup-3-server"],
      [`/messages/followers/${follower}`, "Follower thread", "en-thread"],
      ["/settings/api", "Connect to WeChat", "en-setup-4-api"],
      ["/token", "API access", "en-token"],
      ["/users", "Users", "en-users"],
    ] as const) {
      await page.goto(path);
      await page.getByRole("heading", { name: heading, exact: true }).waitFor();
      await screenshot(page, name);
    }
    // Dates name the month: 01/12/2026 could be either of two days.
    await page.goto("/settings/server");
    assert.match(await page.getByTestId("verification-status").innerText(), /\b\d{1,2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4}, \d{2}:\d{2}:\d{2}\b/);
    assert.doesNotMatch(await page.getByTestId("verification-status").innerText(), /\d{2}\/\d{2}\/\d{4}/);
    await page.goto("/token");
    assert.doesNotMatch(await page.locator("main").innerText(), /\d{2}\/\d{2}\/\d{4}/);
    await page.goto("/settings/credentials");
    await page.getByLabel("Plaintext").waitFor();
    await page.getByRole("button", { name: "Save", exact: true }).waitFor();
    await page.getByRole("button", { name: "Generate Token" }).waitFor();
    await page.goto("/messages");
    await page.getByRole("link", { name: /你好，mpdesk/ }).click();
    await page.getByRole("heading", { name: /Message #/ }).waitFor();
    await screenshot(page, "en-message-detail");
    await page.getByRole("button", { name: "中文" }).click();
    await page.getByRole("heading", { name: /消息详情/ }).waitFor();
  });
});

describe("signing out", () => {
  test("ends the session", async () => {
    await page.goto("/");
    await page.getByRole("button", { name: "退出登录" }).first().click();
    await page.waitForURL((u) => u.pathname === "/login");
    await page.goto("/messages");
    assert.equal(new URL(page.url()).pathname, "/login");
  });
});

describe("Content-Security-Policy", () => {
  test("no page of the whole journey violated it", () => {
    assert.deepEqual(cspViolations, []);
  });
});
