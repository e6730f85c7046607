import { test } from "node:test";
import assert from "node:assert/strict";
import { buildEncryptedReply, buildReplyXml, type PassiveReply } from "../../lib/wechat/reply";
import { parseWeChatXml, type WeChatXml } from "../../lib/wechat/xml";
import { decryptMessage, parseEncodingAesKey } from "../../lib/wechat/crypto";
import { verifyMsgSignature } from "../../lib/wechat/signature";

const plain = (x: unknown): unknown => JSON.parse(JSON.stringify(x));

const inbound = parseWeChatXml(
  "<xml><ToUserName><![CDATA[gh_97417a04a28d]]></ToUserName><FromUserName><![CDATA[o9AgO5Kd5ggOC-bXrbNODIiE3bGY]]></FromUserName>" +
    "<CreateTime>1714112445</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[hi]]></Content><MsgId>6054768590064713728</MsgId></xml>",
);
// Replies go back the other way: inbound FromUserName → toUser, ToUserName → fromUser.
const addressing = { toUser: inbound.FromUserName as string, fromUser: inbound.ToUserName as string, createTime: 1714112446 };
const HEAD = (type: string) => ({
  ToUserName: "o9AgO5Kd5ggOC-bXrbNODIiE3bGY",
  FromUserName: "gh_97417a04a28d",
  CreateTime: "1714112446",
  MsgType: type,
});

function roundTrip(reply: PassiveReply): WeChatXml {
  return parseWeChatXml(buildReplyXml(reply, addressing));
}

test("text reply: exact XML and round trip with To/From swapped", () => {
  const xml = buildReplyXml({ type: "text", content: "你好" }, addressing);
  assert.equal(
    xml,
    "<xml><ToUserName><![CDATA[o9AgO5Kd5ggOC-bXrbNODIiE3bGY]]></ToUserName><FromUserName><![CDATA[gh_97417a04a28d]]></FromUserName>" +
      "<CreateTime>1714112446</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[你好]]></Content></xml>",
  );
  assert.deepEqual(plain(parseWeChatXml(xml)), { ...HEAD("text"), Content: "你好" });
});

test("text reply containing ]]> and other awkward text stays intact", () => {
  for (const content of ["a]]>b", "]]>", "x]]>", "]]>]]>", "<b>bold</b> & &amp;", "  spaced\r\n\nlines  ", ""]) {
    assert.equal(roundTrip({ type: "text", content }).Content, content, JSON.stringify(content));
  }
});

test("image and voice replies", () => {
  assert.deepEqual(plain(roundTrip({ type: "image", mediaId: "img_media" })), { ...HEAD("image"), Image: { MediaId: "img_media" } });
  assert.deepEqual(plain(roundTrip({ type: "voice", mediaId: "voice_media" })), { ...HEAD("voice"), Voice: { MediaId: "voice_media" } });
});

test("video reply", () => {
  assert.deepEqual(plain(roundTrip({ type: "video", mediaId: "m", title: "标题", description: "描述" })), {
    ...HEAD("video"),
    Video: { MediaId: "m", Title: "标题", Description: "描述" },
  });
  assert.deepEqual(plain(roundTrip({ type: "video", mediaId: "m" })), { ...HEAD("video"), Video: { MediaId: "m", Title: "", Description: "" } });
});

test("music reply uses the official element names; HQMusicUrl defaults to MusicUrl", () => {
  const xml = buildReplyXml(
    { type: "music", title: "T", description: "D", musicUrl: "http://m/1.mp3", hqMusicUrl: "http://m/1hq.mp3", thumbMediaId: "thumb" },
    addressing,
  );
  assert.match(
    xml,
    /<Music><Title><!\[CDATA\[T\]\]><\/Title><Description><!\[CDATA\[D\]\]><\/Description><MusicUrl>.*<\/MusicUrl><HQMusicUrl>.*<\/HQMusicUrl><ThumbMediaId><!\[CDATA\[thumb\]\]><\/ThumbMediaId><\/Music>/,
  );
  assert.deepEqual(plain(parseWeChatXml(xml)), {
    ...HEAD("music"),
    Music: { Title: "T", Description: "D", MusicUrl: "http://m/1.mp3", HQMusicUrl: "http://m/1hq.mp3", ThumbMediaId: "thumb" },
  });
  assert.deepEqual(plain(roundTrip({ type: "music", musicUrl: "http://m/2.mp3", thumbMediaId: "t" })), {
    ...HEAD("music"),
    Music: { Title: "", Description: "", MusicUrl: "http://m/2.mp3", HQMusicUrl: "http://m/2.mp3", ThumbMediaId: "t" },
  });
});

test("news reply: ArticleCount bare, Articles/item per article", () => {
  const xml = buildReplyXml(
    {
      type: "news",
      articles: [{ title: "One", description: "first", picUrl: "http://p/1.jpg", url: "http://u/1" }, { title: "Two" }],
    },
    addressing,
  );
  assert.ok(xml.includes("<ArticleCount>2</ArticleCount>"), xml);
  assert.deepEqual(plain(parseWeChatXml(xml)), {
    ...HEAD("news"),
    ArticleCount: "2",
    Articles: {
      item: [
        { Title: "One", Description: "first", PicUrl: "http://p/1.jpg", Url: "http://u/1" },
        { Title: "Two", Description: "", PicUrl: "", Url: "" },
      ],
    },
  });
  const single = roundTrip({ type: "news", articles: [{ title: "Only" }] });
  assert.deepEqual(plain(single.Articles), { item: { Title: "Only", Description: "", PicUrl: "", Url: "" } });
});

test("news reply needs 1 to 8 articles", () => {
  const article = { title: "t" };
  assert.throws(() => buildReplyXml({ type: "news", articles: [] }, addressing), RangeError);
  assert.throws(() => buildReplyXml({ type: "news", articles: Array(9).fill(article) }, addressing), RangeError);
  const eight = roundTrip({ type: "news", articles: Array(8).fill(article) });
  assert.equal(eight.ArticleCount, "8");
  assert.equal(((eight.Articles as WeChatXml).item as WeChatXml[]).length, 8);
});

test("transfer_customer_service, with and without a specific agent", () => {
  assert.deepEqual(plain(roundTrip({ type: "transfer_customer_service" })), HEAD("transfer_customer_service"));
  assert.deepEqual(plain(roundTrip({ type: "transfer_customer_service", kfAccount: "test1@test" })), {
    ...HEAD("transfer_customer_service"),
    TransInfo: { KfAccount: "test1@test" },
  });
});

test("CreateTime defaults to now in seconds; milliseconds are refused", () => {
  const before = Math.floor(Date.now() / 1000);
  const msg = parseWeChatXml(buildReplyXml({ type: "text", content: "x" }, { toUser: "u", fromUser: "g" }));
  const after = Math.floor(Date.now() / 1000);
  const t = Number(msg.CreateTime);
  assert.ok(t >= before && t <= after, String(t));
  assert.match(msg.CreateTime as string, /^\d{10}$/);
  assert.throws(() => buildReplyXml({ type: "text", content: "x" }, { toUser: "u", fromUser: "g", createTime: Date.now() }), RangeError);
  assert.throws(() => buildReplyXml({ type: "text", content: "x" }, { toUser: "u", fromUser: "g", createTime: 1.5 }), RangeError);
});

test("encrypted reply: official vector (random 707722b803182950, TimeStamp 1713424427, Nonce 415670741)", () => {
  const key = parseEncodingAesKey("A".repeat(43));
  const xml = buildEncryptedReply('{"demo_resp":"good luck"}', {
    key,
    appId: "wxba5fad812f8e6fb9",
    token: "AAAAA",
    nonce: "415670741",
    timestamp: 1713424427,
    random16: "707722b803182950",
  });
  assert.equal(
    xml,
    "<xml><Encrypt><![CDATA[ELGduP2YcVatjqIS+eZbp80MNLoAUWvzzyJxgGzxZO/5sAvd070Bs6qrLARC9nVHm48Y4hyRbtzve1L32tmxSQ==]]></Encrypt>" +
      "<MsgSignature><![CDATA[1b9339964ed2e271e7c7b6ff2b0ef902fc94dea1]]></MsgSignature>" +
      "<TimeStamp>1713424427</TimeStamp><Nonce><![CDATA[415670741]]></Nonce></xml>",
  );
});

test("encrypted reply: Tencent Java sample vector", () => {
  const env = parseWeChatXml(
    buildEncryptedReply("我是中文abcd123", {
      key: parseEncodingAesKey("abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"),
      appId: "wxb11529c136998cb6",
      token: "pamtest",
      nonce: "xxxxxx",
      timestamp: 1409304348,
      random16: "aaaabbbbccccdddd",
    }),
  );
  assert.deepEqual(plain(env), {
    Encrypt: "jn1L23DB+6ELqJ+6bruv21Y6MD7KeIfP82D6gU39rmkgczbWwt5+3bnyg5K55bgVtVzd832WzZGMhkP72vVOfg==",
    MsgSignature: "82c962d39941aa48552f90ef55aa323dc620cc10",
    TimeStamp: "1409304348",
    Nonce: "xxxxxx",
  });
});

test("encrypted reply of a real reply XML: verifiable and decryptable by the receiver", () => {
  const key = parseEncodingAesKey("abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG");
  const replyXml = buildReplyXml({ type: "text", content: "回复 ]]> ok" }, addressing);
  const before = Math.floor(Date.now() / 1000);
  const env = parseWeChatXml(buildEncryptedReply(replyXml, { key, appId: "wxb11529c136998cb6", token: "pamtest", nonce: "1320562132" }));
  assert.match(env.TimeStamp as string, /^\d{10}$/);
  assert.ok(Number(env.TimeStamp) >= before);
  assert.equal(env.Nonce, "1320562132");
  assert.equal(
    verifyMsgSignature({
      token: "pamtest",
      timestamp: env.TimeStamp as string,
      nonce: env.Nonce as string,
      encrypt: env.Encrypt as string,
      msgSignature: env.MsgSignature as string,
    }),
    true,
  );
  const { plaintext } = decryptMessage(env.Encrypt as string, [key], "wxb11529c136998cb6");
  assert.equal(plaintext, replyXml);
  assert.equal(parseWeChatXml(plaintext).Content, "回复 ]]> ok");
});

test("encrypted reply refuses a millisecond timestamp", () => {
  const key = parseEncodingAesKey("A".repeat(43));
  assert.throws(() => buildEncryptedReply("x", { key, appId: "wx", token: "t", nonce: "n", timestamp: Date.now() }), RangeError);
});
