import assert from "node:assert/strict";
import { test } from "node:test";
import { screenshot } from "../helpers/browser";
import { at, bigMsgId, openId, toNewAccount, useConsoleApp, type SeededAccount } from "../helpers/console-e2e";
import { eventually } from "../helpers/eventually";
import { installMediaApis } from "../helpers/mock-wechat/media";
import { messageXml, postSigned, signMessage } from "../helpers/wechat-simulator";
import { captureAction, replayHeaders } from "../helpers/replay-action";

// Reply rules in the console: a rule made with the form, found by the tester, and answered by the
// callback to a signed message; a viewer reads and tests but cannot save, even by replaying.

const fx = useConsoleApp();

// A 1×1 PNG.
const PNG = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==", "base64");

/** The callback's answer to a text from a follower, once the app has reloaded the rules. */
async function replyTo(account: SeededAccount, content: string, expect: string): Promise<string> {
  return eventually(
    async () => {
      const xml = messageXml({
        ToUserName: "gh_97417a04a28d",
        FromUserName: openId(),
        CreateTime: Math.floor(Date.now() / 1000),
        MsgType: "text",
        Content: content,
        MsgId: bigMsgId(),
      });
      const res = await toNewAccount(() => postSigned(fx.app.url, signMessage(account, xml)));
      assert.equal(res.status, 200, res.text);
      return res.text.includes(expect) ? res.text : false;
    },
    { what: `the reply to "${content}"` },
  );
}

test("zh: a keyword rule made with the form, the tester and a signed message all give its reply", async () => {
  const account = await fx.seedAccount({ mode: "plain", accountType: "subscription", certified: false });
  const { page } = await fx.signedIn("admin");
  await page.goto(at(account, "/rules"));
  await page.getByRole("heading", { name: "还没有回复规则" }).waitFor();
  await page.getByRole("navigation", { name: "主导航" }).getByRole("link", { name: "回复规则" }).waitFor();
  await page.getByRole("link", { name: "新建规则" }).click();
  await page.getByRole("heading", { name: "新建回复规则" }).waitFor();
  await page.getByLabel("规则名称").fill("价格");
  await page.getByLabel("关键词 1 的匹配方式").selectOption("regex");
  await page.getByLabel("关键词 1", { exact: true }).fill("(?<=多少)价格");
  await page.getByLabel("文字内容").fill("99 元，包邮");
  // Reply-all needs the customer-service API, which an unverified account has not.
  assert.ok(await page.getByRole("radio", { name: /回复全部/ }).isDisabled());
  await page.getByText("「回复全部」需要客服消息接口：未认证的订阅号和服务号没有这个接口").waitFor();
  await page.getByRole("button", { name: "保存规则" }).click();
  // RE2 refuses look-behind, and the error names the field.
  await page
    .getByText(/关键词 1 不是有效的 RE2 正则表达式/)
    .first()
    .waitFor();
  await screenshot(page, "zh-rule-editor-error");
  // What was chosen stays chosen after a refused save.
  assert.equal(await page.getByLabel("触发方式").inputValue(), "keyword");
  assert.equal(await page.getByLabel("关键词 1 的匹配方式").inputValue(), "regex");
  await page.getByLabel("关键词 1 的匹配方式").selectOption("contain");
  await page.getByLabel("关键词 1", { exact: true }).fill("价格");
  await page.getByRole("button", { name: "添加关键词" }).click();
  await page.getByLabel("关键词 2", { exact: true }).fill("多少钱");
  await page.getByLabel("只在这个时间段回复").check();
  await page.getByText("按公众号时区 Asia/Shanghai").waitFor();
  await page.getByLabel("只在这个时间段回复").uncheck();
  await screenshot(page, "zh-rule-editor");
  await page.getByRole("button", { name: "保存规则" }).click();
  await page.getByText("已保存规则「价格」").waitFor();
  const row = page.getByTestId("rule-row").first();
  await row.getByText("关键词回复").waitFor();
  await row.getByText("99 元，包邮").waitFor();

  // The tester, with the same matcher as the callback.
  await page.getByRole("heading", { name: "测试规则" }).waitFor();
  await page.getByLabel("粉丝发来的消息").fill("请问多少价格？");
  await page.getByRole("button", { name: "测试", exact: true }).click();
  await page.getByTestId("tester-rule").filter({ hasText: "价格" }).waitFor();
  assert.match(await page.getByTestId("tester-reply").first().innerText(), /99 元，包邮/);
  await page.getByLabel("测试内容").selectOption("click");
  await page.getByLabel("菜单按钮的 key").fill("NO_SUCH_KEY");
  await page.getByRole("button", { name: "测试", exact: true }).click();
  await page.getByTestId("tester-none").waitFor();
  await page.getByLabel("测试内容").selectOption("text");
  await page.getByLabel("粉丝发来的消息").fill("多少钱");
  await page.getByRole("button", { name: "测试", exact: true }).click();
  await page.getByTestId("tester-reply").first().waitFor();
  await screenshot(page, "zh-rules-tester");

  const answer = await replyTo(account, "多少钱呀", "99 元，包邮");
  assert.match(answer, /<MsgType><!\[CDATA\[text\]\]><\/MsgType>/);
});

test("en: an image reply uploaded as permanent material, a default rule's cooldown, and reordering", async () => {
  installMediaApis(fx.wechatApi);
  const account = await fx.seedAccount({ mode: "plain", accountType: "service", certified: true });
  const { page } = await fx.signedIn("admin", { locale: "en-US" });
  await page.goto(at(account, "/rules/new"));
  await page.getByRole("heading", { name: "New reply rule" }).waitFor();
  await page.getByLabel("Rule name").fill("Photo");
  await page.getByLabel("Keyword 1", { exact: true }).fill("photo");
  await page.getByLabel("Type of reply 1").selectOption("image");
  await page.getByLabel("Media (Image): Upload as permanent material").setInputFiles({ name: "cover.png", mimeType: "image/png", buffer: PNG });
  await page.getByText("Uploaded: cover.png").waitFor();
  assert.ok(await page.getByRole("radio", { name: /Reply with all/ }).isEnabled(), "a verified account can reply with all");
  await screenshot(page, "en-rule-editor");
  await page.getByRole("button", { name: "Save rule" }).click();
  await page.getByText("Rule “Photo” saved").waitFor();
  const stored = await fx.sql.query(`SELECT media_id, permanent FROM media_asset WHERE account_id = $1`, [account.id]);
  assert.equal(stored.rows.length, 1);
  assert.equal(stored.rows[0].permanent, true);
  // The kept bytes, served so that no browser would run them.
  const asset = await fx.sql.query(`SELECT id FROM media_asset WHERE account_id = $1`, [account.id]);
  const served = await page.request.get(`/api/media/${asset.rows[0].id}?account=${account.appId}`);
  assert.equal(served.status(), 200);
  assert.deepEqual(Buffer.from(await served.body()), PNG);
  assert.equal(served.headers()["content-type"], "image/png");
  assert.equal(served.headers()["x-content-type-options"], "nosniff");
  assert.match(served.headers()["content-security-policy"] ?? "", /default-src 'none'/);
  assert.match(served.headers()["content-disposition"] ?? "", /^inline; filename="cover.png"/);

  await page.getByRole("link", { name: "New rule" }).click();
  await page.getByLabel("Rule name").fill("Fallback");
  await page.getByLabel("Trigger").selectOption("default");
  await page.getByLabel("Text", { exact: true }).fill("We will answer soon.");
  assert.equal(await page.getByLabel("Cooldown per follower (seconds)").inputValue(), "3600");
  await page.getByRole("button", { name: "Save rule" }).click();
  await page.getByText("Rule “Fallback” saved").waitFor();

  await page.getByLabel("The follower's message").fill("PHOTO");
  await page.getByRole("button", { name: "Test", exact: true }).click();
  const img = page.getByTestId("tester-reply").locator("img");
  await img.waitFor();
  assert.ok(await img.evaluate((el: HTMLImageElement) => el.complete && el.naturalWidth === 1), "the image drawn from the kept bytes");
  await page.getByLabel("The follower's message").fill("anything else");
  await page.getByRole("button", { name: "Test", exact: true }).click();
  await page.getByText(/a follower gets it once per 3600 s/).waitFor();
  await screenshot(page, "en-rules-tester");

  // Move the default rule up with the buttons: the order is saved.
  await page.getByRole("button", { name: "Move “Fallback” up" }).click();
  await page.getByText("Order saved.").waitFor();
  const order = await fx.sql.query(`SELECT name FROM reply_rule WHERE account_id = $1 ORDER BY priority, name`, [account.id]);
  assert.deepEqual(
    order.rows.map((r) => r.name),
    ["Fallback", "Photo"],
  );
  await page.getByRole("switch", { name: "Disable “Photo”" }).click();
  await page.getByRole("switch", { name: "Enable “Photo”" }).waitFor();
  await screenshot(page, "en-rules-list");
});

test("a viewer reads the rules and uses the tester, but cannot save, and a replayed save is refused", async () => {
  const account = await fx.seedAccount({ mode: "plain" });
  const admin = await fx.signedIn("admin");
  await admin.page.goto(at(account, "/rules/new"));
  await admin.page.getByLabel("规则名称").fill("你好");
  await admin.page.getByLabel("关键词 1", { exact: true }).fill("你好");
  await admin.page.getByLabel("文字内容").fill("你好呀");
  await admin.page.getByRole("button", { name: "保存规则" }).click();
  await admin.page.getByText("已保存规则「你好」").waitFor();
  await admin.page.getByRole("link", { name: "你好", exact: true }).click();
  await admin.page.getByRole("heading", { name: "编辑回复规则" }).waitFor();
  await admin.page.getByLabel("文字内容").fill("你好呀！");
  const save = await captureAction(admin.page, async () => {
    await admin.page.getByRole("button", { name: "保存规则" }).click();
    await admin.page.getByText("已保存规则「你好」").waitFor();
  });

  const viewer = await fx.signedIn("viewer", { account });
  const vpage = viewer.page;
  await vpage.goto(at(account, "/rules"));
  await vpage.getByText("你是只读成员，可以查看规则和使用测试，但不能修改。").waitFor();
  assert.equal(await vpage.getByRole("link", { name: "新建规则" }).count(), 0);
  assert.equal(await vpage.getByRole("switch").count(), 0);
  await vpage.getByLabel("粉丝发来的消息").fill("你好");
  await vpage.getByRole("button", { name: "测试", exact: true }).click();
  assert.match(await vpage.getByTestId("tester-reply").first().innerText(), /你好呀！/);
  await screenshot(vpage, "zh-viewer-rules");
  await vpage.getByTestId("rule-row").getByRole("link", { name: "你好", exact: true }).click();
  await vpage.getByRole("heading", { name: "编辑回复规则" }).waitFor();
  assert.ok(await vpage.getByLabel("文字内容").isDisabled());
  assert.equal(await vpage.getByRole("button", { name: "保存规则" }).count(), 0);
  assert.equal(await vpage.getByRole("button", { name: "删除规则" }).count(), 0);

  // The admin's own save, replayed with the viewer's session and another reply.
  const headers = replayHeaders(save);
  const body = Buffer.from(save.body.toString("utf8").replace("你好呀！", "被改了"), "utf8");
  const before = (
    await fx.sql.query(`SELECT m.content, r.updated_at FROM reply_rule r JOIN reply_message m ON m.rule_id = r.id WHERE r.account_id = $1`, [account.id])
  ).rows;
  const res = await viewer.context.request.post(save.url, { headers, data: body });
  const text = await res.text();
  assert.ok(text.includes("没有权限"), `the action did not refuse: ${res.status()} ${text.slice(0, 300)}`);
  const after = (
    await fx.sql.query(`SELECT m.content, r.updated_at FROM reply_rule r JOIN reply_message m ON m.rule_id = r.id WHERE r.account_id = $1`, [account.id])
  ).rows;
  assert.deepEqual(after, before, "the rule changed");
  // The same replay as the admin goes through: the role was refused, not the request.
  await admin.context.request.post(save.url, { headers, data: body });
  const changed = await fx.sql.query(`SELECT m.content FROM reply_rule r JOIN reply_message m ON m.rule_id = r.id WHERE r.account_id = $1`, [account.id]);
  assert.equal(changed.rows[0].content, "被改了");
  // And the media route lets the viewer read, not upload.
  const upload = await viewer.context.request.post(`/api/media?account=${account.appId}`, {
    headers: { origin: fx.app.url },
    multipart: { kind: "image", file: { name: "x.png", mimeType: "image/png", buffer: PNG } },
  });
  assert.equal(upload.status(), 403);
});
