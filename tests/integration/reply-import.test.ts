import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import pg from "pg";
import { parseWeChatXml } from "../../lib/wechat/xml";
import { insertAccount, newSimAccount } from "../helpers/accounts";
import { startApp, TEST_ENCRYPTION_KEY, type AppServer } from "../helpers/app-server";
import { eventually } from "../helpers/eventually";
import { openId } from "../helpers/message-catalog";
import { startMockWeChatApi, wechatErrmsg, type MockWeChatApi } from "../helpers/mock-wechat-api";
import { AUTOREPLY_PATH, installAutoreply, type MockAutoreply } from "../helpers/mock-wechat/autoreply";
import { installMediaApis, MEDIA_PATHS } from "../helpers/mock-wechat/media";
import { runMpdesk } from "../helpers/run-mpdesk";
import { createTestDatabase } from "../helpers/test-database";
import { bigMsgId, messageXml, postSigned, signMessage, type SimAccount } from "../helpers/wechat-simulator";

// Taking over the MP admin's auto-replies: `rules import-wechat` reads get_current_autoreply_info
// from the mock over real HTTP, re-hosts its temporary media as permanent material, and the
// running app's callback then answers signed messages with the imported rules.

let db: Awaited<ReturnType<typeof createTestDatabase>>;
let app: AppServer;
let mock: MockWeChatApi;
let media: ReturnType<typeof installMediaApis>;
let autoreply: ReturnType<typeof installAutoreply>;
let sql: pg.Client;
let dir: string;
const secret = () => randomBytes(16).toString("hex");
// An uncertified 订阅号: no customer-service API, so 回复全部 with several replies cannot run.
const plain = { ...newSimAccount("plain"), appSecret: secret() };
// A certified 服务号: it can.
const certified = { ...newSimAccount("plain"), appSecret: secret(), accountType: "service" as const, certified: true };

const png = Buffer.concat([Buffer.from("89504e470d0a1a0a", "hex"), randomBytes(300)]);
const amr = Buffer.concat([Buffer.from("#!AMR\n"), randomBytes(200)]);
const mp4 = Buffer.concat([Buffer.from("000000186674797069736f6d", "hex"), randomBytes(400)]);

// Built once per app (its media seeded once), then copied: the platform hands out the same
// media_ids until its rules change.
const built = new Map<string, MockAutoreply>();
function platformRules(appId: string): MockAutoreply {
  if (!built.has(appId)) built.set(appId, buildPlatformRules(appId));
  return structuredClone(built.get(appId)!);
}

function buildPlatformRules(appId: string): MockAutoreply {
  return {
    is_add_friend_reply_open: 1,
    is_autoreply_open: 1,
    add_friend_autoreply_info: { type: "text", content: "欢迎关注！回复「价格」查看价目" },
    message_default_autoreply_info: { type: "text", content: "已收到，我们会尽快回复" },
    keyword_autoreply_info: {
      list: [
        {
          rule_name: "价格",
          create_time: 1764600000,
          reply_mode: "random_one",
          keyword_list_info: [
            { type: "text", match_mode: "equal", content: "价格" },
            { type: "text", match_mode: "equal", content: "多少钱" },
          ],
          reply_list_info: [{ type: "text", content: "99 元一份" }],
        },
        {
          rule_name: "看图",
          create_time: 1764600100,
          reply_mode: "reply_all",
          keyword_list_info: [{ type: "text", match_mode: "contain", content: "图片" }],
          reply_list_info: [{ type: "img", content: autoreply.seedMedia(appId, "image", png, "image/png", "poster.png") }],
        },
        {
          rule_name: "语音",
          create_time: 1764600200,
          reply_mode: "reply_all",
          keyword_list_info: [{ type: "text", match_mode: "equal", content: "语音" }],
          reply_list_info: [{ type: "voice", content: autoreply.seedMedia(appId, "voice", amr, "audio/amr", "hello.amr") }],
        },
        {
          rule_name: "视频",
          create_time: 1764600300,
          reply_mode: "reply_all",
          keyword_list_info: [{ type: "text", match_mode: "equal", content: "视频" }],
          reply_list_info: [{ type: "video", content: autoreply.seedMedia(appId, "video", mp4, "video/mp4", "tour.mp4") }],
        },
        {
          rule_name: "新闻",
          create_time: 1764600400,
          reply_mode: "reply_all",
          keyword_list_info: [{ type: "text", match_mode: "contain", content: "新闻" }],
          reply_list_info: [
            {
              type: "news",
              content: "MPNEWS_MEDIA_ID",
              news_info: {
                list: [
                  {
                    title: "本周新闻",
                    author: "编辑部",
                    digest: "这周发生了什么",
                    show_cover: 1,
                    cover_url: "http://mmbiz.qpic.cn/mmbiz_jpg/cover/0?wx_fmt=jpeg",
                    content_url: "http://mp.weixin.qq.com/s?__biz=MzA&mid=1&idx=1",
                    source_url: "",
                  },
                  { title: "上周回顾", digest: "", show_cover: 0, cover_url: "", content_url: "http://mp.weixin.qq.com/s?__biz=MzA&mid=1&idx=2" },
                ],
              },
            },
          ],
        },
        {
          rule_name: "全部",
          create_time: 1764600500,
          reply_mode: "reply_all",
          keyword_list_info: [{ type: "text", match_mode: "equal", content: "全部" }],
          reply_list_info: [
            { type: "text", content: "第一条" },
            { type: "text", content: "第二条" },
          ],
        },
      ],
    },
  };
}

async function reply(account: SimAccount, fields: Record<string, unknown>) {
  const req = signMessage(account, messageXml({ ToUserName: "gh_import", CreateTime: Math.floor(Date.now() / 1000), ...fields }));
  const res = await postSigned(app.url, req);
  assert.equal(res.status, 200, res.text);
  return res.text === "success" ? ("success" as const) : parseWeChatXml(res.text);
}
const text = (from: string, content: string) => ({ FromUserName: from, MsgType: "text", Content: content, MsgId: bigMsgId() });
const mpdesk = (args: string[]) => runMpdesk(args, { databaseUrl: db.url, env: { WECHAT_API_BASE: mock.url, MPDESK_WECHAT_TIMEOUT_MS: "3000" } });
const importWeChat = (appId: string) => mpdesk(["rules", "import-wechat", "--account", appId]);

async function rule(appId: string, name: string) {
  const { rows } = await sql.query(`SELECT r.* FROM reply_rule r JOIN account a ON a.id = r.account_id WHERE a.app_id = $1 AND r.name = $2`, [appId, name]);
  return rows[0] as
    { enabled: boolean; disabled_reason: string | null; origin: string; origin_key: string | null; reply_mode: string; cooldown_s: number } | undefined;
}

before(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), "mpdesk-reply-import-"));
  mock = await startMockWeChatApi();
  media = installMediaApis(mock);
  autoreply = installAutoreply(mock, media);
  for (const a of [plain, certified]) mock.addApp({ appId: a.appId, secret: a.appSecret });
  db = await createTestDatabase();
  sql = new pg.Client({ connectionString: db.url });
  await sql.connect();
  app = await startApp({ databaseUrl: db.url, env: { WECHAT_API_BASE: mock.url } });
  await insertAccount(db.url, TEST_ENCRYPTION_KEY, plain);
  await insertAccount(db.url, TEST_ENCRYPTION_KEY, certified);
  autoreply.set(plain.appId, platformRules(plain.appId));
  autoreply.set(certified.appId, platformRules(certified.appId));

  // A regex rule the platform cannot express, added first through the file import; the WeChat
  // import must leave it alone.
  const file = path.join(dir, "regex.json");
  writeFileSync(
    file,
    JSON.stringify({
      version: 1,
      rules: [
        {
          name: "order",
          trigger: "keyword",
          keywords: [{ match: "regex", pattern: "^order\\s*#?\\d{4,}$" }],
          replies: [{ type: "text", content: "订单查询中" }],
        },
      ],
    }),
  );
  const filed = await mpdesk(["rules", "import", file, "--account", plain.appId]);
  assert.equal(filed.code, 0, filed.stderr);
});

after(async () => {
  await app?.stop();
  await sql?.end();
  await mock?.close();
  await db?.drop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("rules import-wechat", () => {
  test("imports the platform's rules and prints what it did", async () => {
    const run = await importWeChat(plain.appId);
    assert.equal(run.code, 0, run.stderr + run.stdout);
    assert.match(run.stdout, new RegExp(`${plain.appId}: 8 added, 0 updated, 0 unchanged, 0 no longer on the platform`));
    assert.match(run.stdout, /imported off: 全部 \(回复全部 sends the 2nd and later replies through the customer-service API/);
    assert.match(run.stdout, /新闻: a reply carries one article; left out: 上周回顾/);
    assert.match(run.stdout, /3 media kept as permanent material/);
    assert.equal(mock.calls(AUTOREPLY_PATH, plain.appId), 1);
  });

  test("a signed subscribe gets the imported welcome", async () => {
    await eventually(
      async () => {
        const r = await reply(plain, { FromUserName: openId(), MsgType: "event", Event: "subscribe", EventKey: "" });
        assert.ok(r !== "success" && r.MsgType === "text");
        assert.equal(r.Content, "欢迎关注！回复「价格」查看价目");
      },
      { timeoutMs: 10_000, what: "the imported rules reaching the app" },
    );
  });

  test("keywords answer: equal, contain, and the file's regex rule beside them", async () => {
    const who = openId();
    const price = await reply(plain, text(who, "多少钱"));
    assert.ok(price !== "success" && price.Content === "99 元一份");
    const news = await reply(plain, text(who, "最近有什么新闻吗"));
    assert.ok(news !== "success");
    assert.equal(news.MsgType, "news");
    assert.equal(String(news.ArticleCount), "1");
    assert.match(JSON.stringify(news.Articles), /本周新闻/);
    assert.doesNotMatch(JSON.stringify(news.Articles), /上周回顾/);
    const order = await reply(plain, text(who, "ORDER #20261202"));
    assert.ok(order !== "success" && order.Content === "订单查询中");
    assert.equal((await rule(plain.appId, "order"))?.origin, "console", "the file's rule is not the import's");
  });

  test("media are re-hosted as permanent material, with their bytes kept", async () => {
    const who = openId();
    const image = await reply(plain, text(who, "发张图片看看"));
    assert.ok(image !== "success" && image.MsgType === "image");
    const mediaId = String((image.Image as { MediaId: string }).MediaId);
    assert.match(mediaId, /^P_/, "a permanent media_id, not the platform's temporary one");
    const onWeChat = media.get(mediaId);
    assert.ok(onWeChat?.permanent);
    assert.deepEqual(onWeChat.bytes, png);
    const { rows } = await sql.query(`SELECT kind, permanent, bytes, filename FROM media_asset WHERE media_id = $1`, [mediaId]);
    assert.equal(rows.length, 1);
    assert.equal(rows[0].permanent, true);
    assert.deepEqual(rows[0].bytes, png);
    assert.match(rows[0].filename, /\.png$/);

    const voice = await reply(plain, text(who, "语音"));
    assert.ok(voice !== "success" && voice.MsgType === "voice");
    assert.deepEqual(media.get(String((voice.Voice as { MediaId: string }).MediaId))?.bytes, amr);
    const video = await reply(plain, text(who, "视频"));
    assert.ok(video !== "success" && video.MsgType === "video");
    const videoMaterial = media.get(String((video.Video as { MediaId: string }).MediaId));
    assert.ok(videoMaterial?.permanent);
    assert.deepEqual(videoMaterial.bytes, mp4);
    assert.equal(mock.calls(MEDIA_PATHS.addMaterial, plain.appId), 3);
  });

  test("an unmatched text gets the default reply once, then success within the hour", async () => {
    const who = openId();
    const first = await reply(plain, text(who, "你们几点下班"));
    assert.ok(first !== "success" && first.Content === "已收到，我们会尽快回复");
    assert.equal(await reply(plain, text(who, "在吗")), "success");
    const row = await rule(plain.appId, "收到消息回复");
    assert.equal(row?.cooldown_s, 3600);
    assert.equal(row?.origin_key, "wechat:default");
  });

  test("回复全部 on an uncertified account is imported off with its reason; a certified one runs it", async () => {
    const off = await rule(plain.appId, "全部");
    assert.equal(off?.enabled, false);
    assert.equal(off?.disabled_reason, "reply_all_needs_customer_service");
    assert.equal(off?.reply_mode, "all");
    // Off, so "全部" is just a text nothing matches: the default reply answers it.
    const r = await reply(plain, text(openId(), "全部"));
    assert.ok(r !== "success" && r.Content === "已收到，我们会尽快回复");

    const run = await importWeChat(certified.appId);
    assert.equal(run.code, 0, run.stderr);
    assert.doesNotMatch(run.stdout, /imported off/);
    const on = await rule(certified.appId, "全部");
    assert.equal(on?.enabled, true);
    assert.equal(on?.disabled_reason, null);
  });

  test("importing again changes nothing; after the platform's rules change it reports what changed", async () => {
    const materials = mock.calls(MEDIA_PATHS.addMaterial, plain.appId);
    const again = await importWeChat(plain.appId);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /: 0 added, 0 updated, 8 unchanged, 0 no longer on the platform/);
    assert.equal(mock.calls(MEDIA_PATHS.addMaterial, plain.appId), materials, "no media put on WeChat twice");

    const changed = platformRules(plain.appId);
    changed.add_friend_autoreply_info = { type: "text", content: "欢迎回来！" };
    changed.keyword_autoreply_info!.list = changed.keyword_autoreply_info!.list.filter((k) => k.rule_name !== "语音");
    changed.keyword_autoreply_info!.list.push({
      rule_name: "营业时间",
      create_time: 1764700000,
      reply_mode: "random_one",
      keyword_list_info: [{ type: "text", match_mode: "contain", content: "营业" }],
      reply_list_info: [{ type: "text", content: "每天 9:00–18:00" }],
    });
    changed.is_add_friend_reply_open = 1;
    autoreply.set(plain.appId, changed);
    const third = await importWeChat(plain.appId);
    assert.equal(third.code, 0, third.stderr);
    assert.match(third.stdout, /: 1 added, 1 updated, 6 unchanged, 1 no longer on the platform \(turned off\)/);
    assert.match(third.stdout, /added: 营业时间/);
    assert.match(third.stdout, /updated: 被关注回复/);
    assert.match(third.stdout, /no longer on the platform: 语音/);
    assert.equal((await rule(plain.appId, "语音"))?.disabled_reason, "removed_on_platform");
    assert.equal((await rule(plain.appId, "order"))?.enabled, true, "the console's rule is left alone");
    await eventually(
      async () => {
        const r = await reply(plain, { FromUserName: openId(), MsgType: "event", Event: "subscribe", EventKey: "" });
        assert.ok(r !== "success" && r.Content === "欢迎回来！");
      },
      { timeoutMs: 10_000, what: "the updated welcome reaching the app" },
    );
    assert.equal(await reply(plain, text(openId(), "语音")).then((r) => r !== "success" && r.MsgType), "text", "语音 answers the default now");
  });

  test("a switched-off platform rule is imported off, with the reason", async () => {
    const off = platformRules(certified.appId);
    off.is_add_friend_reply_open = 0;
    autoreply.set(certified.appId, off);
    const run = await importWeChat(certified.appId);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /imported off: 被关注回复 \(被关注回复 was switched off in the MP admin\)/);
    assert.equal((await rule(certified.appId, "被关注回复"))?.enabled, false);
  });

  test("a WeChat error exits 1 with the fix, and changes nothing", async () => {
    mock.failAlways(plain.appId, AUTOREPLY_PATH, { errcode: 40164, errmsg: wechatErrmsg(40164, { ip: "198.51.100.23" }) });
    try {
      const run = await importWeChat(plain.appId);
      assert.equal(run.code, 1, run.stdout);
      assert.match(run.stderr, /nothing imported\. WeChat answered errcode 40164 \(\/cgi-bin\/get_current_autoreply_info\)/);
      assert.match(run.stderr, /Fix: Add 198\.51\.100\.23 to the IP whitelist/);
      assert.equal((await rule(plain.appId, "营业时间"))?.enabled, true);
    } finally {
      mock.failAlways(plain.appId, AUTOREPLY_PATH, null);
    }
  });
});
