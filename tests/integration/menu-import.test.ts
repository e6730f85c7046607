import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, before, describe, test } from "node:test";
import pg from "pg";
import { parseWeChatXml } from "../../lib/wechat/xml";
import { insertAccount, newSimAccount } from "../helpers/accounts";
import { startApp, TEST_ENCRYPTION_KEY, type AppServer } from "../helpers/app-server";
import { eventually } from "../helpers/eventually";
import { openId } from "../helpers/message-catalog";
import { startMockWeChatApi, type MockWeChatApi } from "../helpers/mock-wechat-api";
import { installMediaApis } from "../helpers/mock-wechat/media";
import { installMenuApis, MENU_PATHS } from "../helpers/mock-wechat/menu";
import { runMpdesk } from "../helpers/run-mpdesk";
import { createTestDatabase } from "../helpers/test-database";
import { messageXml, postSigned, signMessage, type SimAccount } from "../helpers/wechat-simulator";

// Keeping the MP admin's menu when 服务器配置 is switched on: `menu import-wechat` reads what
// followers see, turns the editor's platform-only buttons into click buttons answered by reply
// rules with the same content, then `menu publish` sends the converted menu, and a tap on a
// converted button gets the original content as the callback's passive reply.

let db: Awaited<ReturnType<typeof createTestDatabase>>;
let mock: MockWeChatApi;
let app: AppServer;
let sql: pg.Client;
let menus: ReturnType<typeof installMenuApis>;
let media: ReturnType<typeof installMediaApis>;
const account = { ...newSimAccount("plain"), appSecret: randomBytes(16).toString("hex"), accountType: "service" as const };
const unverified = { ...newSimAccount("plain"), appSecret: randomBytes(16).toString("hex") };
const png = Buffer.concat([Buffer.from("89504e470d0a1a0a", "hex"), randomBytes(300)]);
let imageId = "";

const mpdesk = (args: string[]) => runMpdesk(args, { databaseUrl: db.url, env: { WECHAT_API_BASE: mock.url } });

async function tap(a: SimAccount, key: string) {
  const xml = messageXml({
    ToUserName: "gh_menu",
    FromUserName: openId(),
    CreateTime: Math.floor(Date.now() / 1000),
    MsgType: "event",
    Event: "CLICK",
    EventKey: key,
  });
  const req = signMessage(a, xml);
  req.path = req.path.replace("/api/wechat?", `/api/wechat/${a.appId}?`);
  const res = await postSigned(app.url, req);
  assert.equal(res.status, 200, res.text);
  return res.text === "success" ? "success" : parseWeChatXml(res.text);
}

before(async () => {
  mock = await startMockWeChatApi();
  menus = installMenuApis(mock);
  media = installMediaApis(mock);
  db = await createTestDatabase();
  sql = new pg.Client({ connectionString: db.url });
  await sql.connect();
  app = await startApp({ databaseUrl: db.url, env: { WECHAT_API_BASE: mock.url } });
  for (const a of [account, unverified]) {
    mock.addApp({ appId: a.appId, secret: a.appSecret });
    await insertAccount(db.url, TEST_ENCRYPTION_KEY, a);
  }
  imageId = media.seedTemporary(account.appId, { type: "image", bytes: png, contentType: "image/png", filename: "prices.png" });
  menus.setPlatformMenu(account.appId, [
    { type: "text", name: "联系我们", value: "客服电话 400-000-0000" },
    {
      name: "资料",
      sub_button: {
        list: [
          { type: "img", name: "价目表", value: imageId },
          {
            type: "news",
            name: "最新文章",
            value: "KQb_w_Tiz-nSdVLoTV35Psmty8hGBulGhEdbb9SKs-o",
            news_info: {
              list: [
                {
                  title: "十二月活动",
                  author: "mpdesk",
                  digest: "报名从今天开始",
                  show_cover: 1,
                  cover_url: "http://mmbiz.qpic.cn/mmbiz_jpg/cover/0",
                  content_url: "http://mp.weixin.qq.com/s?__biz=MjM5&mid=1",
                  source_url: "",
                },
              ],
            },
          },
          { type: "view", name: "官网", url: "https://www.example.com/" },
        ],
      },
    },
    { type: "click", name: "签到", key: "CHECKIN" },
  ]);
  menus.setPlatformMenu(unverified.appId, [{ type: "text", name: "你好", value: "欢迎" }]);
  menus.withoutMenuApi(unverified.appId);
});
after(async () => {
  await app?.stop();
  await sql?.end();
  await mock?.close();
  await db?.drop();
});

describe("menu import-wechat", () => {
  let keys: string[] = [];

  test("converts the platform-only buttons into click buttons with reply rules, re-hosting the image, and saves the draft", async () => {
    const run = await mpdesk(["menu", "import-wechat", "--account", account.appId]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /imported 3 buttons and 3 sub-buttons as the draft/);
    assert.match(run.stdout, /button\[0\] "联系我们": text → click mpdesk_text_/);
    assert.equal(mock.calls(MENU_PATHS.create), 0, "importing publishes nothing");
    const draft = (await sql.query(`SELECT d.body FROM menu_draft d JOIN account a ON a.id = d.account_id WHERE a.app_id = $1`, [account.appId])).rows[0]?.body;
    const [contact, docs, checkin] = draft.button;
    assert.equal(contact.type, "click");
    assert.match(contact.key, /^mpdesk_text_[0-9a-f]{12}$/);
    assert.deepEqual(
      docs.sub_button.map((b: { type: string; name: string }) => [b.type, b.name]),
      [
        ["click", "价目表"],
        ["click", "最新文章"],
        ["view", "官网"],
      ],
    );
    assert.equal(docs.sub_button[2].url, "https://www.example.com/");
    assert.deepEqual(checkin, { type: "click", name: "签到", key: "CHECKIN" }, "an API button is kept as it is");
    keys = [contact.key, docs.sub_button[0].key, docs.sub_button[1].key];

    const rules = (
      await sql.query(
        `SELECT r.origin, r.origin_key, r.event_key, r.trigger, m.type, m.content, m.media_id, m.title FROM reply_rule r JOIN reply_message m ON m.rule_id = r.id ORDER BY r.event_key`,
      )
    ).rows;
    assert.equal(rules.length, 3);
    for (const r of rules) {
      assert.equal(r.origin, "menu_import");
      assert.equal(r.origin_key, `menu:${r.event_key}`);
      assert.equal(r.trigger, "click");
    }
    const image = rules.find((r) => r.type === "image")!;
    const [material] = media.materials(account.appId);
    assert.equal(image.media_id, material?.mediaId, "the temporary image was re-hosted as permanent material");
    assert.deepEqual(material?.bytes, png);
  });

  test("then publish: menu/create receives the converted menu", async () => {
    const run = await mpdesk(["menu", "publish", "--account", account.appId]);
    assert.equal(run.code, 0, run.stderr);
    const { access_token: _t, ...sent } = mock.bodies(account.appId, MENU_PATHS.create).at(-1)!;
    const draft = (await sql.query(`SELECT d.body FROM menu_draft d JOIN account a ON a.id = d.account_id WHERE a.app_id = $1`, [account.appId])).rows[0]?.body;
    assert.deepEqual(sent, draft);
    assert.equal((sent.button as Array<{ type?: string }>)[0]!.type, "click");
  });

  test("a CLICK on a converted key gets the original content as the passive reply", async () => {
    const text = await eventually(
      async () => {
        const r = await tap(account, keys[0]!);
        return r !== "success" && r.MsgType === "text" ? r : false;
      },
      { timeoutMs: 10_000, what: "the imported rules reaching the app" },
    );
    assert.equal(text.Content, "客服电话 400-000-0000");
    const image = await tap(account, keys[1]!);
    assert.ok(image !== "success");
    assert.equal(image.MsgType, "image");
    assert.equal((image as unknown as { Image: { MediaId: string } }).Image.MediaId, media.materials(account.appId)[0]!.mediaId);
    const news = await tap(account, keys[2]!);
    assert.ok(news !== "success");
    assert.equal(news.MsgType, "news");
    assert.match(JSON.stringify(news), /十二月活动/);
  });

  test("importing again updates the same rules and keys: nothing is duplicated, the image is not uploaded twice", async () => {
    const before = Number((await sql.query(`SELECT count(*) AS n FROM reply_rule`)).rows[0].n);
    // WeChat now shows the API menu just published: its buttons are all API types.
    const run = await mpdesk(["menu", "import-wechat", "--account", account.appId]);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(Number((await sql.query(`SELECT count(*) AS n FROM reply_rule`)).rows[0].n), before);
    assert.equal(media.materials(account.appId).length, 1);
    const draft = (await sql.query(`SELECT d.body FROM menu_draft d JOIN account a ON a.id = d.account_id WHERE a.app_id = $1`, [account.appId])).rows[0]?.body;
    assert.equal(draft.button[0].key, keys[0]);
  });

  test("an account without the menu API is told plainly that its menu will disappear and cannot be republished", async () => {
    const run = await mpdesk(["menu", "import-wechat", "--account", unverified.appId]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stderr, /no menu API \(48001.*its menu disappears, and it cannot be republished until the account is certified/);
    const publish = await mpdesk(["menu", "publish", "--account", unverified.appId]);
    assert.equal(publish.code, 1);
    assert.match(publish.stderr, /48001/);
  });
});
